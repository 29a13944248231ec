use anchor_lang::prelude::*;

use crate::{seeds, state::PricerConfig};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct InitializeParams {
    pub guardian: Pubkey,
    pub max_rate_age_secs: u32,
}

#[derive(Accounts)]
pub struct Initialize<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(
        init,
        payer = admin,
        space = 8 + PricerConfig::INIT_SPACE,
        seeds = [seeds::CONFIG],
        bump,
    )]
    pub config: Account<'info, PricerConfig>,
    pub system_program: Program<'info, System>,
}

#[event]
pub struct PricerInitialized {
    pub admin: Pubkey,
    pub guardian: Pubkey,
    pub max_rate_age_secs: u32,
}

pub fn handler(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.set_inner(PricerConfig {
        admin: ctx.accounts.admin.key(),
        guardian: params.guardian,
        paused: false,
        max_rate_age_secs: params.max_rate_age_secs,
        bump: ctx.bumps.config,
    });
    config.invariant()?;

    emit!(PricerInitialized {
        admin: config.admin,
        guardian: config.guardian,
        max_rate_age_secs: config.max_rate_age_secs,
    });
    Ok(())
}
