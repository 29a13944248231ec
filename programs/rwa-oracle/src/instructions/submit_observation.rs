use anchor_lang::prelude::*;

use crate::{
    errors::OracleError,
    events::{emit_aggregation, ObservationAccepted},
    seeds,
    state::{Feed, Observation, OracleConfig},
};

#[derive(Accounts)]
pub struct SubmitObservation<'info> {
    pub publisher: Signer<'info>,
    #[account(
        seeds = [seeds::CONFIG],
        bump = config.bump,
        constraint = !config.paused @ OracleError::FeedPaused,
    )]
    pub config: Account<'info, OracleConfig>,
    #[account(
        mut,
        seeds = [seeds::FEED, feed.feed_id.as_ref()],
        bump = feed.bump,
        constraint = !feed.paused @ OracleError::FeedPaused,
    )]
    pub feed: Box<Account<'info, Feed>>,
}

pub fn handler(
    ctx: Context<SubmitObservation>,
    value: u128,
    confidence: u128,
    publish_ts: i64,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let publisher = ctx.accounts.publisher.key();
    let feed = &mut ctx.accounts.feed;
    let obs = Observation { publisher, value, confidence, publish_ts };
    let outcome = feed.submit(&publisher, obs, now)?;
    feed.invariant()?;

    let key = feed.key();
    emit!(ObservationAccepted { feed: key, publisher, value, confidence, publish_ts });
    emit_aggregation(key, outcome);
    Ok(())
}
