//! rwa-oracle: benchmark rates, per-grade credit risk and market prices for the RWA liquidity
//! protocol. See `SPEC.md` beside this crate for accounts, instructions, invariants and errors.
use anchor_lang::prelude::*;

pub mod errors;
pub mod instructions;
pub mod seeds;
pub mod state;

pub use instructions::*;

declare_id!("26qb6MRuvoqQN4gKJ7nBES5roEGnNSUxohSs7LmXuQNy");

#[program]
pub mod rwa_oracle {
    use super::*;

    /// Creates the oracle config PDA. The signer becomes `admin`; `params` set the guardian and
    /// the default freshness and quorum bounds that every feed inherits.
    pub fn initialize(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
        instructions::initialize::handler(ctx, params)
    }
}
