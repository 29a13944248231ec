use anchor_lang::prelude::*;

use crate::{
    events::PublisherChanged,
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

pub fn handler(ctx: Context<ManagePublisher>, publisher: Pubkey, add: bool) -> Result<()> {
    let feed = &mut ctx.accounts.feed;
    if add {
        feed.add_publisher(publisher)?;
    } else {
        feed.remove_publisher(&publisher)?;
    }
    feed.invariant()?;
    emit!(PublisherChanged { feed: feed.key(), publisher, added: add });
    Ok(())
}
