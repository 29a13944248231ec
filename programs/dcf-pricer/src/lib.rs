//! dcf-pricer: values each receivable pool's remaining cash flows with `rwa-math` from oracle
//! inputs and publishes a per-pool redemption rate that other programs read fresh, or refuse.
//! See `SPEC.md` beside this crate.
use anchor_lang::prelude::*;

pub mod errors;
pub mod instructions;
pub mod seeds;
pub mod state;

pub use instructions::*;

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
}
