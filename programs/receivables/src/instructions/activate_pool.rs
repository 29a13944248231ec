use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, MintTo, TokenAccount, TokenInterface};

use crate::{
    errors::ReceivablesError,
    seeds,
    state::{ApprovalStatus, Issuer, Pool, PoolStatus, RegistryConfig},
};

#[derive(Accounts)]
pub struct ActivatePool<'info> {
    pub issuer_authority: Signer<'info>,
    #[account(
        seeds = [seeds::CONFIG],
        bump = config.bump,
        constraint = !config.paused @ ReceivablesError::Paused,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        seeds = [seeds::ISSUER, issuer_authority.key().as_ref()],
        bump = issuer.bump,
        constraint = issuer.status == ApprovalStatus::Approved @ ReceivablesError::IssuerNotApproved,
    )]
    pub issuer: Box<Account<'info, Issuer>>,
    #[account(
        mut,
        seeds = [seeds::POOL, pool.issuer.as_ref(), pool.index.to_le_bytes().as_ref()],
        bump = pool.bump,
        constraint = pool.issuer == issuer_authority.key() @ ReceivablesError::NotPoolIssuer,
        has_one = unit_mint,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(mut, mint::token_program = unit_token_program)]
    pub unit_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut,
        token::mint = unit_mint,
        token::token_program = unit_token_program,
    )]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,
    pub unit_token_program: Interface<'info, TokenInterface>,
}

#[event]
pub struct PoolActivated {
    pub pool: Pubkey,
    pub destination: Pubkey,
    pub units: u64,
}

impl<'info> ActivatePool<'info> {
    /// Units of a permissioned pool (a mint hooked to the protocol's transfer hook) are minted,
    /// which runs no hook, so the hook's rule is applied here: `destination` must be a protocol
    /// account, or an account with an immutable owner attested by the mint's attestor
    /// (`transfer_hook::holder::check_receiver`). `hook_accounts` are the instruction's
    /// remaining accounts: mint gate, attestor, attestation. Open units need none.
    pub fn validate(&self, hook_accounts: &[AccountInfo<'info>], now: i64) -> Result<()> {
        let mint = self.unit_mint.to_account_info();
        if rwa_guard::mint::transfer_hook_program(&mint)? != Some(transfer_hook::ID) {
            return Ok(());
        }
        let [mint_gate, attestor, attestation, ..] = hook_accounts else {
            return err!(ReceivablesError::UnitHolderNotAllowed);
        };
        let destination = self.destination.to_account_info();
        transfer_hook::holder::check_receiver(
            &mint,
            &destination,
            mint_gate,
            attestor,
            attestation,
            now,
        )
        .map_err(|e| {
            msg!("transfer hook: {}", e);
            error!(ReceivablesError::UnitHolderNotAllowed)
        })
    }
}

pub fn handler<'info>(ctx: Context<'info, ActivatePool<'info>>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    ctx.accounts.validate(ctx.remaining_accounts, now)?;
    let pool = &mut ctx.accounts.pool;
    require!(pool.status == PoolStatus::Draft, ReceivablesError::InvalidPoolStatus);
    let first_due = pool.schedule.first().map_or(i64::MIN, |cf| cf.due_ts);
    require!(first_due > now, ReceivablesError::ScheduleAlreadyDue);
    require!(pool.scheduled_total()? >= pool.face_value, ReceivablesError::ScheduleBelowFaceValue);
    pool.check_schedule_bound()?;
    let units =
        pool.max_units()?.checked_sub(pool.units_minted).ok_or(ReceivablesError::OverMint)?;

    let index = pool.index.to_le_bytes();
    let signer_seeds: &[&[u8]] = &[seeds::POOL, pool.issuer.as_ref(), &index, &[pool.bump]];
    token_interface::mint_to(
        CpiContext::new_with_signer(
            ctx.accounts.unit_token_program.key(),
            MintTo {
                mint: ctx.accounts.unit_mint.to_account_info(),
                to: ctx.accounts.destination.to_account_info(),
                authority: pool.to_account_info(),
            },
            &[signer_seeds],
        ),
        units,
    )?;

    pool.units_minted = pool.units_minted.checked_add(units).ok_or(ReceivablesError::OverMint)?;
    pool.status = PoolStatus::Active;
    pool.touch();
    pool.invariant()?;

    emit!(PoolActivated { pool: pool.key(), destination: ctx.accounts.destination.key(), units });
    Ok(())
}
