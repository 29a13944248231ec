//! receivables: approved issuers package SME receivables into pools and mint small fractional
//! SPL units; servicers record what really happens. See `SPEC.md` beside this crate.
use anchor_lang::prelude::*;

pub mod errors;
pub mod instructions;
pub mod seeds;
pub mod state;

pub use instructions::*;
use state::{ApprovalStatus, IssuerLimits};

declare_id!("8xeUKRHnR97J61AKMwnFf3CR4hYCfMhRkNG729fUwspR");

#[program]
pub mod receivables {
    use super::*;

    /// The program's upgrade authority only (proven by its ProgramData account): creates the
    /// registry config PDA. The signer becomes `admin`.
    pub fn initialize(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
        instructions::initialize::handler(ctx, params)
    }

    /// Admin only: offers the admin role to `new_admin` (first step of the handover), replacing
    /// any earlier offer; `Pubkey::default()` withdraws the offer. The admin keeps the role
    /// until the offer is accepted.
    pub fn propose_admin(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
        instructions::admin_handover::handle_propose_admin(ctx, new_admin)
    }

    /// The proposed admin only: takes the admin role; the offer is cleared and the previous
    /// admin keeps no power.
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        instructions::admin_handover::handle_accept_admin(ctx)
    }

    /// Admin only: replaces the guardian (the key that may pause immediately); never the
    /// default pubkey.
    pub fn set_guardian(ctx: Context<SetGuardian>, guardian: Pubkey) -> Result<()> {
        instructions::admin_handover::handle_set_guardian(ctx, guardian)
    }

    /// Admin only: approves `issuer_authority` as an issuer with pool-count and face-value limits.
    pub fn approve_issuer(ctx: Context<ApproveIssuer>, params: IssuerLimits) -> Result<()> {
        instructions::approve_issuer::handler(ctx, params)
    }

    /// Admin only: accepts `currency_mint` for new pools, after screening its Token-2022
    /// extensions (refused: any that changes transfers or who controls balances).
    pub fn add_currency(ctx: Context<AddCurrency>) -> Result<()> {
        instructions::manage_currency::handle_add_currency(ctx)
    }

    /// Admin only: stops accepting `mint` for new pools.
    pub fn remove_currency(ctx: Context<RemoveCurrency>, mint: Pubkey) -> Result<()> {
        instructions::manage_currency::handle_remove_currency(ctx, mint)
    }

    /// Admin only: replaces an issuer's limits (they bind its next pools).
    pub fn set_issuer_limits(ctx: Context<SetIssuerStatus>, limits: IssuerLimits) -> Result<()> {
        instructions::manage_participants::handle_set_issuer_limits(ctx, limits)
    }

    /// Admin only: approves `servicer_authority` as a servicer.
    pub fn approve_servicer(ctx: Context<ApproveServicer>) -> Result<()> {
        instructions::manage_participants::handle_approve_servicer(ctx)
    }

    /// Admin only: suspends or reinstates an issuer (a suspended issuer creates and activates
    /// no pools).
    pub fn set_issuer_status(ctx: Context<SetIssuerStatus>, status: ApprovalStatus) -> Result<()> {
        instructions::manage_participants::handle_set_issuer_status(ctx, status)
    }

    /// Admin only: suspends or reinstates a servicer (a suspended servicer takes no new pools
    /// and loses every power over the pools it services).
    pub fn set_servicer_status(
        ctx: Context<SetServicerStatus>,
        status: ApprovalStatus,
    ) -> Result<()> {
        instructions::manage_participants::handle_set_servicer_status(ctx, status)
    }

    /// Guardian or admin: pause pool creation, activation, servicing and redemptions. Admin
    /// only: unpause.
    pub fn set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
        instructions::manage_participants::handle_set_paused(ctx, paused)
    }

    /// Approved issuer only: creates a Draft pool with its schedule (first chunk), grade,
    /// document hash and approved servicer, its unit mint (authority: the pool PDA) and its
    /// repayment vault. Token-2022 units carry metadata; permissioned units
    /// (`params.unit_access`) also the protocol's transfer hook, and need as remaining accounts
    /// the hook program, the attestor, the mint gate and the extra-account-metas PDAs.
    pub fn create_pool<'info>(
        ctx: Context<'info, CreatePool<'info>>,
        params: CreatePoolParams,
    ) -> Result<()> {
        instructions::create_pool::handler(ctx, params)
    }

    /// The pool's issuer only: appends cash flows to a Draft pool's schedule.
    pub fn append_schedule(
        ctx: Context<AppendSchedule>,
        payments: Vec<ScheduledPayment>,
    ) -> Result<()> {
        instructions::append_schedule::handler(ctx, payments)
    }

    /// The pool's issuer only: activates a Draft pool whose schedule covers its face value and
    /// is not yet due, and mints every unit to the issuer's unit account, signed by the pool
    /// PDA. Units can never exceed the face value. A permissioned pool's units go only to a
    /// holder the transfer hook would allow (remaining accounts: mint gate, attestor,
    /// attestation).
    pub fn activate_pool<'info>(ctx: Context<'info, ActivatePool<'info>>) -> Result<()> {
        instructions::activate_pool::handler(ctx)
    }

    /// The pool's issuer only: cancels a Draft pool, releasing the limits it reserved.
    pub fn cancel_pool(ctx: Context<CancelPool>) -> Result<()> {
        instructions::cancel_pool::handler(ctx)
    }

    /// The pool's servicer: a repayment into the vault; what reached the vault pays the
    /// schedule oldest-first.
    pub fn record_repayment(ctx: Context<ReceivePayment>, amount: u64) -> Result<()> {
        instructions::receive_payment::handle_record_repayment(ctx, amount)
    }

    /// The pool's servicer: Active -> Late when a flow is past due and unpaid.
    pub fn mark_late(ctx: Context<ServicePool>) -> Result<()> {
        instructions::service_pool::handle_mark_late(ctx)
    }

    /// The pool's servicer: Active or Late -> Defaulted when a flow is past due and unpaid.
    pub fn declare_default(ctx: Context<ServicePool>) -> Result<()> {
        instructions::service_pool::handle_declare_default(ctx)
    }

    /// The pool's servicer: a recovery into the vault of a Defaulted pool (what reached it).
    pub fn record_recovery(ctx: Context<ReceivePayment>, amount: u64) -> Result<()> {
        instructions::receive_payment::handle_record_recovery(ctx, amount)
    }

    /// The pool's servicer: writes off part of what a Late or Defaulted pool still expects.
    pub fn write_down(ctx: Context<ServicePool>, amount: u64) -> Result<()> {
        instructions::service_pool::handle_write_down(ctx, amount)
    }

    /// The pool's servicer: Matured, WrittenOff or Defaulted -> Closed.
    pub fn close_pool(ctx: Context<ClosePool>) -> Result<()> {
        instructions::service_pool::handle_close_pool(ctx)
    }

    /// Admin only: Defaulted -> Closed once `DEFAULTED_CLOSE_GRACE_SECS` have passed since the
    /// default, so holders are never locked out.
    pub fn admin_close_pool(ctx: Context<AdminClosePool>) -> Result<()> {
        instructions::service_pool::handle_admin_close_pool(ctx)
    }

    /// Admin only: hands a pool that is not final to another approved servicer.
    pub fn replace_servicer(ctx: Context<ReplaceServicer>) -> Result<()> {
        instructions::replace_servicer::handler(ctx)
    }

    /// Any holder of a Matured, WrittenOff or Closed pool: burns units for their pro-rata share of the
    /// vault, rounded down.
    pub fn redeem(ctx: Context<Redeem>, units: u64) -> Result<()> {
        instructions::redeem::handler(ctx, units)
    }
}
