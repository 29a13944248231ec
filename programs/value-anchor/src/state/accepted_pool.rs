use anchor_lang::prelude::*;

use crate::{errors::AnchorTokenError, math::DecayingUsage};

/// Highest haircut the admin may set (50%).
pub const MAX_HAIRCUT_BPS: u16 = 5_000;

/// How one accepted pool's units are taken in.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolParams {
    /// Taken off the units' value on exchange; stays in the backing as surplus.
    pub haircut_bps: u16,
    /// Most value (units held x last price) the protocol may hold of this pool.
    pub ceiling: u64,
    /// Most value taken in per `capacity_window_secs`, refilling linearly.
    pub capacity: u64,
    pub capacity_window_secs: u32,
}

impl PoolParams {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.haircut_bps <= MAX_HAIRCUT_BPS && self.capacity_window_secs > 0,
            AnchorTokenError::InvalidParams
        );
        Ok(())
    }
}

/// A receivables pool whose units value-anchor takes. PDA: `[seeds::ACCEPTED_POOL, pool]`.
#[account]
#[derive(InitSpace)]
pub struct AcceptedPool {
    pub pool: Pubkey,
    /// The dcf-pricer `PoolPricing` of the pool: the price every exchange reads.
    pub pricing: Pubkey,
    pub unit_mint: Pubkey,
    pub unit_token_program: Pubkey,
    /// The protocol's unit account for this pool (PDA `[seeds::COLLATERAL, pool]`, owned by
    /// the config).
    pub collateral: Pubkey,
    /// This pool's entry in `Backing::entries`.
    pub slot: u8,
    pub params: PoolParams,
    /// When false, exchanges of this pool's units are refused (`IntakeStopped`); redemptions
    /// and collection go on.
    pub intake_open: bool,
    /// Decaying usage of `params.capacity`.
    pub usage: u64,
    pub usage_at: i64,
    pub bump: u8,
    pub collateral_bump: u8,
}

impl AcceptedPool {
    pub fn usage(&self) -> DecayingUsage {
        DecayingUsage {
            capacity: self.params.capacity,
            window_secs: self.params.capacity_window_secs,
            usage: self.usage,
            usage_at: self.usage_at,
        }
    }

    pub fn set_usage(&mut self, u: DecayingUsage) {
        self.usage = u.usage;
        self.usage_at = u.usage_at;
    }

    pub fn invariant(&self) -> Result<()> {
        self.params.validate()
    }
}
