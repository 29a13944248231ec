//! Instruction builders and PDAs of the rwa-oracle program (config, feeds, publishers, grades,
//! reads).
use anchor_lang::prelude::Pubkey;
use rwa_oracle::{
    instruction,
    state::{FeedParams, WriteDownStepRaw},
    InitializeParams,
};
use solana_sdk::instruction::Instruction;

use crate::anchor_ix;

/// What a read accepts; the `*_with` builders take it.
pub use rwa_oracle::state::ReadOptions;

/// The oracle config PDA.
pub fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[rwa_oracle::seeds::CONFIG], &rwa_oracle::ID).0
}

/// The feed PDA of `feed_id`.
pub fn feed_pda(feed_id: &[u8; 32]) -> Pubkey {
    Pubkey::find_program_address(&[rwa_oracle::seeds::FEED, feed_id], &rwa_oracle::ID).0
}

/// The `GradeRisk` PDA of `grade`.
pub fn grade_pda(grade: u8) -> Pubkey {
    Pubkey::find_program_address(&[rwa_oracle::seeds::GRADE, &[grade]], &rwa_oracle::ID).0
}

/// `initialize` signed by `admin`, with `program_data` as the program's ProgramData account
/// (`program_data_address(&rwa_oracle::ID)`).
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

crate::admin_instructions!(rwa_oracle);

/// `create_feed(feed_id, params)` by `admin`.
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

/// `add_publisher(publisher)` on `feed_id` by `admin`.
pub fn add_publisher_ix(admin: &Pubkey, feed_id: &[u8; 32], publisher: Pubkey) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        manage_accounts(admin, feed_id),
        instruction::AddPublisher { publisher },
    )
}

/// `remove_publisher(publisher)` from `feed_id` by `admin`.
pub fn remove_publisher_ix(admin: &Pubkey, feed_id: &[u8; 32], publisher: Pubkey) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        manage_accounts(admin, feed_id),
        instruction::RemovePublisher { publisher },
    )
}

/// `submit_observation(value, confidence, publish_ts)` on `feed_id` by `publisher` (Fixed raw
/// value and confidence).
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

/// `confirm_held_value()` on `feed_id` by `admin`.
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

/// `set_paused(paused)` of the whole oracle by the guardian or admin `authority`.
pub fn set_paused_ix(authority: &Pubkey, paused: bool) -> Instruction {
    anchor_ix(
        rwa_oracle::ID,
        rwa_oracle::accounts::SetPaused { authority: *authority, config: config_pda() },
        instruction::SetPaused { paused },
    )
}

/// `set_feed_paused(paused)` of `feed_id` by the guardian or admin `authority`.
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GradeFeeds {
    /// The credit-spread feed.
    pub spread: [u8; 32],
    /// The default-probability feed.
    pub pd: [u8; 32],
    /// The loss-given-default feed.
    pub lgd: [u8; 32],
}

/// `set_grade(grade, label "B", write_down)` by `admin`, bound to `feeds`.
pub fn set_grade_ix(
    admin: &Pubkey,
    grade: u8,
    feeds: &GradeFeeds,
    write_down: Vec<WriteDownStepRaw>,
) -> Instruction {
    set_grade_labelled_ix(admin, grade, *b"B\0\0\0\0\0\0\0", feeds, write_down)
}

/// `set_grade(grade, label, write_down)` by `admin`, bound to `feeds`.
pub fn set_grade_labelled_ix(
    admin: &Pubkey,
    grade: u8,
    label: [u8; 8],
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
        instruction::SetGrade { grade, label, write_down },
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
