//! Permissionless cranks: redeem the anchor tokens the bid bought, for stable through
//! value-anchor's PSM, or in kind when the PSM cannot pay, then claim the units owed.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use value_anchor::{
    program::ValueAnchor,
    state::{AcceptedPool, AnchorConfig, Backing},
};

use crate::{
    anchor_side,
    errors::ReserveError,
    seeds,
    state::{add, sub, ListedPool, ReserveBook, ReserveConfig},
};

/// The reserve as a value-anchor holder: its anchor and stable vaults, signed for by the
/// config PDA, and value-anchor's PSM accounts.
#[derive(Accounts)]
pub struct AnchorHolder<'info> {
    /// The config PDA signs as the holder (writable: value-anchor's holder account is).
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    /// CHECK: value-anchor's config, checked by value-anchor.
    pub anchor_config: UncheckedAccount<'info>,
    /// CHECK: value-anchor's backing, checked by value-anchor.
    #[account(mut)]
    pub anchor_backing: UncheckedAccount<'info>,
    #[account(mut, address = config.anchor_mint @ ReserveError::AccountMismatch)]
    pub anchor_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = config.stable_mint @ ReserveError::AccountMismatch)]
    pub stable_mint: Box<InterfaceAccount<'info, Mint>>,
    /// CHECK: value-anchor's stable reserve, checked by value-anchor.
    #[account(mut)]
    pub anchor_stable_reserve: UncheckedAccount<'info>,
    #[account(mut, address = config.stable_vault @ ReserveError::AccountMismatch)]
    pub stable_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = config.anchor_vault @ ReserveError::AccountMismatch)]
    pub anchor_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.token_program @ ReserveError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
    /// The anchor mint's token program (burns the anchor vault's tokens).
    #[account(address = config.anchor_token_program @ ReserveError::AnchorTokenProgramMismatch)]
    pub anchor_token_program: Interface<'info, TokenInterface>,
    pub value_anchor_program: Program<'info, ValueAnchor>,
}

impl<'info> AnchorHolder<'info> {
    fn psm(&self) -> value_anchor::cpi::accounts::Psm<'info> {
        value_anchor::cpi::accounts::Psm {
            holder: self.config.to_account_info(),
            config: self.anchor_config.to_account_info(),
            backing: self.anchor_backing.to_account_info(),
            anchor_mint: self.anchor_mint.to_account_info(),
            reserve_mint: self.stable_mint.to_account_info(),
            stable_reserve: self.anchor_stable_reserve.to_account_info(),
            holder_stable: self.stable_vault.to_account_info(),
            holder_anchor: self.anchor_vault.to_account_info(),
            token_program: self.token_program.to_account_info(),
            anchor_token_program: self.anchor_token_program.to_account_info(),
        }
    }

    /// What the anchor tokens held redeem for (`anchor_side::anchor_worth`, which refuses a
    /// stale backing: value-anchor's PSM counts a stale entry as nothing, and a permissionless
    /// crank must not redeem the reserve's tokens against it) and value-anchor's stable reserve
    /// as last settled. `pools`: value-anchor's pools in slot order.
    fn worth_and_stable(&self, pools: &[AccountInfo], now: i64) -> Result<(u64, u64)> {
        let (config, backing) = (&self.anchor_config, &self.anchor_backing);
        require_keys_eq!(*config.owner, value_anchor::ID, ReserveError::AccountMismatch);
        require_keys_eq!(*backing.owner, value_anchor::ID, ReserveError::AccountMismatch);
        let config = AnchorConfig::try_deserialize(&mut &config.try_borrow_data()?[..])?;
        let backing = Backing::try_deserialize(&mut &backing.try_borrow_data()?[..])?;
        let worth =
            anchor_side::anchor_worth(self.book.anchor_held, &config, &backing, pools, now)?;
        Ok((worth, backing.stable_reserve))
    }

    /// Books what a redemption of every anchor token held brought into the stable vault.
    fn book_redemption(&mut self, before: u64) -> Result<(u64, u64)> {
        self.stable_vault.reload()?;
        let proceeds = sub(self.stable_vault.amount, before)?;
        let amount = self.book.anchor_held;
        self.book.cash = add(self.book.cash, proceeds)?;
        self.book.anchor_held = 0;
        Ok((amount, proceeds))
    }
}

