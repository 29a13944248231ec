use anchor_lang::prelude::*;

use crate::{
    seeds,
    state::{Feed, FeedValue, OracleConfig, ReadOptions},
};

/// Accounts of the read: consumer programs pass the same two to `Feed::read`.
#[derive(Accounts)]
pub struct ReadFeed<'info> {
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Account<'info, OracleConfig>,
    #[account(seeds = [seeds::FEED, feed.feed_id.as_ref()], bump = feed.bump)]
    pub feed: Box<Account<'info, Feed>>,
}

pub fn handler(ctx: Context<ReadFeed>, options: ReadOptions) -> Result<FeedValue> {
    let now = Clock::get()?.unix_timestamp;
    ctx.accounts.feed.read(ctx.accounts.config.paused, now, options)
}
