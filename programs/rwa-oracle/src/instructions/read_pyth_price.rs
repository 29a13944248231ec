use anchor_lang::prelude::*;
use pyth_solana_receiver_sdk::price_update::PriceUpdateV2;

use crate::{
    pyth, seeds,
    state::{Feed, FeedValue, OracleConfig, ReadOptions},
};

#[derive(Accounts)]
pub struct ReadPythPrice<'info> {
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Account<'info, OracleConfig>,
    #[account(seeds = [seeds::FEED, feed.feed_id.as_ref()], bump = feed.bump)]
    pub feed: Box<Account<'info, Feed>>,
    /// Owner (the Pyth receiver program) and discriminator checked by `Account`.
    pub price_update: Box<Account<'info, PriceUpdateV2>>,
}

pub fn handler(ctx: Context<ReadPythPrice>, options: ReadOptions) -> Result<FeedValue> {
    let now = Clock::get()?.unix_timestamp;
    let a = &ctx.accounts;
    pyth::read_pyth_price(&a.price_update, &a.feed, a.config.paused, now, options)
}
