use anchor_lang::prelude::*;

use crate::{
    events::HeldValueConfirmed,
    seeds,
    state::{Feed, OracleConfig},
};

#[derive(Accounts)]
pub struct ConfirmHeldValue<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Account<'info, OracleConfig>,
    #[account(mut, seeds = [seeds::FEED, feed.feed_id.as_ref()], bump = feed.bump)]
    pub feed: Box<Account<'info, Feed>>,
}

pub fn handler(ctx: Context<ConfirmHeldValue>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let feed = &mut ctx.accounts.feed;
    let confirmed = feed.confirm_held(now)?;
    feed.invariant()?;
    emit!(HeldValueConfirmed {
        feed: feed.key(),
        value: confirmed.value,
        admin: ctx.accounts.admin.key(),
    });
    Ok(())
}
