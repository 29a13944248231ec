//! The rwa-oracle program's builders (from `rwa_sdk::oracle`, re-exported) and a fixture: an
//! initialised oracle with one feed and its publishers. Shared by the oracle tests and the
//! pricer's.
use anchor_lang::{AnchorSerialize, Discriminator};
use pyth_solana_receiver_sdk::price_update::{PriceFeedMessage, PriceUpdateV2, VerificationLevel};
use rwa_oracle::{
    state::{Feed, FeedKind, FeedParams, FeedValue, GradeRisk, OracleConfig, MIN_QUORUM},
    GradeRiskValue, InitializeParams,
};
use solana_sdk::account::Account;

use crate::{authority::program_data_address, prelude::*};

pub use rwa_sdk::oracle::*;

/// Fixed raw (Q64.64) of `bps` basis points, rounded down.
pub fn bps(bps: u64) -> u128 {
    ((bps as u128) << 64) / 10_000
}

/// The fixture's clock origin (2027-01-15).
pub const T0: i64 = 1_800_000_000;

/// Publishers the fixture's feeds need fresh for a value (`rwa_oracle::state::MIN_QUORUM`).
pub const QUORUM: usize = MIN_QUORUM as usize;

/// Bounds used by the fixture: a rate feed in [0, 100%], 5% moves per hour, 10 minutes fresh,
/// a quorum of three.
pub fn rate_params(kind: FeedKind) -> FeedParams {
    FeedParams {
        kind,
        min_value: 0,
        max_value: bps(10_000),
        max_deviation_bps: 500,
        deviation_window_secs: 3_600,
        max_staleness_secs: 600,
        min_publishers: MIN_QUORUM,
        max_confidence_bps: 1_000,
        pyth_feed_id: [0; 32],
        single_source: false,
    }
}

/// A market-price feed bound to Pyth feed `pyth_feed_id` (no publishers of its own):
/// [1, 10,000] as 64.64 fixed point, a 1% confidence bound, 60 s fresh.
pub fn market_params(pyth_feed_id: [u8; 32]) -> FeedParams {
    FeedParams {
        min_value: 1 << 64,
        max_value: 10_000u128 << 64,
        max_confidence_bps: 100,
        max_staleness_secs: 60,
        pyth_feed_id,
        ..rate_params(FeedKind::MarketPrice)
    }
}

/// `rate_params` of an explicitly single-source feed with a quorum of `min_publishers` (1 or 2).
pub fn single_source_params(kind: FeedKind, min_publishers: u8) -> FeedParams {
    FeedParams { min_publishers, single_source: true, ..rate_params(kind) }
}

/// The bytes of a Pyth receiver `PriceUpdateV2` account, owned by the receiver program.
pub fn pyth_price_update_account(
    feed_id: [u8; 32],
    price: i64,
    conf: u64,
    exponent: i32,
    publish_time: i64,
    verification_level: VerificationLevel,
) -> Account {
    let update = PriceUpdateV2 {
        write_authority: Pubkey::new_unique(),
        verification_level,
        price_message: PriceFeedMessage {
            feed_id,
            price,
            conf,
            exponent,
            publish_time,
            prev_publish_time: publish_time - 1,
            ema_price: price,
            ema_conf: conf,
        },
        posted_slot: 1,
    };
    let mut data = PriceUpdateV2::DISCRIMINATOR.to_vec();
    update.serialize(&mut data).expect("serialise PriceUpdateV2");
    Account {
        lamports: TestEnv::rent_exempt(data.len()),
        data,
        owner: pyth_solana_receiver_sdk::ID,
        executable: false,
        rent_epoch: 0,
    }
}

/// A started bank at `T0` with the oracle initialised by its upgrade authority, `admin`
/// (quorum default 3), and a benchmark-rate feed `feed_id` (quorum 3) with three authorised
/// publishers.
pub struct OracleFixture {
    pub env: TestEnv,
    pub admin: Keypair,
    pub guardian: Keypair,
    pub publishers: Vec<Keypair>,
    pub feed_id: [u8; 32],
}

impl OracleFixture {
    pub async fn new() -> Self {
        let mut env = TestEnv::start().await;
        env.set_unix_timestamp(T0).await;
        let admin = env.funded_keypair(10_000_000_000).await;
        let guardian = env.funded_keypair(1_000_000_000).await;
        let init = InitializeParams {
            guardian: guardian.pubkey(),
            max_staleness_secs: 600,
            min_publishers: MIN_QUORUM,
        };
        env.set_upgrade_authority(&rwa_oracle::ID, &admin.pubkey());
        let program_data = program_data_address(&rwa_oracle::ID);
        env.send_ok(&[initialize_ix(&admin.pubkey(), &program_data, init)], &[&admin]).await;
        let feed_id = *b"USD-SOFR-1M\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
        let mut fx = OracleFixture { env, admin, guardian, publishers: vec![], feed_id };
        fx.create_feed(feed_id, rate_params(FeedKind::BenchmarkRate), 3).await;
        fx
    }

    /// Creates a feed and authorises publishers `0..publishers` on it.
    pub async fn create_feed(&mut self, feed_id: [u8; 32], params: FeedParams, publishers: usize) {
        let admin = self.admin.pubkey();
        self.env.send_ok(&[create_feed_ix(&admin, feed_id, params)], &[&self.admin]).await;
        for i in 0..publishers {
            self.add_publisher(&feed_id, i).await;
        }
    }

    /// Authorises publisher `i` on `feed_id`; keys up to `i` are funded first if new (kept in
    /// `self.publishers`, shared by every feed).
    pub async fn add_publisher(&mut self, feed_id: &[u8; 32], i: usize) {
        while self.publishers.len() <= i {
            let kp = self.env.funded_keypair(1_000_000_000).await;
            self.publishers.push(kp);
        }
        let (admin, p) = (self.admin.pubkey(), self.publishers[i].pubkey());
        self.env.send_ok(&[add_publisher_ix(&admin, feed_id, p)], &[&self.admin]).await;
    }

