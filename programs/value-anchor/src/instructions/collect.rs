use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};
use receivables::{program::Receivables, state::Pool};

use crate::{
    errors::AnchorTokenError,
    seeds,
    state::{AcceptedPool, AnchorConfig, Backing},
    token_ops,
};

#[derive(Accounts)]
pub struct Collect<'info> {
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Box<Account<'info, AnchorConfig>>,
    #[account(mut, seeds = [seeds::BACKING], bump = backing.bump)]
    pub backing: Box<Account<'info, Backing>>,
    #[account(
        seeds = [seeds::ACCEPTED_POOL, pool.key().as_ref()],
        bump = accepted_pool.bump,
        has_one = pool @ AnchorTokenError::AccountMismatch,
        has_one = unit_mint @ AnchorTokenError::AccountMismatch,
        has_one = collateral @ AnchorTokenError::AccountMismatch,
    )]
    pub accepted_pool: Box<Account<'info, AcceptedPool>>,
    pub pool: Box<Account<'info, Pool>>,
    /// CHECK: the receivables registry config, checked by the receivables program.
    pub receivables_config: UncheckedAccount<'info>,
    #[account(mut)]
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub collateral: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, address = pool.vault @ AnchorTokenError::AccountMismatch)]
    pub pool_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.reserve_mint @ AnchorTokenError::AccountMismatch)]
    pub reserve_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, address = config.stable_reserve @ AnchorTokenError::AccountMismatch)]
    pub stable_reserve: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = config.anchor_mint @ AnchorTokenError::AccountMismatch)]
    pub anchor_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = accepted_pool.unit_token_program @ AnchorTokenError::AccountMismatch)]
    pub unit_token_program: Interface<'info, TokenInterface>,
    #[account(address = config.token_program @ AnchorTokenError::AccountMismatch)]
    pub token_program: Interface<'info, TokenInterface>,
    pub receivables_program: Program<'info, Receivables>,
}

#[event]
pub struct Collected {
    pub pool: Pubkey,
    pub units: u64,
    /// Stable the pool paid into the reserve.
    pub proceeds: u64,
    /// The vault paid these units nothing: the entry was written off (the units stay, worthless,
    /// in the collateral account).
    pub written_off: bool,
    pub total_backing: u64,
}

/// Permissionless: redeems the backing units of a Matured, WrittenOff or Closed pool through
/// the receivables program (signed by the config PDA, the collateral's owner) straight into the
/// stable reserve. Units reserved for in-kind claims stay in the collateral account. A pool
/// whose vault pays these units nothing (a default with no recovery) has its entry written off
/// without a transfer, so a dead pool never blocks minting nor counts as backing.
pub fn handler(mut ctx: Context<Collect>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = &mut ctx.accounts;
    require!(a.pool.status.is_redeemable(), AnchorTokenError::PoolNotCollectable);
    let slot = a.accepted_pool.slot as usize;
    let units = a.backing.entries[slot].units;
    require!(units > 0, AnchorTokenError::NothingOwed);
    let before = a.stable_reserve.amount;
    let due = receivables::state::redemption_payout_floor(
        a.pool_vault.amount,
        a.unit_mint.supply,
        units,
    )?;
    if due > 0 {
        a.redeem_units(units)?;
    }
    a.stable_reserve.reload()?;
    let proceeds =
        a.stable_reserve.amount.checked_sub(before).ok_or(AnchorTokenError::MathOverflow)?;
    let e = &mut a.backing.entries[slot];
    e.units = 0;
    e.value = 0;
    e.value_high = 0;
    e.priced_at = now;
    a.backing.settle(a.stable_reserve.amount, a.anchor_mint.supply, now)?;
    a.backing.invariant()?;
    emit!(Collected {
        pool: a.pool.key(),
        units,
        proceeds,
        written_off: due == 0,
        total_backing: a.backing.total_backing,
    });
    Ok(())
}

impl Collect<'_> {
    /// `receivables::redeem(units)` from the collateral into the stable reserve, signed by the
    /// config PDA.
    fn redeem_units(&self, units: u64) -> Result<()> {
        let a = self;
        let seeds = token_ops::config_seeds(&a.config);
        receivables::cpi::redeem(
            CpiContext::new_with_signer(
                a.receivables_program.key(),
                receivables::cpi::accounts::Redeem {
                    holder: a.config.to_account_info(),
                    config: a.receivables_config.to_account_info(),
                    pool: a.pool.to_account_info(),
                    unit_mint: a.unit_mint.to_account_info(),
                    holder_units: a.collateral.to_account_info(),
                    vault: a.pool_vault.to_account_info(),
                    currency_mint: a.reserve_mint.to_account_info(),
                    destination: a.stable_reserve.to_account_info(),
                    unit_token_program: a.unit_token_program.to_account_info(),
                    currency_token_program: a.token_program.to_account_info(),
                },
                &[&seeds],
            ),
            units,
        )
    }
}
