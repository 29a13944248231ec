use anchor_lang::prelude::*;

use crate::{
    events::PauseChanged,
    seeds,
    state::{Feed, OracleConfig},
};

#[derive(Accounts)]
pub struct SetFeedPaused<'info> {
    pub authority: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Account<'info, OracleConfig>,
    #[account(mut, seeds = [seeds::FEED, feed.feed_id.as_ref()], bump = feed.bump)]
    pub feed: Box<Account<'info, Feed>>,
}

pub fn handler(ctx: Context<SetFeedPaused>, paused: bool) -> Result<()> {
    let by = ctx.accounts.authority.key();
    ctx.accounts.config.check_pause_authority(&by, paused)?;
    let feed = &mut ctx.accounts.feed;
    feed.paused = paused;
    feed.invariant()?;
    emit!(PauseChanged { feed: Some(feed.key()), paused, by });
    Ok(())
}
