use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::spl_token_2022,
    token_2022_extensions::spl_token_metadata_interface::state::TokenMetadata,
    token_interface::{Mint, TokenAccount, TokenInterface},
};
use rwa_guard::{authority::check_upgrade_authority, new_mint::NewMint};

use crate::{
    errors::AnchorTokenError,
    seeds,
    state::{
        AnchorConfig, AnchorParams, Backing, BackingEntry, MAX_ANCHOR_NAME_LEN,
        MAX_ANCHOR_SYMBOL_LEN, MAX_ANCHOR_URI_LEN, RESERVE_DECIMALS,
    },
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct InitializeParams {
    pub guardian: Pubkey,
    pub params: AnchorParams,
    /// The anchor token's Token-2022 metadata wallets and explorers show: name (1..=32 bytes),
    /// symbol (1..=10 bytes), URI (0..=200 bytes). With an SPL Token anchor mint (no
    /// metadata) all three must be empty.
    pub name: String,
    pub symbol: String,
    pub uri: String,
}

impl InitializeParams {
    /// The metadata bounds for `anchor_token_program`; each failure names the field.
    pub fn check_metadata(&self, anchor_token_program: &Pubkey) -> Result<()> {
        if *anchor_token_program != spl_token_2022::ID {
            require!(
                self.name.is_empty() && self.symbol.is_empty() && self.uri.is_empty(),
                AnchorTokenError::AnchorMetadataNeedsToken2022
            );
            return Ok(());
        }
        require!(
            (1..=MAX_ANCHOR_NAME_LEN).contains(&self.name.len()),
            AnchorTokenError::InvalidAnchorName
        );
        require!(
            (1..=MAX_ANCHOR_SYMBOL_LEN).contains(&self.symbol.len()),
            AnchorTokenError::InvalidAnchorSymbol
        );
        require!(self.uri.len() <= MAX_ANCHOR_URI_LEN, AnchorTokenError::InvalidAnchorUri);
        Ok(())
    }

    /// The anchor mint's Token-2022 metadata (no additional fields; update authority set by
    /// Token-2022 from the signer: the config PDA).
    pub fn metadata(&self, mint: Pubkey) -> TokenMetadata {
        TokenMetadata {
            mint,
            name: self.name.clone(),
            symbol: self.symbol.clone(),
            uri: self.uri.clone(),
            ..Default::default()
        }
    }
}

#[derive(Accounts)]
pub struct Initialize<'info> {
    /// The program's upgrade authority; becomes `admin`.
    #[account(mut)]
    pub admin: Signer<'info>,
    /// CHECK: this program's ProgramData account, whose upgrade authority must be `admin`;
    /// address, owner, layout and authority are checked by `validate`.
    pub program_data: UncheckedAccount<'info>,
    #[account(
        init,
        payer = admin,
        space = 8 + AnchorConfig::INIT_SPACE,
        seeds = [seeds::CONFIG],
        bump,
    )]
    pub config: Box<Account<'info, AnchorConfig>>,
    #[account(
        mint::token_program = token_program,
        constraint = reserve_mint.decimals == RESERVE_DECIMALS
            @ AnchorTokenError::UnsupportedReserveDecimals,
    )]
    pub reserve_mint: Box<InterfaceAccount<'info, Mint>>,
    /// CHECK: created by the handler (`rwa_guard::new_mint`) at this PDA under
    /// `anchor_token_program`: `RESERVE_DECIMALS`, mint authority the config, no freeze
    /// authority; with Token-2022 a metadata pointer to itself and the token metadata.
    #[account(mut, seeds = [seeds::ANCHOR_MINT], bump)]
    pub anchor_mint: UncheckedAccount<'info>,
    #[account(
        init,
        payer = admin,
        seeds = [seeds::STABLE_RESERVE],
        bump,
        token::mint = reserve_mint,
        token::authority = config,
        token::token_program = token_program,
    )]
    pub stable_reserve: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        init,
        payer = admin,
        space = 8 + Backing::INIT_SPACE,
        seeds = [seeds::BACKING],
        bump,
    )]
    pub backing: Box<Account<'info, Backing>>,
    /// The reserve stablecoin's token program.
    pub token_program: Interface<'info, TokenInterface>,
    /// The anchor mint's token program: Token-2022 (with metadata) or SPL Token (bare).
    pub anchor_token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl Initialize<'_> {
    /// Only the upgrade authority initialises (`rwa_guard::authority`), and the reserve
    /// stablecoin carries no Token-2022 extension that changes transfers or balances.
    pub fn validate(&self) -> Result<()> {
        check_upgrade_authority(&crate::ID, &self.program_data, self.admin.key)?;
        rwa_guard::mint::check_mint(&self.reserve_mint.to_account_info())
    }
}

#[event]
pub struct ValueAnchorInitialized {
    pub admin: Pubkey,
    pub guardian: Pubkey,
    pub reserve_mint: Pubkey,
    pub anchor_mint: Pubkey,
    pub anchor_token_program: Pubkey,
    pub stable_reserve: Pubkey,
    pub params: AnchorParams,
}

