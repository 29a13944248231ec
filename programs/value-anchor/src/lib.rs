//! value-anchor: a stable token backed by real assets. Receivable units exchange into it at the
//! pricer's fresh redemption rate; it redeems for the reserve stablecoin or in kind; its backing
//! is public and checked on every mint. See `SPEC.md` beside this crate.
use anchor_lang::prelude::*;

pub mod errors;
pub mod instructions;
pub mod seeds;
pub mod state;

pub use instructions::*;

declare_id!("6uK1dyU8Xm4WVp7ycNZUCT7cmto3NGtH4fbrkEBNowDe");

#[program]
pub mod value_anchor {
    use super::*;

    /// The program's upgrade authority only (proven by its ProgramData account): creates the
    /// config PDA and the anchor-token mint (a PDA whose mint authority is the config), bound to
    /// the reserve stablecoin mint. The signer becomes `admin`.
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
}
