use anchor_lang::prelude::*;

use crate::{
    events::{emit_aggregation, PublisherChanged},
    seeds,
    state::{Feed, OracleConfig},
};

/// Accounts of `add_publisher` and `remove_publisher`.
#[derive(Accounts)]
pub struct ManagePublisher<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Account<'info, OracleConfig>,
    #[account(mut, seeds = [seeds::FEED, feed.feed_id.as_ref()], bump = feed.bump)]
    pub feed: Box<Account<'info, Feed>>,
}

/// `add_publisher`: authorises `publisher` on the feed (no value changes).
pub fn add_handler(ctx: Context<ManagePublisher>, publisher: Pubkey) -> Result<()> {
    let feed = &mut ctx.accounts.feed;
    feed.add_publisher(publisher)?;
    feed.invariant()?;
    emit!(PublisherChanged { feed: feed.key(), publisher, added: true });
    Ok(())
}

/// `remove_publisher`: removes `publisher` and its observation and re-forms the feed's value
/// from the remaining fresh observations (see `Feed::remove_publisher`).
pub fn remove_handler(ctx: Context<ManagePublisher>, publisher: Pubkey) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let feed = &mut ctx.accounts.feed;
    let outcome = feed.remove_publisher(&publisher, now)?;
    feed.invariant()?;
    let key = feed.key();
    emit!(PublisherChanged { feed: key, publisher, added: false });
    emit_aggregation(key, outcome);
    Ok(())
}
