use anchor_lang::prelude::*;

use crate::{
    events::FeedCreated,
    seeds,
    state::{Feed, FeedParams, OracleConfig},
};

#[derive(Accounts)]
#[instruction(feed_id: [u8; 32])]
pub struct CreateFeed<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Account<'info, OracleConfig>,
    #[account(
        init,
        payer = admin,
        space = 8 + Feed::INIT_SPACE,
        seeds = [seeds::FEED, feed_id.as_ref()],
        bump,
    )]
    pub feed: Box<Account<'info, Feed>>,
    pub system_program: Program<'info, System>,
}

/// `params` with zero staleness or quorum replaced by the config's defaults (the default quorum
/// is at least `MIN_QUORUM`, so a single-source feed states its quorum of 1 or 2).
pub fn calculate_params(mut params: FeedParams, config: &OracleConfig) -> FeedParams {
    if params.max_staleness_secs == 0 {
        params.max_staleness_secs = config.max_staleness_secs;
    }
    if params.min_publishers == 0 {
        params.min_publishers = config.min_publishers;
    }
    params
}

pub fn handler(ctx: Context<CreateFeed>, feed_id: [u8; 32], params: FeedParams) -> Result<()> {
    let params = calculate_params(params, &ctx.accounts.config);
    // Fields are set in place: a whole `Feed` (1.4 KB) would crowd the 4 KB SBF stack frame.
    let feed = &mut ctx.accounts.feed;
    feed.feed_id = feed_id;
    feed.params = params;
    feed.bump = ctx.bumps.feed;
    feed.invariant()?;
    emit!(FeedCreated {
        feed: feed.key(),
        feed_id,
        kind: params.kind,
        min_publishers: params.min_publishers,
        single_source: params.single_source,
    });
    Ok(())
}
