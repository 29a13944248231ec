//! Admin: hands a pool to another approved servicer (a lost or suspended servicer key).
use anchor_lang::prelude::*;

use crate::{
    errors::ReceivablesError,
    seeds,
    state::{ApprovalStatus, Pool, PoolStatus, RegistryConfig, Servicer},
};

#[derive(Accounts)]
pub struct ReplaceServicer<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        mut,
        seeds = [seeds::POOL, pool.issuer.as_ref(), pool.index.to_le_bytes().as_ref()],
        bump = pool.bump,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        seeds = [seeds::SERVICER, new_servicer.authority.as_ref()],
        bump = new_servicer.bump,
        constraint = new_servicer.status == ApprovalStatus::Approved @ ReceivablesError::ServicerNotApproved,
    )]
    pub new_servicer: Box<Account<'info, Servicer>>,
}

#[event]
pub struct ServicerReplaced {
    pub pool: Pubkey,
    pub from: Pubkey,
    pub to: Pubkey,
}

/// Any pool not yet final (Closed or Cancelled) gets `new_servicer` as its servicer.
pub fn handler(ctx: Context<ReplaceServicer>) -> Result<()> {
    let to = ctx.accounts.new_servicer.authority;
    let pool = &mut ctx.accounts.pool;
    require!(
        !matches!(pool.status, PoolStatus::Closed | PoolStatus::Cancelled),
        ReceivablesError::InvalidPoolStatus
    );
    require_keys_neq!(pool.servicer, to, ReceivablesError::SameServicer);
    let from = pool.servicer;
    pool.servicer = to;
    pool.invariant()?;
    emit!(ServicerReplaced { pool: pool.key(), from, to });
    Ok(())
}
