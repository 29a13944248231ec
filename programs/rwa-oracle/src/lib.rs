//! rwa-oracle: benchmark rates, per-grade credit risk and market prices for the RWA liquidity
//! protocol, from authorised publishers (median of a fresh quorum, bounds, deviation hold,
//! staleness) or from Pyth. See `SPEC.md` beside this crate.
use anchor_lang::prelude::*;

pub mod errors;
pub mod events;
pub mod instructions;
pub mod pyth;
pub mod seeds;
pub mod state;

pub use instructions::*;
use state::{FeedParams, FeedValue, ReadOptions, WriteDownStepRaw};

declare_id!("26qb6MRuvoqQN4gKJ7nBES5roEGnNSUxohSs7LmXuQNy");

#[program]
pub mod rwa_oracle {
    use super::*;

    /// The program's upgrade authority only (proven by its ProgramData account): creates the
    /// oracle config PDA. The signer becomes `admin`; `params` set the guardian and the default
    /// freshness and quorum bounds that new feeds inherit.
    pub fn initialize(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
        instructions::initialize::handler(ctx, params)
    }

    /// Admin only: offers the admin role to `new_admin` (first step of the handover), replacing
    /// any earlier offer; `Pubkey::default()` withdraws the offer. The admin keeps the role
    /// until the offer is accepted.
    pub fn propose_admin(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
        instructions::admin_handover::handle_propose_admin(ctx, new_admin)
    }

    /// The proposed admin only: takes the admin role; the offer is cleared and the previous
    /// admin keeps no power.
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        instructions::admin_handover::handle_accept_admin(ctx)
    }

    /// Admin only: replaces the guardian (the key that may pause immediately); never the
    /// default pubkey.
    pub fn set_guardian(ctx: Context<SetGuardian>, guardian: Pubkey) -> Result<()> {
        instructions::admin_handover::handle_set_guardian(ctx, guardian)
    }

    /// Guardian or admin: pause every feed. Admin only: unpause.
    pub fn set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
        instructions::set_paused::handler(ctx, paused)
    }

    /// Guardian or admin: pause one feed. Admin only: unpause it.
    pub fn set_feed_paused(ctx: Context<SetFeedPaused>, paused: bool) -> Result<()> {
        instructions::set_feed_paused::handler(ctx, paused)
    }

    /// Admin: creates feed `feed_id` with its kind and bounds (zero staleness or quorum take
    /// the config's defaults). The quorum is at least three unless `params.single_source`.
    pub fn create_feed(
        ctx: Context<CreateFeed>,
        feed_id: [u8; 32],
        params: FeedParams,
    ) -> Result<()> {
        instructions::create_feed::handler(ctx, feed_id, params)
    }

    /// Admin: authorises `publisher` on the feed.
    pub fn add_publisher(ctx: Context<ManagePublisher>, publisher: Pubkey) -> Result<()> {
        instructions::manage_publisher::add_handler(ctx, publisher)
    }

    /// Admin: removes `publisher` and its observation from the feed and re-forms the feed's
    /// value from the remaining fresh observations (nothing served without a quorum).
    pub fn remove_publisher(ctx: Context<ManagePublisher>, publisher: Pubkey) -> Result<()> {
        instructions::manage_publisher::remove_handler(ctx, publisher)
    }

    /// An authorised publisher: records its observation (value and confidence as Fixed raw,
    /// publish time in unix seconds) and re-forms the feed's median.
    pub fn submit_observation(
        ctx: Context<SubmitObservation>,
        value: u128,
        confidence: u128,
        publish_ts: i64,
    ) -> Result<()> {
        instructions::submit_observation::handler(ctx, value, confidence, publish_ts)
    }

    /// Admin: accepts a value held by the deviation bound.
    pub fn confirm_held_value(ctx: Context<ConfirmHeldValue>) -> Result<()> {
        instructions::confirm_held_value::handler(ctx)
    }

    /// Admin: creates or replaces a risk grade (label, spread/PD/LGD feeds, write-down steps).
    pub fn set_grade(
        ctx: Context<SetGrade>,
        grade: u8,
        label: [u8; 8],
        write_down: Vec<WriteDownStepRaw>,
    ) -> Result<()> {
        instructions::set_grade::handler(ctx, grade, label, write_down)
    }

    /// Anyone: the feed's value, or the named reason it cannot be used (return data).
    /// `options`: max age, and whether a single-source feed is acceptable.
    pub fn read_feed(ctx: Context<ReadFeed>, options: ReadOptions) -> Result<FeedValue> {
        instructions::read_feed::handler(ctx, options)
    }

    /// Anyone: a market price from a Pyth `PriceUpdateV2` account, checked (return data).
    pub fn read_pyth_price(ctx: Context<ReadPythPrice>, options: ReadOptions) -> Result<FeedValue> {
        instructions::read_pyth_price::handler(ctx, options)
    }

    /// Anyone: a grade's spread, PD, LGD and write-down steps (return data).
    pub fn read_grade_risk(
        ctx: Context<ReadGradeRisk>,
        options: ReadOptions,
    ) -> Result<GradeRiskValue> {
        instructions::read_grade_risk::handler(ctx, options)
    }
}
