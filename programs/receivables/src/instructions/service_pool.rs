//! Servicer: status changes without money (late, default, write-down, close).
use anchor_lang::prelude::*;

use crate::{
    errors::ReceivablesError,
    seeds,
    state::{Issuer, Pool, PoolStatus},
};

/// Accounts of `mark_late`, `declare_default` and `write_down`.
#[derive(Accounts)]
pub struct ServicePool<'info> {
    pub servicer: Signer<'info>,
    #[account(
        mut,
        seeds = [seeds::POOL, pool.issuer.as_ref(), pool.index.to_le_bytes().as_ref()],
        bump = pool.bump,
        constraint = pool.servicer == servicer.key() @ ReceivablesError::NotPoolServicer,
    )]
    pub pool: Box<Account<'info, Pool>>,
}

/// `ServicePool` plus the pool's issuer record, whose face-value limit closing frees.
#[derive(Accounts)]
pub struct ClosePool<'info> {
    pub service: ServicePool<'info>,
    #[account(mut, seeds = [seeds::ISSUER, service.pool.issuer.as_ref()], bump = issuer.bump)]
    pub issuer: Box<Account<'info, Issuer>>,
}

#[event]
pub struct PoolStatusChanged {
    pub pool: Pubkey,
    pub from: PoolStatus,
    pub to: PoolStatus,
    pub days_late: u64,
}

#[event]
pub struct PoolWrittenDown {
    pub pool: Pubkey,
    pub amount: u64,
    pub outstanding: u64,
}

fn transition(pool: &mut Account<Pool>, to: PoolStatus, now: i64) -> Result<()> {
    let from = pool.status;
    pool.status = to;
    pool.invariant()?;
    emit!(PoolStatusChanged { pool: pool.key(), from, to, days_late: pool.days_late(now) });
    Ok(())
}

/// Active -> Late, when a scheduled flow is past due and unpaid.
pub fn handle_mark_late(ctx: Context<ServicePool>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let pool = &mut ctx.accounts.pool;
    require!(pool.status == PoolStatus::Active, ReceivablesError::InvalidPoolStatus);
    require!(pool.first_overdue(now).is_some(), ReceivablesError::NothingOverdue);
    transition(pool, PoolStatus::Late, now)
}

/// Active or Late -> Defaulted, when a scheduled flow is past due and unpaid.
pub fn handle_declare_default(ctx: Context<ServicePool>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let pool = &mut ctx.accounts.pool;
    require!(
        matches!(pool.status, PoolStatus::Active | PoolStatus::Late),
        ReceivablesError::InvalidPoolStatus
    );
    require!(pool.first_overdue(now).is_some(), ReceivablesError::NothingOverdue);
    transition(pool, PoolStatus::Defaulted, now)
}

/// Late or Defaulted: writes off `amount` of the outstanding schedule, latest flows first. A
/// Late pool with nothing left outstanding matures.
pub fn handle_write_down(ctx: Context<ServicePool>, amount: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let pool = &mut ctx.accounts.pool;
    require!(
        matches!(pool.status, PoolStatus::Late | PoolStatus::Defaulted),
        ReceivablesError::InvalidPoolStatus
    );
    require!(amount > 0, ReceivablesError::ZeroAmount);
    pool.apply_write_down(amount)?;
    pool.settle_status(now)?;
    pool.invariant()?;
    emit!(PoolWrittenDown { pool: pool.key(), amount, outstanding: pool.outstanding()? });
    Ok(())
}

/// Matured or Defaulted -> Closed: the pool's final state (after default, once recoveries are
/// done). Frees the issuer's face-value limit. Holders redeem from Matured or Closed pools.
pub fn handle_close_pool(ctx: Context<ClosePool>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let pool = &mut ctx.accounts.service.pool;
    require!(
        matches!(pool.status, PoolStatus::Matured | PoolStatus::Defaulted),
        ReceivablesError::InvalidPoolStatus
    );
    let issuer = &mut ctx.accounts.issuer;
    issuer.face_value_outstanding = issuer.face_value_outstanding.saturating_sub(pool.face_value);
    issuer.invariant()?;
    transition(pool, PoolStatus::Closed, now)
}
