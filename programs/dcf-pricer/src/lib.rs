//! dcf-pricer: values each receivable pool's remaining cash flows with `rwa-math` from oracle
//! inputs and publishes a per-pool redemption rate that other programs read fresh, or refuse.
//! See `SPEC.md` beside this crate.
use anchor_lang::prelude::*;

pub mod errors;
pub mod instructions;
pub mod seeds;
pub mod state;

pub use instructions::*;
use state::PricingParams;

declare_id!("EpDbvupDThGsry11CQrFSh4F3gbqbX7dmFhuJ8JEb8hn");

#[program]
pub mod dcf_pricer {
    use super::*;

    /// The program's upgrade authority only (proven by its ProgramData account): creates the
    /// pricer config PDA. The signer becomes `admin`; `params` set the guardian and how long a
    /// published redemption rate stays usable.
    pub fn initialize(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
        instructions::initialize::handler(ctx, params)
    }

    /// Guardian or admin: pause refreshes and every read of a price. Admin only: unpause.
    pub fn set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
        instructions::set_paused::handler(ctx, paused)
    }

    /// Admin: accepts a receivables pool for pricing, binding its grade to the oracle's grade
    /// account and a benchmark-rate feed, with the input age and rise bound.
    pub fn create_pool_pricing(
        ctx: Context<CreatePoolPricing>,
        params: PricingParams,
    ) -> Result<()> {
        instructions::create_pool_pricing::handler(ctx, params)
    }

    /// Admin: replaces a pool's input age and rise bound.
    pub fn set_pricing_params(ctx: Context<SetPricingParams>, params: PricingParams) -> Result<()> {
        instructions::set_pricing_params::handler(ctx, params)
    }

    /// Anyone: values the pool from fresh oracle inputs (biased against the holder) and its
    /// vault, and publishes the unit price, rounded down; a fall applies at once, a rise is
    /// capped per interval. Refuses by name when any input is unusable.
    pub fn refresh_rate(ctx: Context<RefreshRate>) -> Result<()> {
        instructions::refresh_rate::handler(ctx)
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
}
