use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::{
    errors::ReceivablesError,
    seeds,
    state::{
        validate_schedule_shape, ApprovalStatus, AssetClass, CashFlow, Issuer, Pool, PoolStatus,
        RegistryConfig, Servicer,
    },
};

/// One scheduled payment as the issuer submits it.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScheduledPayment {
    pub due_ts: i64,
    pub amount: u64,
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct CreatePoolParams {
    pub asset_class: AssetClass,
    pub grade: u8,
    pub face_value: u64,
    pub unit_size: u64,
    pub doc_hash: [u8; 32],
    pub uri: String,
    pub schedule: Vec<ScheduledPayment>,
}

#[derive(Accounts)]
pub struct CreatePool<'info> {
    #[account(mut)]
    pub issuer_authority: Signer<'info>,
    #[account(
        mut,
        seeds = [seeds::CONFIG],
        bump = config.bump,
        constraint = !config.paused @ ReceivablesError::Paused,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        mut,
        seeds = [seeds::ISSUER, issuer_authority.key().as_ref()],
        bump = issuer.bump,
    )]
    pub issuer: Box<Account<'info, Issuer>>,
    #[account(
        init,
        payer = issuer_authority,
        space = 8 + Pool::INIT_SPACE,
        seeds = [
            seeds::POOL,
            issuer_authority.key().as_ref(),
            issuer.pools_created.to_le_bytes().as_ref(),
        ],
        bump,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        seeds = [seeds::SERVICER, servicer.authority.as_ref()],
        bump = servicer.bump,
        constraint = servicer.status == ApprovalStatus::Approved @ ReceivablesError::ServicerNotApproved,
    )]
    pub servicer: Box<Account<'info, Servicer>>,
    #[account(
        mint::token_program = currency_token_program,
        constraint = config.accepts_currency(&currency_mint.key()) @ ReceivablesError::CurrencyNotAccepted,
    )]
    pub currency_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        init,
        payer = issuer_authority,
        seeds = [seeds::UNIT_MINT, pool.key().as_ref()],
        bump,
        mint::decimals = currency_mint.decimals,
        mint::authority = pool,
        mint::token_program = unit_token_program,
    )]
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        init,
        payer = issuer_authority,
        seeds = [seeds::VAULT, pool.key().as_ref()],
        bump,
        token::mint = currency_mint,
        token::authority = pool,
        token::token_program = currency_token_program,
    )]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub currency_token_program: Interface<'info, TokenInterface>,
    pub unit_token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

#[event]
pub struct PoolCreated {
    pub pool: Pubkey,
    pub issuer: Pubkey,
    pub servicer: Pubkey,
    pub currency_mint: Pubkey,
    pub unit_mint: Pubkey,
    pub face_value: u64,
    pub grade: u8,
    pub cash_flows: u16,
    pub doc_hash: [u8; 32],
}

/// Validates the submitted (first chunk of the) schedule against `now` and returns it as stored.
/// (Grade, URI and unit size are checked by `Pool::invariant` once the pool is built; that the
/// whole schedule covers the face value, at activation.)
pub fn calculate_schedule(params: &CreatePoolParams, now: i64) -> Result<Vec<CashFlow>> {
    let schedule: Vec<CashFlow> = params
        .schedule
        .iter()
        .map(|p| CashFlow { due_ts: p.due_ts, amount: p.amount, paid: 0, written_off: 0 })
        .collect();
    validate_schedule_shape(&schedule)?;
    require!(schedule[0].due_ts > now, ReceivablesError::ScheduleNotSorted);
    Ok(schedule)
}

pub fn handler(ctx: Context<CreatePool>, params: CreatePoolParams) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let schedule = calculate_schedule(&params, now)?;
    // Screened when accepted; extensions are fixed at mint creation, checked again for depth.
    rwa_guard::mint::check_mint(&ctx.accounts.currency_mint.to_account_info())?;

    let issuer = &mut ctx.accounts.issuer;
    let index = issuer.pools_created;
    issuer.reserve_pool(params.face_value)?;
    issuer.invariant()?;

    let config = &mut ctx.accounts.config;
    config.pool_count = config.pool_count.checked_add(1).ok_or(ReceivablesError::MathOverflow)?;

    let pool = &mut ctx.accounts.pool;
    pool.set_inner(Pool {
        issuer: issuer.authority,
        servicer: ctx.accounts.servicer.authority,
        currency_mint: ctx.accounts.currency_mint.key(),
        unit_mint: ctx.accounts.unit_mint.key(),
        vault: ctx.accounts.vault.key(),
        index,
        asset_class: params.asset_class,
        grade: params.grade,
        status: PoolStatus::Draft,
        face_value: params.face_value,
        unit_size: params.unit_size,
        units_minted: 0,
        total_repaid: 0,
        total_recovered: 0,
        doc_hash: params.doc_hash,
        uri: params.uri,
        schedule,
        bump: ctx.bumps.pool,
        unit_mint_bump: ctx.bumps.unit_mint,
        vault_bump: ctx.bumps.vault,
        defaulted_at: 0,
        version: 0,
    });
    pool.invariant()?;
    pool.check_schedule_bound()?;

    emit!(PoolCreated {
        pool: pool.key(),
        issuer: pool.issuer,
        servicer: pool.servicer,
        currency_mint: pool.currency_mint,
        unit_mint: pool.unit_mint,
        face_value: pool.face_value,
        grade: pool.grade,
        cash_flows: pool.schedule.len() as u16,
        doc_hash: pool.doc_hash,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::MAX_SCHEDULE_LEN;

    const NOW: i64 = 1_800_000_000;

    fn params(schedule: Vec<ScheduledPayment>) -> CreatePoolParams {
        CreatePoolParams {
            asset_class: AssetClass::SmeLoan,
            grade: 0,
            face_value: 100,
            unit_size: 1,
            doc_hash: [0; 32],
            uri: String::new(),
            schedule,
        }
    }

    fn monthly(n: usize, amount: u64) -> Vec<ScheduledPayment> {
        (1..=n as i64).map(|m| ScheduledPayment { due_ts: NOW + m * 2_592_000, amount }).collect()
    }

    #[test]
    fn a_sorted_future_schedule_covering_face_value_is_stored_unpaid() {
        let schedule = calculate_schedule(&params(monthly(4, 25)), NOW).unwrap();
        assert_eq!(schedule.len(), 4);
        assert!(schedule.iter().all(|cf| cf.paid == 0 && cf.amount == 25));
    }

    #[test]
    fn schedules_longer_than_the_maximum_are_refused() {
        let err = calculate_schedule(&params(monthly(MAX_SCHEDULE_LEN + 1, 1)), NOW).unwrap_err();
        assert_eq!(err, ReceivablesError::InvalidScheduleLength.into());
        assert!(calculate_schedule(&params(monthly(MAX_SCHEDULE_LEN, 2)), NOW).is_ok());
    }

    #[test]
    fn a_schedule_starting_in_the_past_is_refused() {
        let mut payments = monthly(3, 10);
        payments[0].due_ts = NOW;
        let err = calculate_schedule(&params(payments), NOW).unwrap_err();
        assert_eq!(err, ReceivablesError::ScheduleNotSorted.into());
    }
}
