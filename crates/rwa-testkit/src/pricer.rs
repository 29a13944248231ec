//! The dcf-pricer's builders (from `rwa_sdk::pricer`, re-exported) and a fixture: the
//! registry's active pool, an oracle with a benchmark feed and the pool's grade (spread, PD, LGD
//! feeds, write-down steps), each fed by three publishers, and the pricer initialised with the
//! pool accepted for pricing.
use dcf_pricer::{
    state::{PoolPricing, PricingParams},
    InitializeParams,
};
use rwa_oracle::state::{FeedKind, FeedParams, WriteDownStepRaw};

use crate::{
    authority::program_data_address,
    oracle::{self, bps, feed_pda, grade_pda, GradeFeeds},
    prelude::*,
    registry::{self, Registry},
};

pub use rwa_sdk::pricer::*;

pub const BENCHMARK: [u8; 32] = *b"USD-SOFR-1M\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
pub const GRADE_FEEDS: GradeFeeds = GradeFeeds {
    spread: *b"SPREAD-B\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    pd: *b"PD-B\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    lgd: *b"LGD-B\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
};
/// The fixture's inputs in bps: benchmark 4.50%, spread 3.50%, PD 3.00%, LGD 45.00%.
pub const INPUTS_BPS: [u64; 4] = [450, 350, 300, 4_500];
/// The grade's overdue write-down steps: 10% from 30 days late, 50% from 90, 100% from 180.
pub fn write_down_steps() -> Vec<WriteDownStepRaw> {
    [(30, 1_000), (90, 5_000), (180, 10_000)]
        .iter()
        .map(|&(days_late, b)| WriteDownStepRaw { days_late, fraction: bps(b) })
        .collect()
}
pub const PRICING: PricingParams =
    PricingParams { max_input_age_secs: 600, max_rise_bps: 100, rise_interval_secs: 3_600 };

/// The registry fixture with pool 0 active, plus oracle and pricer (one admin for all three).
pub struct PricedPool {
    pub r: Registry,
    pub publishers: Vec<Keypair>,
    pub pool: Pubkey,
    /// The issuer's unit account (every unit).
    pub issuer_units: Pubkey,
    pub accounts: RefreshAccounts,
}

impl PricedPool {
    pub async fn new() -> Self {
        let mut r = Registry::new(TokenProgram::Classic).await;
        let (pool, issuer_units) = r.active_pool(0).await;
        let admin = r.admin.insecure_clone();
        let guardian = r.guardian.pubkey();
        let oracle_init =
            rwa_oracle::InitializeParams { guardian, max_staleness_secs: 600, min_publishers: 3 };
        let pricer_init = InitializeParams { guardian, max_rate_age_secs: 900 };
        r.env.set_upgrade_authority(&rwa_oracle::ID, &admin.pubkey());
        r.env.set_upgrade_authority(&dcf_pricer::ID, &admin.pubkey());
        r.env
            .send_ok(
                &[
                    oracle::initialize_ix(
                        &admin.pubkey(),
                        &program_data_address(&rwa_oracle::ID),
                        oracle_init,
                    ),
                    initialize_ix(
                        &admin.pubkey(),
                        &program_data_address(&dcf_pricer::ID),
                        pricer_init,
                    ),
                ],
                &[&admin],
            )
            .await;
        let mut publishers = vec![];
        for _ in 0..3 {
            publishers.push(r.env.funded_keypair(1_000_000_000).await);
        }
        let kinds = [
            (BENCHMARK, FeedKind::BenchmarkRate),
            (GRADE_FEEDS.spread, FeedKind::CreditSpread),
            (GRADE_FEEDS.pd, FeedKind::DefaultProbability),
            (GRADE_FEEDS.lgd, FeedKind::LossGivenDefault),
        ];
        for (id, kind) in kinds {
            let params = FeedParams { min_publishers: 3, ..oracle::rate_params(kind) };
            let mut ixs = vec![oracle::create_feed_ix(&admin.pubkey(), id, params)];
            ixs.extend(
                publishers
                    .iter()
                    .map(|p| oracle::add_publisher_ix(&admin.pubkey(), &id, p.pubkey())),
            );
            r.env.send_ok(&ixs, &[&admin]).await;
        }
        let grade = oracle::set_grade_ix(&admin.pubkey(), 1, &GRADE_FEEDS, write_down_steps());
        r.env.send_ok(&[grade], &[&admin]).await;
        let mut fx = PricedPool {
            r,
            publishers,
            pool,
            issuer_units,
            accounts: RefreshAccounts::new(&pool, 1, &BENCHMARK, &GRADE_FEEDS),
        };
        fx.publish_all(INPUTS_BPS).await;
        let create = create_pool_pricing_ix(
            &admin.pubkey(),
            &pool,
            &grade_pda(1),
            &feed_pda(&BENCHMARK),
            PRICING,
        );
        fx.r.env.send_ok(&[create], &[&admin]).await;
        fx
    }