#[derive(Accounts)]
pub struct RedeemAnchor<'info> {
    pub holder: AnchorHolder<'info>,
}

#[derive(Accounts)]
pub struct RedeemAnchorInKind<'info> {
    /// Pays the in-kind claim's rent.
    #[account(mut)]
    pub payer: Signer<'info>,
    pub holder: AnchorHolder<'info>,
    /// CHECK: the claim value-anchor opens at `["claim", reserve config, nonce]`; value-anchor
    /// checks its address.
    #[account(mut)]
    pub claim: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

#[derive(Accounts)]
pub struct ClaimAnchorUnits<'info> {
    #[account(mut, seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, ReserveConfig>>,
    #[account(mut, seeds = [seeds::BOOK], bump = book.bump)]
    pub book: Box<Account<'info, ReserveBook>>,
    /// CHECK: value-anchor's config, checked by value-anchor.
    pub anchor_config: UncheckedAccount<'info>,
    /// CHECK: value-anchor's backing, checked by value-anchor.
    #[account(mut)]
    pub anchor_backing: UncheckedAccount<'info>,
    /// value-anchor's accepted pool whose units are claimed; the reserve must list the pool.
    #[account(
        seeds = [value_anchor::seeds::ACCEPTED_POOL, accepted_pool.pool.as_ref()],
        seeds::program = value_anchor::ID,
        bump = accepted_pool.bump,
    )]
    pub accepted_pool: Box<Account<'info, AcceptedPool>>,
    /// CHECK: the reserve's open claim, checked by value-anchor (holder = config PDA).
    #[account(mut)]
    pub claim: UncheckedAccount<'info>,
    #[account(
        seeds = [seeds::LISTED_POOL, accepted_pool.pool.as_ref()],
        bump = listed_pool.bump,
        has_one = unit_mint @ ReserveError::AccountMismatch,
        has_one = units_vault @ ReserveError::AccountMismatch,
    )]
    pub listed_pool: Box<Account<'info, ListedPool>>,
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    /// CHECK: value-anchor's collateral account of the pool, checked by value-anchor.
    #[account(mut)]
    pub collateral: UncheckedAccount<'info>,
    #[account(mut)]
    pub units_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = listed_pool.unit_token_program @ ReserveError::AccountMismatch)]
    pub unit_token_program: Interface<'info, TokenInterface>,
    pub value_anchor_program: Program<'info, ValueAnchor>,
}

#[event]
pub struct AnchorRedeemed {
    pub amount: u64,
    /// Stable received; in kind, the rest is owed as units through `claim`.
    pub proceeds: u64,
    pub in_kind: bool,
    pub claim: Option<Pubkey>,
}

#[event]
pub struct AnchorUnitsClaimed {
    pub pool: Pubkey,
    pub units: u64,
    /// The claim is settled (value-anchor closed it).
    pub claim_settled: bool,
}

/// Redeems every anchor token the reserve holds for stable (`value_anchor::redeem_for_stable`,
/// signed by the config PDA), only against a fresh backing (`StaleBacking`). Remaining
/// accounts: value-anchor's accepted pools in slot order.
pub fn handle_redeem<'info>(ctx: Context<'info, RedeemAnchor<'info>>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let h = &mut ctx.accounts.holder;
    let amount = h.book.anchor_held;
    require!(amount > 0, ReserveError::NothingOwed);
    h.worth_and_stable(ctx.remaining_accounts, now)?;
    let before = h.stable_vault.amount;
    let seeds = h.config.signer_seeds();
    value_anchor::cpi::redeem_for_stable(
        CpiContext::new_with_signer(h.value_anchor_program.key(), h.psm(), &[&seeds])
            .with_remaining_accounts(ctx.remaining_accounts.to_vec()),
        amount,
        0,
    )?;
    let (amount, proceeds) = h.book_redemption(before)?;
    h.book.invariant()?;
    emit!(AnchorRedeemed { amount, proceeds, in_kind: false, claim: None });
    Ok(())
}

