//! Servicer: money into the pool vault, as a scheduled repayment or as a recovery after default.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

use crate::{
    errors::ReceivablesError,
    seeds,
    state::{Pool, PoolStatus, RegistryConfig},
};

/// Accounts of `record_repayment` and `record_recovery`.
#[derive(Accounts)]
pub struct ReceivePayment<'info> {
    pub servicer: Signer<'info>,
    #[account(
        seeds = [seeds::CONFIG],
        bump = config.bump,
        constraint = !config.paused @ ReceivablesError::Paused,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        mut,
        seeds = [seeds::POOL, pool.issuer.as_ref(), pool.index.to_le_bytes().as_ref()],
        bump = pool.bump,
        constraint = pool.servicer == servicer.key() @ ReceivablesError::NotPoolServicer,
        has_one = vault,
        has_one = currency_mint,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mint::token_program = currency_token_program)]
    pub currency_mint: Box<InterfaceAccount<'info, Mint>>,
    /// The servicer's currency account (the servicer signs the transfer).
    #[account(mut, token::mint = currency_mint, token::token_program = currency_token_program)]
    pub source: Box<InterfaceAccount<'info, TokenAccount>>,
    pub currency_token_program: Interface<'info, TokenInterface>,
}

impl ReceivePayment<'_> {
    fn transfer_in(&self, amount: u64) -> Result<()> {
        token_interface::transfer_checked(
            CpiContext::new(
                self.currency_token_program.key(),
                TransferChecked {
                    from: self.source.to_account_info(),
                    mint: self.currency_mint.to_account_info(),
                    to: self.vault.to_account_info(),
                    authority: self.servicer.to_account_info(),
                },
            ),
            amount,
            self.currency_mint.decimals,
        )
    }
}

#[event]
pub struct RepaymentRecorded {
    pub pool: Pubkey,
    pub amount: u64,
    pub outstanding: u64,
    pub status: PoolStatus,
}

#[event]
pub struct RecoveryRecorded {
    pub pool: Pubkey,
    pub amount: u64,
    pub total_recovered: u64,
}

/// Active or Late pools: `amount` moves into the vault and pays the schedule oldest-first;
/// the pool matures when nothing is outstanding, and returns to Active when nothing is overdue.
pub fn handle_record_repayment(ctx: Context<ReceivePayment>, amount: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let pool = &ctx.accounts.pool;
    require!(
        matches!(pool.status, PoolStatus::Active | PoolStatus::Late),
        ReceivablesError::InvalidPoolStatus
    );
    require!(amount > 0, ReceivablesError::ZeroAmount);

    let pool = &mut ctx.accounts.pool;
    pool.apply_repayment(amount)?;
    ctx.accounts.transfer_in(amount)?;
    let pool = &mut ctx.accounts.pool;
    pool.settle_status(now)?;
    pool.invariant()?;
    emit!(RepaymentRecorded {
        pool: pool.key(),
        amount,
        outstanding: pool.outstanding()?,
        status: pool.status,
    });
    Ok(())
}

/// Defaulted pools: `amount` recovered from the obligors moves into the vault.
pub fn handle_record_recovery(ctx: Context<ReceivePayment>, amount: u64) -> Result<()> {
    require!(
        ctx.accounts.pool.status == PoolStatus::Defaulted,
        ReceivablesError::InvalidPoolStatus
    );
    require!(amount > 0, ReceivablesError::ZeroAmount);
    ctx.accounts.transfer_in(amount)?;
    let pool = &mut ctx.accounts.pool;
    pool.total_recovered =
        pool.total_recovered.checked_add(amount).ok_or(ReceivablesError::MathOverflow)?;
    pool.invariant()?;
    emit!(RecoveryRecorded { pool: pool.key(), amount, total_recovered: pool.total_recovered });
    Ok(())
}
