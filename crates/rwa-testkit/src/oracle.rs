//! Instruction builders for the rwa-oracle program and a fixture: an initialised oracle with
//! one feed and its publishers. Shared by the oracle tests and, later, the pricer's.
use anchor_lang::{AnchorSerialize, Discriminator};
use pyth_solana_receiver_sdk::price_update::{PriceFeedMessage, PriceUpdateV2, VerificationLevel};
/// What a read accepts; the `*_with` helpers take it.
pub use rwa_oracle::state::ReadOptions;
use rwa_oracle::{
    instruction,
    state::{
        Feed, FeedKind, FeedParams, FeedValue, GradeRisk, OracleConfig, WriteDownStepRaw,
        MIN_QUORUM,
    },
    GradeRiskValue, InitializeParams,
};
use solana_sdk::account::Account;

use crate::{authority::program_data_address, prelude::*};

/// Fixed raw (Q64.64) of `bps` basis points, rounded down.
pub fn bps(bps: u64) -> u128 {
    ((bps as u128) << 64) / 10_000
}

/// The fixture's clock origin (2027-01-15).
pub const T0: i64 = 1_800_000_000;

pub fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[rwa_oracle::seeds::CONFIG], &rwa_oracle::ID).0
}

pub fn feed_pda(feed_id: &[u8; 32]) -> Pubkey {
    Pubkey::find_program_address(&[rwa_oracle::seeds::FEED, feed_id], &rwa_oracle::ID).0
}

pub fn grade_pda(grade: u8) -> Pubkey {
    Pubkey::find_program_address(&[rwa_oracle::seeds::GRADE, &[grade]], &rwa_oracle::ID).0
}

/// `initialize` signed by `admin`, with `program_data` as the program's ProgramData account
/// (`program_data_address(&rwa_oracle::ID)` unless a test spoofs it).
pub fn initialize_ix(
    admin: &Pubkey,
    program_data: &Pubkey,
    params: InitializeParams,
) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        rwa_oracle::accounts::Initialize {
            admin: *admin,
            program_data: *program_data,
            config: config_pda(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params },
    )
}

crate::authority::admin_instructions!(rwa_oracle);

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

/// `rate_params` of an explicitly single-source feed with a quorum of `min_publishers` (1 or 2).
pub fn single_source_params(kind: FeedKind, min_publishers: u8) -> FeedParams {
    FeedParams { min_publishers, single_source: true, ..rate_params(kind) }
}

pub fn create_feed_ix(admin: &Pubkey, feed_id: [u8; 32], params: FeedParams) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        rwa_oracle::accounts::CreateFeed {
            admin: *admin,
            config: config_pda(),
            feed: feed_pda(&feed_id),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::CreateFeed { feed_id, params },
    )
}

fn manage_accounts(admin: &Pubkey, feed_id: &[u8; 32]) -> rwa_oracle::accounts::ManagePublisher {
    rwa_oracle::accounts::ManagePublisher {
        admin: *admin,
        config: config_pda(),
        feed: feed_pda(feed_id),
    }
}

pub fn add_publisher_ix(admin: &Pubkey, feed_id: &[u8; 32], publisher: Pubkey) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        manage_accounts(admin, feed_id),
        instruction::AddPublisher { publisher },
    )
}

pub fn remove_publisher_ix(admin: &Pubkey, feed_id: &[u8; 32], publisher: Pubkey) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        manage_accounts(admin, feed_id),
        instruction::RemovePublisher { publisher },
    )
}

pub fn submit_ix(
    publisher: &Pubkey,
    feed_id: &[u8; 32],
    value: u128,
    confidence: u128,
    publish_ts: i64,
) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        rwa_oracle::accounts::SubmitObservation {
            publisher: *publisher,
            config: config_pda(),
            feed: feed_pda(feed_id),
        },
        instruction::SubmitObservation { value, confidence, publish_ts },
    )
}

pub fn confirm_ix(admin: &Pubkey, feed_id: &[u8; 32]) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        rwa_oracle::accounts::ConfirmHeldValue {
            admin: *admin,
            config: config_pda(),
            feed: feed_pda(feed_id),
        },
        instruction::ConfirmHeldValue {},
    )
}

pub fn set_paused_ix(authority: &Pubkey, paused: bool) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        rwa_oracle::accounts::SetPaused { authority: *authority, config: config_pda() },
        instruction::SetPaused { paused },
    )
}

pub fn set_feed_paused_ix(authority: &Pubkey, feed_id: &[u8; 32], paused: bool) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        rwa_oracle::accounts::SetFeedPaused {
            authority: *authority,
            config: config_pda(),
            feed: feed_pda(feed_id),
        },
        instruction::SetFeedPaused { paused },
    )
}

/// `read_feed` of a quorum feed (a single-source feed fails `SingleSourceFeed`).
pub fn read_feed_ix(feed_id: &[u8; 32], max_age_secs: u32) -> Instruction {
    read_feed_with_ix(feed_id, ReadOptions::max_age(max_age_secs))
}

/// `read_feed` with explicit options (e.g. `ReadOptions::max_age(60).allowing_single_source()`).
pub fn read_feed_with_ix(feed_id: &[u8; 32], options: ReadOptions) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        rwa_oracle::accounts::ReadFeed { config: config_pda(), feed: feed_pda(feed_id) },
        instruction::ReadFeed { options },
    )
}

/// `read_pyth_price` of a feed that is not single-source.
pub fn read_pyth_ix(feed_id: &[u8; 32], price_update: &Pubkey, max_age_secs: u32) -> Instruction {
    read_pyth_with_ix(feed_id, price_update, ReadOptions::max_age(max_age_secs))
}

/// `read_pyth_price` with explicit options.
pub fn read_pyth_with_ix(
    feed_id: &[u8; 32],
    price_update: &Pubkey,
    options: ReadOptions,
) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        rwa_oracle::accounts::ReadPythPrice {
            config: config_pda(),
            feed: feed_pda(feed_id),
            price_update: *price_update,
        },
        instruction::ReadPythPrice { options },
    )
}

/// The three risk feeds of a grade, by feed id.
pub struct GradeFeeds {
    pub spread: [u8; 32],
    pub pd: [u8; 32],
    pub lgd: [u8; 32],
}

pub fn set_grade_ix(
    admin: &Pubkey,
    grade: u8,
    feeds: &GradeFeeds,
    write_down: Vec<WriteDownStepRaw>,
) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        rwa_oracle::accounts::SetGrade {
            admin: *admin,
            config: config_pda(),
            grade_risk: grade_pda(grade),
            spread_feed: feed_pda(&feeds.spread),
            pd_feed: feed_pda(&feeds.pd),
            lgd_feed: feed_pda(&feeds.lgd),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::SetGrade { grade, label: *b"B\0\0\0\0\0\0\0", write_down },
    )
}

/// `read_grade_risk` of a grade whose three feeds are quorum feeds.
pub fn read_grade_ix(grade: u8, feeds: &GradeFeeds, max_age_secs: u32) -> Instruction {
    read_grade_with_ix(grade, feeds, ReadOptions::max_age(max_age_secs))
}

/// `read_grade_risk` with explicit options (applied to each of the three feeds).
pub fn read_grade_with_ix(grade: u8, feeds: &GradeFeeds, options: ReadOptions) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        rwa_oracle::accounts::ReadGradeRisk {
            config: config_pda(),
            grade_risk: grade_pda(grade),
            spread_feed: feed_pda(&feeds.spread),
            pd_feed: feed_pda(&feeds.pd),
            lgd_feed: feed_pda(&feeds.lgd),
        },
        instruction::ReadGradeRisk { options },
    )
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
