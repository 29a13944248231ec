//! buyback-reserve: buyer of last resort for receivable units on a fair exit curve, a floor
//! bid for the value-anchor token, an insurance pool whose stakers absorb losses first, and the
//! protocol token. See `SPEC.md` beside this crate.
use anchor_lang::prelude::*;

pub mod anchor_side;
pub mod errors;
pub mod instructions;
pub mod math;
pub mod seeds;
pub mod state;
pub mod token_ops;

pub use instructions::*;
use state::ReserveParams;

declare_id!("HiNCehJWkz62ymcSV97j89v6VaCESYEec1Mcqn1vhrvF");

#[program]
pub mod buyback_reserve {
    use super::*;

    /// The program's upgrade authority only (proven by its ProgramData account): creates the
    /// config and book PDAs and the reserve's vaults (stable, insurance, fee, rewards, anchor),
    /// bound to value-anchor's reserve stablecoin and anchor mint. The signer becomes `admin`.
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

    /// Admin only: every reserve parameter (curve, budgets, band, fee shares, cooldowns,
    /// windows), bounds checked.
    pub fn set_params(ctx: Context<SetParams>, params: ReserveParams) -> Result<()> {
        instructions::set_params::handle_set_params(ctx, params)
    }

    /// Guardian or admin: pause buying, deposits and stakes. Admin only: unpause. Exits,
    /// collection, cover and cranks never pause.
    pub fn set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
        instructions::set_params::handle_set_paused(ctx, paused)
    }

    /// Admin only: lists a pool in the reserve stablecoin that the pricer prices, with the most
    /// value of its units the reserve may hold; creates the reserve's unit account for it.
    pub fn list_pool(ctx: Context<ListPool>, cap: u64) -> Result<()> {
        instructions::list_pool::handle_list_pool(ctx, cap)
    }

    /// Admin only: a listed pool's cap.
    pub fn set_pool_cap(ctx: Context<SetPoolCap>, cap: u64) -> Result<()> {
        instructions::list_pool::handle_set_pool_cap(ctx, cap)
    }

    /// Any holder: `units` of a listed pool in, `floor(units x fresh price)` less the exit
    /// curve's discount over the budget utilisation the sale spans out, at least `min_out`.
    /// Remaining accounts, for permissioned units: the transfer hook's extra accounts.
    pub fn sell_to_reserve<'info>(
        ctx: Context<'info, SellToReserve<'info>>,
        units: u64,
        min_out: u64,
    ) -> Result<()> {
        instructions::sell_to_reserve::handler(ctx, units, min_out)
    }

    /// Anyone: re-prices the reserve's holding of one pool at the pricer's fresh price.
    pub fn mark_holding(ctx: Context<MarkHolding>) -> Result<()> {
        instructions::mark_holding::handler(ctx)
    }

    /// Anyone: redeems the reserve's units of a Matured, WrittenOff or Closed pool through the
    /// receivables program into idle cash.
    pub fn collect(ctx: Context<Collect>) -> Result<()> {
        instructions::collect::handler(ctx)
    }

    /// Anyone: stable in, reserve shares out at the net assets, at least `min_shares`.
    /// Remaining accounts: listed pools in holding-slot order, then (while the reserve holds
    /// anchor tokens) value-anchor's pools in backing-slot order.
    pub fn deposit<'info>(
        ctx: Context<'info, Deposit<'info>>,
        amount: u64,
        min_shares: u64,
    ) -> Result<()> {
        instructions::deposit::handle_deposit(ctx, amount, min_shares)
    }

    /// A depositor: requested shares out after the cooldown, inside the window, paid from idle
    /// cash at the net assets, at least `min_out`. Remaining accounts as `deposit`.
    pub fn withdraw<'info>(
        ctx: Context<'info, Withdraw<'info>>,
        shares: u64,
        min_out: u64,
    ) -> Result<()> {
        instructions::deposit::handle_withdraw(ctx, shares, min_out)
    }

    /// A depositor or staker: starts the cooldown for `shares` of its position (0 cancels).
    pub fn request_exit(ctx: Context<RequestExit>, shares: u64) -> Result<()> {
        instructions::request_exit::handler(ctx, shares)
    }

    /// Anyone: stable into the insurance pool (first loss) for shares, at least `min_shares`.
    pub fn stake_insurance(
        ctx: Context<StakeInsurance>,
        amount: u64,
        min_shares: u64,
    ) -> Result<()> {
        instructions::insurance::handle_stake(ctx, amount, min_shares)
    }

    /// A staker: requested insurance shares out after the cooldown, inside the window, unless
    /// exits are frozen. Remaining accounts: value-anchor's pools in backing-slot order.
    pub fn unstake_insurance(
        ctx: Context<UnstakeInsurance>,
        shares: u64,
        min_out: u64,
    ) -> Result<()> {
        instructions::insurance::handle_unstake(ctx, shares, min_out)
    }

    /// Anyone: insurance cash into value-anchor's stable reserve up to its shortfall.
    /// Remaining accounts: value-anchor's pools in backing-slot order.
    pub fn cover_shortfall<'info>(ctx: Context<'info, CoverShortfall<'info>>) -> Result<()> {
        instructions::cover_shortfall::handler(ctx)
    }

    /// Anyone: anchor tokens in, `1 - band` of what they redeem for out, from the bid's epoch
    /// budget. Remaining accounts: value-anchor's pools in backing-slot order.
    pub fn sell_anchor_to_reserve(
        ctx: Context<SellAnchorToReserve>,
        amount: u64,
        min_out: u64,
    ) -> Result<()> {
        instructions::sell_anchor_to_reserve::handler(ctx, amount, min_out)
    }

    /// Anyone: redeems the anchor tokens the reserve holds for stable through value-anchor's
    /// PSM. Remaining accounts: value-anchor's pools in backing-slot order.
    pub fn redeem_anchor<'info>(ctx: Context<'info, RedeemAnchor<'info>>) -> Result<()> {
        instructions::redeem_anchor::handle_redeem(ctx)
    }

    /// Anyone (paying the claim's rent): redeems the anchor tokens the reserve holds in kind.
    pub fn redeem_anchor_in_kind<'info>(
        ctx: Context<'info, RedeemAnchorInKind<'info>>,
    ) -> Result<()> {
        instructions::redeem_anchor::handle_redeem_in_kind(ctx)
    }

    /// Anyone: collects one pool's units owed by the reserve's open in-kind claim. Remaining
    /// accounts (passed on to value-anchor), for permissioned units: the hook's extra accounts.
    pub fn claim_anchor_units<'info>(ctx: Context<'info, ClaimAnchorUnits<'info>>) -> Result<()> {
        instructions::redeem_anchor::handle_claim_units(ctx)
    }

    /// Anyone: splits the fee vault between insurance, protocol-token stakers and the reserve.
    pub fn distribute_fees(ctx: Context<DistributeFees>) -> Result<()> {
        instructions::distribute_fees::handler(ctx)
    }

    /// Admin only, once: creates the fixed-supply protocol token into the treasury.
    pub fn create_protocol_token(ctx: Context<CreateProtocolToken>, supply: u64) -> Result<()> {
        instructions::protocol_token::handle_create(ctx, supply)
    }

    /// Admin only: releases protocol tokens from the treasury.
    pub fn transfer_treasury(ctx: Context<TransferTreasury>, amount: u64) -> Result<()> {
        instructions::protocol_token::handle_transfer_treasury(ctx, amount)
    }

    /// Anyone: stakes protocol tokens for a share of protocol fees.
    pub fn stake_protocol(ctx: Context<StakeProtocol>, amount: u64) -> Result<()> {
        instructions::protocol_token::handle_stake(ctx, amount)
    }

    /// A staker: requested protocol tokens out after the cooldown, inside the window.
    pub fn unstake_protocol(ctx: Context<UnstakeProtocol>, amount: u64) -> Result<()> {
        instructions::protocol_token::handle_unstake(ctx, amount)
    }

    /// A staker: its protocol-fee rewards, in stable.
    pub fn claim_rewards(ctx: Context<ClaimRewards>) -> Result<()> {
        instructions::protocol_token::handle_claim_rewards(ctx)
    }
}
