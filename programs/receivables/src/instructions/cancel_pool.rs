//! Issuer: cancels a Draft pool and gets back the limits it reserved.
use anchor_lang::prelude::*;

use crate::{
    errors::ReceivablesError,
    seeds,
    state::{Issuer, Pool, PoolStatus},
};

#[derive(Accounts)]
pub struct CancelPool<'info> {
    pub issuer_authority: Signer<'info>,
    #[account(
        mut,
        seeds = [seeds::ISSUER, issuer_authority.key().as_ref()],
        bump = issuer.bump,
    )]
    pub issuer: Box<Account<'info, Issuer>>,
    #[account(
        mut,
        seeds = [seeds::POOL, pool.issuer.as_ref(), pool.index.to_le_bytes().as_ref()],
        bump = pool.bump,
        constraint = pool.issuer == issuer_authority.key() @ ReceivablesError::NotPoolIssuer,
    )]
    pub pool: Box<Account<'info, Pool>>,
}

#[event]
pub struct PoolCancelled {
    pub pool: Pubkey,
    pub face_value_released: u64,
}

/// Draft -> Cancelled. No unit was ever minted; the unit mint's authority is the pool, which no
/// instruction signs for again (every one needs another status), so mint and vault stay
/// unusable. The pool's face value and its slot count again towards the issuer's limits.
pub fn handler(ctx: Context<CancelPool>) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    require!(pool.status == PoolStatus::Draft, ReceivablesError::InvalidPoolStatus);
    let issuer = &mut ctx.accounts.issuer;
    issuer.release_cancelled_pool(pool.face_value)?;
    issuer.invariant()?;
    pool.status = PoolStatus::Cancelled;
    pool.touch();
    pool.invariant()?;
    emit!(PoolCancelled { pool: pool.key(), face_value_released: pool.face_value });
    Ok(())
}