    /// Every publisher submits `value_bps` (confidence 0.01% of it) on `feed_id`, now.
    pub async fn publish(&mut self, feed_id: &[u8; 32], value_bps: u64) {
        let now = self.r.env.clock().await.unix_timestamp;
        let value = bps(value_bps);
        for p in &self.publishers {
            let ix = oracle::submit_ix(&p.pubkey(), feed_id, value, value / 10_000, now);
            let p = p.insecure_clone();
            self.r.env.send_ok(&[ix], &[&p]).await;
        }
    }

    /// Publishes benchmark, spread, PD and LGD (bps) on all four feeds, now.
    pub async fn publish_all(&mut self, inputs_bps: [u64; 4]) {
        let ids = [BENCHMARK, GRADE_FEEDS.spread, GRADE_FEEDS.pd, GRADE_FEEDS.lgd];
        for (id, v) in ids.iter().zip(inputs_bps) {
            self.publish(id, v).await;
        }
    }

    /// `refresh_rate` of the fixture's pool.
    pub fn refresh_ix(&self) -> Instruction {
        self.accounts.ix()
    }

    /// Refreshes and returns the stored pricing.
    pub async fn refresh(&mut self) -> PoolPricing {
        let ix = self.refresh_ix();
        self.r.env.send_ok(&[ix], &[]).await;
        self.pricing().await
    }

    pub async fn pricing(&mut self) -> PoolPricing {
        self.r.env.anchor_account(pool_pricing_pda(&self.pool)).await
    }

    /// Advances the clock and republishes every input at the fixture's values, so they are fresh.
    pub async fn advance(&mut self, seconds: i64, inputs_bps: [u64; 4]) {
        self.r.env.warp_seconds(seconds).await;
        self.publish_all(inputs_bps).await;
    }

    /// The servicer's repayment of `amount`.
    pub async fn repay(&mut self, amount: u64) {
        let ix = self.r.repay_ix(&self.pool, amount);
        self.as_servicer(ix).await;
    }

    /// Sends `ix` signed by the servicer.
    pub async fn as_servicer(&mut self, ix: Instruction) {
        let servicer = self.r.servicer.insecure_clone();
        self.r.env.send_ok(&[ix], &[&servicer]).await;
    }

    /// One second past the pool's first due date (its first flow unpaid), with every oracle
    /// input republished so it is fresh.
    pub async fn at_first_due(&mut self) {
        let first_due = registry::pool_params(self.r.now).schedule[0].due_ts;
        self.r.env.set_unix_timestamp(first_due + 1).await;
        self.publish_all(INPUTS_BPS).await;
    }

    /// The servicer declares the pool in default (a flow must be overdue).
    pub async fn declare_default(&mut self) {
        let ix = registry::declare_default_ix(&self.r.servicer.pubkey(), &self.pool);
        self.as_servicer(ix).await;
    }
}

/// `registry` re-exported for pricer tests that build pool instructions.
pub use registry::pool_params;
