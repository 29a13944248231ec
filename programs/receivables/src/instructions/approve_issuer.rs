use anchor_lang::prelude::*;

use crate::{
    seeds,
    state::{ApprovalStatus, Issuer, IssuerLimits, RegistryConfig},
};

#[derive(Accounts)]
pub struct ApproveIssuer<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(seeds = [seeds::CONFIG], bump = config.bump, has_one = admin)]
    pub config: Account<'info, RegistryConfig>,
    /// CHECK: any key may be approved as an issuer; it only has to sign later.
    pub issuer_authority: UncheckedAccount<'info>,
    #[account(
        init,
        payer = admin,
        space = 8 + Issuer::INIT_SPACE,
        seeds = [seeds::ISSUER, issuer_authority.key().as_ref()],
        bump,
    )]
    pub issuer: Account<'info, Issuer>,
    pub system_program: Program<'info, System>,
}

#[event]
pub struct IssuerApproved {
    pub issuer: Pubkey,
    pub max_pools: u32,
    pub max_face_value: u64,
}

pub fn handler(ctx: Context<ApproveIssuer>, limits: IssuerLimits) -> Result<()> {
    limits.validate()?;
    let issuer = &mut ctx.accounts.issuer;
    issuer.set_inner(Issuer {
        authority: ctx.accounts.issuer_authority.key(),
        status: ApprovalStatus::Approved,
        limits,
        pools_created: 0,
        face_value_outstanding: 0,
        bump: ctx.bumps.issuer,
        pools_cancelled: 0,
    });
    issuer.invariant()?;

    emit!(IssuerApproved {
        issuer: issuer.authority,
        max_pools: limits.max_pools,
        max_face_value: limits.max_face_value,
    });
    Ok(())
}