/// Redeems every anchor token the reserve holds in kind (`value_anchor::redeem_in_kind` at the
/// reserve's next claim nonce): the stable share arrives now, the units through
/// `claim_anchor_units`. Only when value-anchor's stable reserve cannot pay what the tokens
/// are worth (`StableRedemptionAvailable` otherwise), on a fresh backing; remaining accounts:
/// value-anchor's pools in slot order. Until the claim is settled the reserve takes no deposits and pays no
/// withdrawals (`ClaimPending`), so no share is priced without the units owed.
pub fn handle_redeem_in_kind<'info>(
    mut ctx: Context<'info, RedeemAnchorInKind<'info>>,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    let h = &mut a.holder;
    require!(!h.book.claim_open, ReserveError::ClaimPending);
    let amount = h.book.anchor_held;
    require!(amount > 0, ReserveError::NothingOwed);
    // in kind only when the PSM cannot pay: an open claim holds deposits and withdrawals
    let (worth, stable) = h.worth_and_stable(ctx.remaining_accounts, now)?;
    require!(worth > stable, ReserveError::StableRedemptionAvailable);
    let nonce = h.book.claims_opened;
    let before = h.stable_vault.amount;
    let seeds = h.config.signer_seeds();
    let accounts = value_anchor::cpi::accounts::RedeemInKind {
        psm: h.psm(),
        payer: a.payer.to_account_info(),
        claim: a.claim.to_account_info(),
        system_program: a.system_program.to_account_info(),
    };
    value_anchor::cpi::redeem_in_kind(
        CpiContext::new_with_signer(h.value_anchor_program.key(), accounts, &[&seeds]),
        amount,
        nonce,
    )?;
    let (amount, proceeds) = h.book_redemption(before)?;
    let opened = a.claim.data_len() > 0;
    h.book.claims_opened = add(nonce, 1)?;
    h.book.claim_open = opened;
    h.book.invariant()?;
    let claim = opened.then(|| a.claim.key());
    emit!(AnchorRedeemed { amount, proceeds, in_kind: true, claim });
    Ok(())
}

/// Collects the units the reserve's open claim owes of one pool into its holding (valued at the
/// holding's last mark; a share valuation needs it marked again). The claim closes when settled.
pub fn handle_claim_units<'info>(mut ctx: Context<'info, ClaimAnchorUnits<'info>>) -> Result<()> {
    let remaining = ctx.remaining_accounts.to_vec();
    let a = &mut ctx.accounts;
    require!(a.book.claim_open, ReserveError::NothingOwed);
    let before = a.units_vault.amount;
    let seeds = a.config.signer_seeds();
    value_anchor::cpi::claim_in_kind(
        CpiContext::new_with_signer(
            a.value_anchor_program.key(),
            value_anchor::cpi::accounts::ClaimInKind {
                holder: a.config.to_account_info(),
                config: a.anchor_config.to_account_info(),
                backing: a.anchor_backing.to_account_info(),
                accepted_pool: a.accepted_pool.to_account_info(),
                claim: a.claim.to_account_info(),
                unit_mint: a.unit_mint.to_account_info(),
                collateral: a.collateral.to_account_info(),
                holder_units: a.units_vault.to_account_info(),
                unit_token_program: a.unit_token_program.to_account_info(),
            },
            &[&seeds],
        )
        .with_remaining_accounts(remaining),
    )?;
    a.units_vault.reload()?;
    let units = sub(a.units_vault.amount, before)?;
    let slot = a.listed_pool.slot as usize;
    let book = &mut a.book;
    book.holdings[slot].units = add(book.holdings[slot].units, units)?;
    book.revalue(slot)?;
    let settled = a.claim.data_len() == 0 || a.claim.lamports() == 0;
    book.claim_open = !settled;
    book.invariant()?;
    emit!(AnchorUnitsClaimed { pool: a.listed_pool.pool, units, claim_settled: settled });
    Ok(())
}
