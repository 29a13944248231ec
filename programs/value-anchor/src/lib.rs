//! value-anchor: a stable token backed by real assets. Receivable units exchange into it at the
//! pricer's fresh unit price; it redeems for the reserve stablecoin (PSM) or in kind; its
//! backing is public and checked on every mint. See `SPEC.md` beside this crate.
use anchor_lang::prelude::*;

pub mod errors;
pub mod instructions;
pub mod math;
pub mod seeds;
pub mod state;
pub mod token_ops;

pub use instructions::*;
use state::{AnchorParams, PoolParams};

declare_id!("6uK1dyU8Xm4WVp7ycNZUCT7cmto3NGtH4fbrkEBNowDe");

#[program]
pub mod value_anchor {
    use super::*;

    /// The program's upgrade authority only (proven by its ProgramData account): creates the
    /// config PDA, the anchor-token mint (mint authority: the config), the stable reserve and
    /// the backing account, bound to the reserve stablecoin mint. The signer becomes `admin`.
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

    /// Admin only: PSM fees, overcollateral, freshness bounds and the global ceiling.
    pub fn set_params(ctx: Context<SetParams>, params: AnchorParams) -> Result<()> {
        instructions::set_params::handle_set_params(ctx, params)
    }

    /// Admin only: the reserve-stablecoin account (not the stable reserve) that `sweep_fees`
    /// pays accrued PSM fees into.
    pub fn set_fee_recipient(ctx: Context<SetFeeRecipient>) -> Result<()> {
        instructions::set_params::handle_set_fee_recipient(ctx)
    }

    /// Guardian or admin: pause minting (exchange, PSM mint). Admin only: unpause.
    /// Redemptions are never paused.
    pub fn set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
        instructions::set_params::handle_set_paused(ctx, paused)
    }

    /// Admin only: accepts a pool in the reserve stablecoin, priced by dcf-pricer, with its
    /// haircut, ceiling and capacity; creates its collateral account.
    pub fn accept_pool(ctx: Context<AcceptPool>, params: PoolParams) -> Result<()> {
        instructions::accept_pool::handle_accept_pool(ctx, params)
    }

    /// Admin only: a pool's haircut, ceiling and capacity, and whether its intake is open.
    pub fn set_pool_params(
        ctx: Context<SetPoolParams>,
        params: PoolParams,
        intake_open: bool,
    ) -> Result<()> {
        instructions::accept_pool::handle_set_pool_params(ctx, params, intake_open)
    }

    /// Any holder: `units` of an accepted pool in, `floor(floor(units x fresh price) x
    /// (1 - haircut))` anchor tokens out, at least `min_out`. Remaining accounts: every
    /// accepted pool's account, in backing-slot order; then, for permissioned units, the
    /// transfer hook's extra accounts (hook program, validation account, the accounts it lists).
    pub fn exchange<'info>(
        ctx: Context<'info, Exchange<'info>>,
        units: u64,
        min_out: u64,
    ) -> Result<()> {
        instructions::exchange::handler(ctx, units, min_out)
    }

    /// Anyone: re-prices one pool's backing entry at the pricer's fresh price.
    pub fn refresh_backing(ctx: Context<RefreshBacking>) -> Result<()> {
        instructions::refresh_backing::handler(ctx)
    }

    /// Any holder: stable in, anchor tokens out less `fee_in`, at least `min_out`. Remaining
    /// accounts: every accepted pool's account, in backing-slot order.
    pub fn mint_with_stable(ctx: Context<Psm>, amount: u64, min_out: u64) -> Result<()> {
        instructions::psm::handle_mint_with_stable(ctx, amount, min_out)
    }

    /// Any holder: anchor tokens in, stable out at `min(1, backing / supply)` less `fee_out`,
    /// at least `min_out`, as far as the stable reserve holds. Remaining accounts: every
    /// accepted pool's account, in backing-slot order.
    pub fn redeem_for_stable(ctx: Context<Psm>, amount: u64, min_out: u64) -> Result<()> {
        instructions::psm::handle_redeem_for_stable(ctx, amount, min_out)
    }

    /// Any holder: anchor tokens in, a `amount / max(supply, backing)` share of the stable
    /// reserve at once and of every pool's units through an in-kind claim at the holder's
    /// `nonce`, whose rent `payer` pays (the holder, or anyone for a PDA holder redeeming
    /// through CPI). Never paused.
    pub fn redeem_in_kind(ctx: Context<RedeemInKind>, amount: u64, nonce: u64) -> Result<()> {
        instructions::redeem_in_kind::handler(ctx, amount, nonce)
    }

    /// The claim's holder: collects what the claim owes of one pool's units. Remaining
    /// accounts, for permissioned units: the transfer hook's extra accounts.
    pub fn claim_in_kind<'info>(ctx: Context<'info, ClaimInKind<'info>>) -> Result<()> {
        instructions::claim_in_kind::handler(ctx)
    }

    /// Anyone: redeems the backing units of a Matured, WrittenOff or Closed pool through the
    /// receivables program into the stable reserve.
    pub fn collect(ctx: Context<Collect>) -> Result<()> {
        instructions::collect::handler(ctx)
    }

    /// Anyone (the buyback reserve's insurance first): the payer's stable into the stable
    /// reserve, `min(max_amount, ceil(supply x (1 + overcollateral)) - backing)`; refused when
    /// nothing is short (`NoShortfall`) or an entry is stale. Never paused. Remaining accounts:
    /// every accepted pool's account, in backing-slot order.
    pub fn receive_cover(ctx: Context<ReceiveCover>, max_amount: u64) -> Result<()> {
        instructions::receive_cover::handler(ctx, max_amount)
    }

    /// Anyone: pays `min(fees_accrued, surplus, stable reserve)` to the fee recipient, where
    /// `surplus = backing - ceil(supply x (1 + overcollateral))`: fees leave only out of
    /// surplus. Remaining accounts: every accepted pool's account, in backing-slot order.
    pub fn sweep_fees(ctx: Context<SweepFees>) -> Result<()> {
        instructions::sweep_fees::handler(ctx)
    }
}
