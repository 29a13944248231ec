use anchor_lang::prelude::*;

use crate::{
    errors::OracleError,
    events::GradeSet,
    seeds,
    state::{Feed, FeedKind, GradeRisk, OracleConfig, WriteDownStepRaw},
};

#[derive(Accounts)]
#[instruction(grade: u8)]
pub struct SetGrade<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Account<'info, OracleConfig>,
    #[account(
        init_if_needed,
        payer = admin,
        space = 8 + GradeRisk::INIT_SPACE,
        seeds = [seeds::GRADE, &[grade]],
        bump,
    )]
    pub grade_risk: Box<Account<'info, GradeRisk>>,
    #[account(
        seeds = [seeds::FEED, spread_feed.feed_id.as_ref()],
        bump = spread_feed.bump,
        constraint = spread_feed.params.kind == FeedKind::CreditSpread @ OracleError::FeedKindMismatch,
    )]
    pub spread_feed: Box<Account<'info, Feed>>,
    #[account(
        seeds = [seeds::FEED, pd_feed.feed_id.as_ref()],
        bump = pd_feed.bump,
        constraint = pd_feed.params.kind == FeedKind::DefaultProbability @ OracleError::FeedKindMismatch,
    )]
    pub pd_feed: Box<Account<'info, Feed>>,
    #[account(
        seeds = [seeds::FEED, lgd_feed.feed_id.as_ref()],
        bump = lgd_feed.bump,
        constraint = lgd_feed.params.kind == FeedKind::LossGivenDefault @ OracleError::FeedKindMismatch,
    )]
    pub lgd_feed: Box<Account<'info, Feed>>,
    pub system_program: Program<'info, System>,
}

/// Creates or replaces grade `grade`: its label, its three risk feeds and its write-down steps.
pub fn handler(
    ctx: Context<SetGrade>,
    grade: u8,
    label: [u8; 8],
    write_down: Vec<WriteDownStepRaw>,
) -> Result<()> {
    let g = &mut ctx.accounts.grade_risk;
    g.grade = grade;
    g.label = label;
    g.spread_feed = ctx.accounts.spread_feed.key();
    g.pd_feed = ctx.accounts.pd_feed.key();
    g.lgd_feed = ctx.accounts.lgd_feed.key();
    g.set_write_down(&write_down)?;
    g.bump = ctx.bumps.grade_risk;
    g.invariant()?;
    emit!(GradeSet {
        grade,
        label,
        spread_feed: g.spread_feed,
        pd_feed: g.pd_feed,
        lgd_feed: g.lgd_feed,
        write_down,
    });
    Ok(())
}
