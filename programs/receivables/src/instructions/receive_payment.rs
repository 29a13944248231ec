//! Servicer: money into the pool vault, as a scheduled repayment or as a recovery after default.
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

use crate::{errors::ReceivablesError, instructions::service_pool::*, state::PoolStatus};

/// Accounts of `record_repayment` and `record_recovery`: the servicer checks of
/// [`ServicePool`], the pool's vault and currency, and the servicer's source account.
#[derive(Accounts)]
pub struct ReceivePayment<'info> {
    pub service: ServicePool<'info>,
    #[account(mut, address = service.pool.vault)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        address = service.pool.currency_mint,
        mint::token_program = currency_token_program,
    )]
    pub currency_mint: Box<InterfaceAccount<'info, Mint>>,
    /// The servicer's currency account (the servicer signs the transfer).
    #[account(mut, token::mint = currency_mint, token::token_program = currency_token_program)]
    pub source: Box<InterfaceAccount<'info, TokenAccount>>,
    pub currency_token_program: Interface<'info, TokenInterface>,
}

impl ReceivePayment<'_> {
    /// Moves `amount` from the servicer into the vault and returns what the vault actually
    /// gained (balance after minus before): the only amount the pool may credit.
    fn transfer_in(&mut self, amount: u64) -> Result<u64> {
        let before = self.vault.amount;
        token_interface::transfer_checked(
            CpiContext::new(
                self.currency_token_program.key(),
                TransferChecked {
                    from: self.source.to_account_info(),
                    mint: self.currency_mint.to_account_info(),
                    to: self.vault.to_account_info(),
                    authority: self.service.servicer.to_account_info(),
                },
            ),
            amount,
            self.currency_mint.decimals,
        )?;
        self.vault.reload()?;
        let received = received_amount(before, self.vault.amount)?;
        require!(received > 0, ReceivablesError::NothingReceived);
        Ok(received)
    }
}

/// What a transfer credited to the vault: its balance after minus before (never what was sent).
pub fn received_amount(before: u64, after: u64) -> Result<u64> {
    after.checked_sub(before).ok_or_else(|| error!(ReceivablesError::NothingReceived))
}

#[event]
pub struct RepaymentRecorded {
    pub pool: Pubkey,
    /// What reached the vault and was credited to the schedule.
    pub amount: u64,
    pub outstanding: u64,
    pub status: PoolStatus,
}

#[event]
pub struct RecoveryRecorded {
    pub pool: Pubkey,
    /// What reached the vault.
    pub amount: u64,
    pub total_recovered: u64,
}

/// Active or Late pools: `amount` moves into the vault and what arrived pays the schedule
/// oldest-first; the pool matures when nothing is outstanding, and returns to Active when
/// nothing is overdue.
pub fn handle_record_repayment(ctx: Context<ReceivePayment>, amount: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let pool = &ctx.accounts.service.pool;
    require!(
        matches!(pool.status, PoolStatus::Active | PoolStatus::Late),
        ReceivablesError::InvalidPoolStatus
    );
    require!(amount > 0, ReceivablesError::ZeroAmount);
    require!(amount <= pool.outstanding()?, ReceivablesError::RepaymentExceedsOutstanding);

    let received = ctx.accounts.transfer_in(amount)?;
    let pool = &mut ctx.accounts.service.pool;
    pool.apply_repayment(received)?;
    pool.settle_status(now)?;
    pool.touch();
    pool.invariant()?;
    emit!(RepaymentRecorded {
        pool: pool.key(),
        amount: received,
        outstanding: pool.outstanding()?,
        status: pool.status,
    });
    Ok(())
}

/// Defaulted pools: `amount` recovered from the obligors moves into the vault.
pub fn handle_record_recovery(ctx: Context<ReceivePayment>, amount: u64) -> Result<()> {
    require!(
        ctx.accounts.service.pool.status == PoolStatus::Defaulted,
        ReceivablesError::InvalidPoolStatus
    );
    require!(amount > 0, ReceivablesError::ZeroAmount);
    let received = ctx.accounts.transfer_in(amount)?;
    let pool = &mut ctx.accounts.service.pool;
    pool.total_recovered =
        pool.total_recovered.checked_add(received).ok_or(ReceivablesError::MathOverflow)?;
    pool.touch();
    pool.invariant()?;
    emit!(RecoveryRecorded {
        pool: pool.key(),
        amount: received,
        total_recovered: pool.total_recovered
    });
    Ok(())
}
