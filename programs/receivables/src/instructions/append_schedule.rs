use anchor_lang::prelude::*;

use crate::{
    errors::ReceivablesError,
    seeds,
    state::{validate_schedule_shape, CashFlow, Pool, PoolStatus},
    ScheduledPayment,
};

#[derive(Accounts)]
pub struct AppendSchedule<'info> {
    pub issuer_authority: Signer<'info>,
    #[account(
        mut,
        seeds = [seeds::POOL, pool.issuer.as_ref(), pool.index.to_le_bytes().as_ref()],
        bump = pool.bump,
        constraint = pool.issuer == issuer_authority.key() @ ReceivablesError::NotPoolIssuer,
    )]
    pub pool: Box<Account<'info, Pool>>,
}

#[event]
pub struct ScheduleAppended {
    pub pool: Pubkey,
    pub added: u16,
    pub cash_flows: u16,
}

/// Appends `payments` to a Draft pool's schedule (a transaction holds about 30 cash flows;
/// a pool up to `MAX_SCHEDULE_LEN`). The combined schedule must stay strictly ascending.
pub fn handler(ctx: Context<AppendSchedule>, payments: Vec<ScheduledPayment>) -> Result<()> {
    let pool = &mut ctx.accounts.pool;
    require!(pool.status == PoolStatus::Draft, ReceivablesError::InvalidPoolStatus);
    require!(!payments.is_empty(), ReceivablesError::InvalidScheduleLength);
    pool.schedule.extend(payments.iter().map(|p| CashFlow {
        due_ts: p.due_ts,
        amount: p.amount,
        paid: 0,
        written_off: 0,
    }));
    validate_schedule_shape(&pool.schedule)?;
    pool.check_schedule_bound()?;
    pool.invariant()?;
    emit!(ScheduleAppended {
        pool: pool.key(),
        added: payments.len() as u16,
        cash_flows: pool.schedule.len() as u16,
    });
    Ok(())
}