    /// Publisher `i` submits `value` (confidence 0.01% of it) on `feed_id`, published at `ts`.
    pub fn submit(
        &self,
        i: usize,
        feed_id: &[u8; 32],
        value: u128,
        ts: i64,
    ) -> (Instruction, &Keypair) {
        let p = &self.publishers[i];
        (submit_ix(&p.pubkey(), feed_id, value, value / 10_000, ts), p)
    }

    /// Publisher `i` submits `value` on the fixture's feed, published at `ts`.
    pub async fn submit_ok(&mut self, i: usize, value: u128, ts: i64) {
        let feed_id = self.feed_id;
        self.submit_on_ok(i, &feed_id, value, ts).await;
    }

    /// Publisher `i` submits `value` on `feed_id`, published at `ts`.
    pub async fn submit_on_ok(&mut self, i: usize, feed_id: &[u8; 32], value: u128, ts: i64) {
        let (ix, _) = self.submit(i, feed_id, value, ts);
        let p = self.publishers[i].insecure_clone();
        self.env.send_ok(&[ix], &[&p]).await;
    }

    /// Publishers `0..QUORUM` all submit `value` on `feed_id` at `ts`: a value is formed.
    pub async fn publish_ok(&mut self, feed_id: &[u8; 32], value: u128, ts: i64) {
        for i in 0..QUORUM {
            self.submit_on_ok(i, feed_id, value, ts).await;
        }
    }
}

impl OracleFixture {
    /// Runs `ix` (a read instruction) on chain; on success recomputes its value with `off_chain`
    /// from the accounts and the bank's clock, and checks it against the return data when the
    /// programs run as SBF (natively there is none).
    async fn read_via<T>(
        &mut self,
        ix: Instruction,
        off_chain: impl FnOnce(bool, i64) -> anchor_lang::Result<T>,
    ) -> Result<T, TxFailure>
    where
        T: anchor_lang::AnchorDeserialize + PartialEq + std::fmt::Debug,
    {
        let returned = self.env.send_for_return::<T>(&[ix], &[]).await?;
        let paused = self.env.anchor_account::<OracleConfig>(config_pda()).await.paused;
        let now = self.env.clock().await.unix_timestamp;
        let value = off_chain(paused, now).expect("the on-chain read succeeded");
        if let Some(returned) = returned {
            assert_eq!(returned, value, "return data and account state disagree");
        }
        Ok(value)
    }

    /// `read_feed` of a quorum feed on chain, with its value.
    pub async fn read_feed(
        &mut self,
        feed_id: [u8; 32],
        max_age: u32,
    ) -> Result<FeedValue, TxFailure> {
        self.read_feed_with(feed_id, ReadOptions::max_age(max_age)).await
    }

    /// `read_feed` on chain with explicit options, with its value.
    pub async fn read_feed_with(
        &mut self,
        feed_id: [u8; 32],
        options: ReadOptions,
    ) -> Result<FeedValue, TxFailure> {
        let feed: Feed = self.env.anchor_account(feed_pda(&feed_id)).await;
        self.read_via(read_feed_with_ix(&feed_id, options), |paused, now| {
            feed.read(paused, now, options)
        })
        .await
    }

    /// `read_pyth_price` of a feed that is not single-source on chain, with its value.
    pub async fn read_pyth(
        &mut self,
        feed_id: [u8; 32],
        price_update: Pubkey,
        max_age: u32,
    ) -> Result<FeedValue, TxFailure> {
        self.read_pyth_with(feed_id, price_update, ReadOptions::max_age(max_age)).await
    }

    /// `read_pyth_price` on chain with explicit options, with its value.
    pub async fn read_pyth_with(
        &mut self,
        feed_id: [u8; 32],
        price_update: Pubkey,
        options: ReadOptions,
    ) -> Result<FeedValue, TxFailure> {
        let feed: Feed = self.env.anchor_account(feed_pda(&feed_id)).await;
        let update: PriceUpdateV2 = self.env.anchor_account(price_update).await;
        self.read_via(read_pyth_with_ix(&feed_id, &price_update, options), |paused, now| {
            rwa_oracle::pyth::read_pyth_price(&update, &feed, paused, now, options)
        })
        .await
    }

    /// `read_grade_risk` of a grade of quorum feeds on chain, with its value.
    pub async fn read_grade(
        &mut self,
        grade: u8,
        feeds: &GradeFeeds,
        max_age: u32,
    ) -> Result<GradeRiskValue, TxFailure> {
        self.read_grade_with(grade, feeds, ReadOptions::max_age(max_age)).await
    }

    /// `read_grade_risk` on chain with explicit options, with its value.
    pub async fn read_grade_with(
        &mut self,
        grade: u8,
        feeds: &GradeFeeds,
        options: ReadOptions,
    ) -> Result<GradeRiskValue, TxFailure> {
        let g: GradeRisk = self.env.anchor_account(grade_pda(grade)).await;
        let spread: Feed = self.env.anchor_account(feed_pda(&feeds.spread)).await;
        let pd: Feed = self.env.anchor_account(feed_pda(&feeds.pd)).await;
        let lgd: Feed = self.env.anchor_account(feed_pda(&feeds.lgd)).await;
        self.read_via(read_grade_with_ix(grade, feeds, options), |paused, now| {
            rwa_oracle::read_grade_risk::read_grade_inputs(
                paused,
                &g,
                [&spread, &pd, &lgd],
                now,
                options,
            )
        })
        .await
    }
}
