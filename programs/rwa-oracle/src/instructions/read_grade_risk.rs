use anchor_lang::prelude::*;

use crate::{
    seeds,
    state::{Feed, FeedValue, GradeRisk, OracleConfig, ReadOptions, WriteDownStepRaw},
};

/// Everything a valuation needs from one grade.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct GradeRiskValue {
    pub spread: FeedValue,
    pub pd: FeedValue,
    pub lgd: FeedValue,
    pub write_down: Vec<WriteDownStepRaw>,
}

#[derive(Accounts)]
pub struct ReadGradeRisk<'info> {
    #[account(seeds = [seeds::CONFIG], bump = config.bump)]
    pub config: Account<'info, OracleConfig>,
    #[account(
        seeds = [seeds::GRADE, &[grade_risk.grade]],
        bump = grade_risk.bump,
        has_one = spread_feed,
        has_one = pd_feed,
        has_one = lgd_feed,
    )]
    pub grade_risk: Box<Account<'info, GradeRisk>>,
    pub spread_feed: Box<Account<'info, Feed>>,
    pub pd_feed: Box<Account<'info, Feed>>,
    pub lgd_feed: Box<Account<'info, Feed>>,
}

/// Reads a grade's three feeds with the same `options` (a single-source feed among them needs
/// `allow_single_source`). The caller has checked that the feeds are the grade's (`has_one`
/// above).
pub fn read_grade_inputs(
    oracle_paused: bool,
    grade: &GradeRisk,
    feeds: [&Feed; 3],
    now: i64,
    options: ReadOptions,
) -> Result<GradeRiskValue> {
    let [spread, pd, lgd] = feeds;
    Ok(GradeRiskValue {
        spread: spread.read(oracle_paused, now, options)?,
        pd: pd.read(oracle_paused, now, options)?,
        lgd: lgd.read(oracle_paused, now, options)?,
        write_down: grade.write_down[..grade.write_down_len as usize].to_vec(),
    })
}

pub fn handler(ctx: Context<ReadGradeRisk>, options: ReadOptions) -> Result<GradeRiskValue> {
    let now = Clock::get()?.unix_timestamp;
    let a = &ctx.accounts;
    let feeds = [&**a.spread_feed, &**a.pd_feed, &**a.lgd_feed];
    read_grade_inputs(a.config.paused, &a.grade_risk, feeds, now, options)
}