#[access_control(ctx.accounts.validate())]
pub fn handler(mut ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
    params.check_metadata(ctx.accounts.anchor_token_program.key)?;
    create_anchor_mint(ctx.accounts, &params, ctx.bumps.config, ctx.bumps.anchor_mint)?;
    let a = &mut ctx.accounts;
    a.config.set_inner(AnchorConfig {
        admin: a.admin.key(),
        guardian: params.guardian,
        paused: false,
        reserve_mint: a.reserve_mint.key(),
        anchor_mint: a.anchor_mint.key(),
        token_program: a.token_program.key(),
        anchor_token_program: a.anchor_token_program.key(),
        stable_reserve: a.stable_reserve.key(),
        params: params.params,
        bump: ctx.bumps.config,
        anchor_mint_bump: ctx.bumps.anchor_mint,
        stable_reserve_bump: ctx.bumps.stable_reserve,
        pending_admin: Pubkey::default(),
        fee_recipient: Pubkey::default(),
    });
    a.config.invariant()?;
    let backing = &mut a.backing;
    backing.entries = [BackingEntry::default(); crate::state::MAX_POOLS];
    backing.bump = ctx.bumps.backing;
    backing.invariant()?;

    emit!(ValueAnchorInitialized {
        admin: a.config.admin,
        guardian: a.config.guardian,
        reserve_mint: a.config.reserve_mint,
        anchor_mint: a.config.anchor_mint,
        anchor_token_program: a.config.anchor_token_program,
        stable_reserve: a.config.stable_reserve,
        params: params.params,
    });
    Ok(())
}

/// Creates the anchor mint at its PDA (`rwa_guard::new_mint`): `RESERVE_DECIMALS`, mint
/// authority the config PDA, no freeze authority, no extension but (Token-2022) the metadata
/// pointer to itself and the token metadata, whose update authority is the config PDA.
fn create_anchor_mint(
    a: &Initialize<'_>,
    params: &InitializeParams,
    config_bump: u8,
    mint_bump: u8,
) -> Result<()> {
    let mint_seeds: &[&[u8]] = &[seeds::ANCHOR_MINT, &[mint_bump]];
    let config_seeds: &[&[u8]] = &[seeds::CONFIG, &[config_bump]];
    let new_mint = NewMint {
        payer: a.admin.to_account_info(),
        system_program: a.system_program.to_account_info(),
        token_program: a.anchor_token_program.to_account_info(),
        mint: a.anchor_mint.to_account_info(),
        mint_seeds,
        authority: a.config.to_account_info(),
        authority_seeds: config_seeds,
        decimals: RESERVE_DECIMALS,
    };
    let metadata = new_mint.is_token_2022().then(|| params.metadata(a.anchor_mint.key()));
    new_mint.create(metadata.as_ref(), &[], || Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_spl::token::spl_token;

    fn params(name: &str, symbol: &str, uri: &str) -> InitializeParams {
        InitializeParams {
            guardian: Pubkey::new_unique(),
            params: AnchorParams {
                fee_in_bps: 0,
                fee_out_bps: 0,
                overcollateral_bps: 0,
                max_entry_age_secs: 1,
                max_price_age_secs: 1,
                global_ceiling: 0,
            },
            name: name.into(),
            symbol: symbol.into(),
            uri: uri.into(),
        }
    }

    #[test]
    fn token_2022_metadata_is_bounded_field_by_field() {
        let t22 = spl_token_2022::ID;
        assert!(params("Anchor", "ANC", "").check_metadata(&t22).is_ok());
        let long_uri = "u".repeat(MAX_ANCHOR_URI_LEN);
        assert!(params(&"n".repeat(32), &"s".repeat(10), &long_uri).check_metadata(&t22).is_ok());
        let cases = [
            (params("", "ANC", ""), AnchorTokenError::InvalidAnchorName),
            (params(&"n".repeat(33), "ANC", ""), AnchorTokenError::InvalidAnchorName),
            (params("Anchor", "", ""), AnchorTokenError::InvalidAnchorSymbol),
            (params("Anchor", &"s".repeat(11), ""), AnchorTokenError::InvalidAnchorSymbol),
            (params("Anchor", "ANC", &"u".repeat(201)), AnchorTokenError::InvalidAnchorUri),
        ];
        for (p, error) in cases {
            assert_eq!(p.check_metadata(&t22).unwrap_err(), error.into());
        }
    }

    #[test]
    fn an_spl_token_anchor_mint_takes_no_metadata() {
        assert!(params("", "", "").check_metadata(&spl_token::ID).is_ok());
        let err = params("Anchor", "", "").check_metadata(&spl_token::ID).unwrap_err();
        assert_eq!(err, AnchorTokenError::AnchorMetadataNeedsToken2022.into());
    }
}
