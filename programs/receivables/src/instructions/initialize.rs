use anchor_lang::prelude::*;

use crate::{seeds, state::RegistryConfig};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct InitializeParams {
    pub guardian: Pubkey,
}

#[derive(Accounts)]
pub struct Initialize<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(
        init,
        payer = admin,
        space = 8 + RegistryConfig::INIT_SPACE,
        seeds = [seeds::CONFIG],
        bump,
    )]
    pub config: Account<'info, RegistryConfig>,
    pub system_program: Program<'info, System>,
}

#[event]
pub struct RegistryInitialized {
    pub admin: Pubkey,
    pub guardian: Pubkey,
}

pub fn handler(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.set_inner(RegistryConfig {
        admin: ctx.accounts.admin.key(),
        guardian: params.guardian,
        paused: false,
        pool_count: 0,
        bump: ctx.bumps.config,
        currencies: Vec::new(),
    });
    config.invariant()?;

    emit!(RegistryInitialized { admin: config.admin, guardian: config.guardian });
    Ok(())
}
