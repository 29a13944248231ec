//! receivables: approved issuers package SME receivables into pools and mint small fractional
//! SPL units; servicers record what really happens. See `SPEC.md` beside this crate.
use anchor_lang::prelude::*;

pub mod errors;
pub mod instructions;
pub mod seeds;
pub mod state;

pub use instructions::*;
use state::IssuerLimits;

declare_id!("8xeUKRHnR97J61AKMwnFf3CR4hYCfMhRkNG729fUwspR");

#[program]
pub mod receivables {
    use super::*;

    /// Creates the registry config PDA. The signer becomes `admin`.
    pub fn initialize(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
        instructions::initialize::handler(ctx, params)
    }

    /// Admin only: approves `issuer_authority` as an issuer with pool-count and face-value limits.
    pub fn approve_issuer(ctx: Context<ApproveIssuer>, params: IssuerLimits) -> Result<()> {
        instructions::approve_issuer::handler(ctx, params)
    }

    /// Approved issuer only: creates a Draft pool with its schedule, grade, document hash and
    /// servicer, its unit mint (authority: the pool PDA) and its repayment vault.
    pub fn create_pool(ctx: Context<CreatePool>, params: CreatePoolParams) -> Result<()> {
        instructions::create_pool::handler(ctx, params)
    }

    /// The pool's issuer only: activates a Draft pool and mints every unit to the issuer's
    /// unit account, signed by the pool PDA. Units can never exceed the face value.
    pub fn activate_pool(ctx: Context<ActivatePool>) -> Result<()> {
        instructions::activate_pool::handler(ctx)
    }
}
