//! Instruction builders and PDAs of the dcf-pricer program (config, pool pricing, refresh).
use anchor_lang::prelude::Pubkey;
use dcf_pricer::{
    instruction,
    state::{PoolPricing, PricingParams},
    InitializeParams,
};
use rwa_oracle::state::GradeRisk;
use solana_sdk::instruction::Instruction;

use crate::{
    anchor_ix,
    oracle::{self, feed_pda, grade_pda, GradeFeeds},
    registry::{unit_mint_pda, vault_pda},
};

/// The pricer config PDA.
pub fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[dcf_pricer::seeds::CONFIG], &dcf_pricer::ID).0
}

/// The `PoolPricing` PDA of `pool`.
pub fn pool_pricing_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[dcf_pricer::seeds::POOL_PRICING, pool.as_ref()], &dcf_pricer::ID)
        .0
}

/// `initialize` signed by `admin`, with `program_data` as the program's ProgramData account
/// (`program_data_address(&dcf_pricer::ID)`).
pub fn initialize_ix(
    admin: &Pubkey,
    program_data: &Pubkey,
    params: InitializeParams,
) -> Instruction {
    anchor_ix(
        dcf_pricer::ID,
        dcf_pricer::accounts::Initialize {
            admin: *admin,
            program_data: *program_data,
            config: config_pda(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params },
    )
}

crate::admin_instructions!(dcf_pricer);

/// `set_paused(paused)` by the guardian or admin `authority`.
pub fn set_paused_ix(authority: &Pubkey, paused: bool) -> Instruction {
    anchor_ix(
        dcf_pricer::ID,
        dcf_pricer::accounts::SetPaused { authority: *authority, config: config_pda() },
        instruction::SetPaused { paused },
    )
}

/// `create_pool_pricing(params)` of `pool` by `admin`, bound to the oracle's `grade_risk`
/// account and `benchmark_feed`.
pub fn create_pool_pricing_ix(
    admin: &Pubkey,
    pool: &Pubkey,
    grade_risk: &Pubkey,
    benchmark_feed: &Pubkey,
    params: PricingParams,
) -> Instruction {
    anchor_ix(
        dcf_pricer::ID,
        dcf_pricer::accounts::CreatePoolPricing {
            admin: *admin,
            config: config_pda(),
            pool: *pool,
            grade_risk: *grade_risk,
            benchmark_feed: *benchmark_feed,
            pool_pricing: pool_pricing_pda(pool),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::CreatePoolPricing { params },
    )
}

/// `set_pricing_params(params)` of `pool`'s pricing by `admin`.
pub fn set_pricing_params_ix(admin: &Pubkey, pool: &Pubkey, params: PricingParams) -> Instruction {
    anchor_ix(
        dcf_pricer::ID,
        dcf_pricer::accounts::SetPricingParams {
            admin: *admin,
            config: config_pda(),
            pool_pricing: pool_pricing_pda(pool),
        },
        instruction::SetPricingParams { params },
    )
}

/// The accounts `refresh_rate` reads for `pool`, as the pool and its pricing name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefreshAccounts {
    /// The receivables pool.
    pub pool: Pubkey,
    /// Its currency vault.
    pub vault: Pubkey,
    /// Its unit mint.
    pub unit_mint: Pubkey,
    /// The benchmark-rate feed the pricing is bound to.
    pub benchmark_feed: Pubkey,
    /// The oracle's `GradeRisk` of the pool's grade.
    pub grade_risk: Pubkey,
    /// The grade's spread feed.
    pub spread_feed: Pubkey,
    /// The grade's PD feed.
    pub pd_feed: Pubkey,
    /// The grade's LGD feed.
    pub lgd_feed: Pubkey,
}

impl RefreshAccounts {
    /// The accounts of a pool of `grade` priced on `benchmark` and `feeds` (by feed id).
    pub fn new(pool: &Pubkey, grade: u8, benchmark: &[u8; 32], feeds: &GradeFeeds) -> Self {
        RefreshAccounts {
            pool: *pool,
            vault: vault_pda(pool),
            unit_mint: unit_mint_pda(pool),
            benchmark_feed: feed_pda(benchmark),
            grade_risk: grade_pda(grade),
            spread_feed: feed_pda(&feeds.spread),
            pd_feed: feed_pda(&feeds.pd),
            lgd_feed: feed_pda(&feeds.lgd),
        }
    }

    /// The accounts as the pool's `PoolPricing` and its `GradeRisk` name them (what a client
    /// reads from the chain).
    pub fn from_state(pricing: &PoolPricing, grade: &GradeRisk) -> Self {
        RefreshAccounts {
            pool: pricing.pool,
            vault: pricing.vault,
            unit_mint: pricing.unit_mint,
            benchmark_feed: pricing.benchmark_feed,
            grade_risk: pricing.grade_risk,
            spread_feed: grade.spread_feed,
            pd_feed: grade.pd_feed,
            lgd_feed: grade.lgd_feed,
        }
    }

    /// The four feeds in the order `refresh_rate` reads them: benchmark, spread, PD, LGD.
    pub fn feeds(&self) -> [Pubkey; 4] {
        [self.benchmark_feed, self.spread_feed, self.pd_feed, self.lgd_feed]
    }

    /// `refresh_rate()` of the pool.
    pub fn ix(&self) -> Instruction {
        anchor_ix(
            dcf_pricer::ID,
            dcf_pricer::accounts::RefreshRate {
                config: config_pda(),
                pool_pricing: pool_pricing_pda(&self.pool),
                pool: self.pool,
                vault: self.vault,
                unit_mint: self.unit_mint,
                oracle_config: oracle::config_pda(),
                benchmark_feed: self.benchmark_feed,
                grade_risk: self.grade_risk,
                spread_feed: self.spread_feed,
                pd_feed: self.pd_feed,
                lgd_feed: self.lgd_feed,
            },
            instruction::RefreshRate {},
        )
    }
}
