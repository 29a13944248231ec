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
}
