//! buyback-reserve: buyer of last resort for receivable units at a priced exit curve, a floor
//! bid for the value-anchor token, and an insurance pool whose stakers absorb losses first.
//! See `SPEC.md` beside this crate.
use anchor_lang::prelude::*;

pub mod errors;
pub mod instructions;
pub mod seeds;
pub mod state;

pub use instructions::*;

declare_id!("HiNCehJWkz62ymcSV97j89v6VaCESYEec1Mcqn1vhrvF");

#[program]
pub mod buyback_reserve {
    use super::*;

    /// The program's upgrade authority only (proven by its ProgramData account): creates the
    /// reserve config PDA and its stablecoin vault (a token account owned by the config PDA).
    /// The signer becomes `admin`.
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
