//! Servicer: status changes without money (late, default, write-down, close); admin: closing a
//! Defaulted pool its servicer left open.
use anchor_lang::prelude::*;

use crate::{
    errors::ReceivablesError,
    seeds,
    state::{
        ApprovalStatus, Issuer, Pool, PoolStatus, RegistryConfig, Servicer,
        DEFAULTED_CLOSE_GRACE_SECS,
    },
};

/// Accounts of every servicer instruction: the registry must not be paused, the signer must be
/// the pool's servicer and still approved.
#[derive(Accounts)]
pub struct ServicePool<'info> {
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
    )]
    pub pool: Box<Account<'info, Pool>>,
    /// The pool's servicer's registry record.
    #[account(
        seeds = [seeds::SERVICER, pool.servicer.as_ref()],
        bump = servicer_record.bump,
        constraint = servicer_record.status == ApprovalStatus::Approved @ ReceivablesError::ServicerNotApproved,
    )]
    pub servicer_record: Box<Account<'info, Servicer>>,
}

/// `ServicePool` plus the pool's issuer record, whose face-value limit closing frees.
#[derive(Accounts)]
pub struct ClosePool<'info> {
    pub service: ServicePool<'info>,
    #[account(mut, seeds = [seeds::ISSUER, service.pool.issuer.as_ref()], bump = issuer.bump)]
    pub issuer: Box<Account<'info, Issuer>>,
}

/// The admin closes a Defaulted pool after the grace period.
#[derive(Accounts)]
pub struct AdminClosePool<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        mut,
        seeds = [seeds::POOL, pool.issuer.as_ref(), pool.index.to_le_bytes().as_ref()],
        bump = pool.bump,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut, seeds = [seeds::ISSUER, pool.issuer.as_ref()], bump = issuer.bump)]
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
    pub status: PoolStatus,
}

fn transition(pool: &mut Account<Pool>, to: PoolStatus, now: i64) -> Result<()> {
    let from = pool.status;
    pool.status = to;
    pool.touch();
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

/// Active or Late -> Defaulted, when a scheduled flow is past due and unpaid. Starts the
/// admin's close grace period.
pub fn handle_declare_default(ctx: Context<ServicePool>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let pool = &mut ctx.accounts.pool;
    require!(
        matches!(pool.status, PoolStatus::Active | PoolStatus::Late),
        ReceivablesError::InvalidPoolStatus
    );
    require!(pool.first_overdue(now).is_some(), ReceivablesError::NothingOverdue);
    pool.defaulted_at = now;
    transition(pool, PoolStatus::Defaulted, now)
}

/// Late or Defaulted: writes off `amount` of the outstanding schedule, latest flows first. A
/// Late pool with nothing left outstanding becomes WrittenOff.
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
    pool.touch();
    pool.invariant()?;
    emit!(PoolWrittenDown {
        pool: pool.key(),
        amount,
        outstanding: pool.outstanding()?,
        status: pool.status,
    });
    Ok(())
}

/// -> Closed, freeing the issuer's face-value limit.
fn close(pool: &mut Account<Pool>, issuer: &mut Issuer, now: i64) -> Result<()> {
    issuer.release_face_value(pool.face_value)?;
    issuer.invariant()?;
    transition(pool, PoolStatus::Closed, now)
}

/// Matured, WrittenOff or Defaulted -> Closed: the pool's final state (after default, once
/// recoveries are done). Holders redeem from Matured, WrittenOff or Closed pools.
pub fn handle_close_pool(ctx: Context<ClosePool>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let pool = &mut ctx.accounts.service.pool;
    require!(
        matches!(pool.status, PoolStatus::Matured | PoolStatus::WrittenOff | PoolStatus::Defaulted),
        ReceivablesError::InvalidPoolStatus
    );
    close(pool, &mut ctx.accounts.issuer, now)
}

/// Defaulted -> Closed by the admin, once `DEFAULTED_CLOSE_GRACE_SECS` have passed since the
/// default, so that holders reach the recoveries even if the servicer never closes.
pub fn handle_admin_close_pool(ctx: Context<AdminClosePool>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let pool = &mut ctx.accounts.pool;
    require!(pool.status == PoolStatus::Defaulted, ReceivablesError::InvalidPoolStatus);
    let grace_end = pool
        .defaulted_at
        .checked_add(DEFAULTED_CLOSE_GRACE_SECS)
        .ok_or(ReceivablesError::MathOverflow)?;
    require!(now >= grace_end, ReceivablesError::GracePeriodNotOver);
    close(pool, &mut ctx.accounts.issuer, now)
}
