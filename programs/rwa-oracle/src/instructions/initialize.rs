use anchor_lang::prelude::*;
use rwa_guard::authority::check_upgrade_authority;

use crate::{seeds, state::OracleConfig};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct InitializeParams {
    pub guardian: Pubkey,
    pub max_staleness_secs: u32,
    pub min_publishers: u8,
}

#[derive(Accounts)]
pub struct Initialize<'info> {
    /// The program's upgrade authority; becomes `admin`.
    #[account(mut)]
    pub admin: Signer<'info>,
    /// CHECK: this program's ProgramData account, whose upgrade authority must be `admin`;
    /// address, owner, layout and authority are checked by `validate`.
    pub program_data: UncheckedAccount<'info>,
    #[account(
        init,
        payer = admin,
        space = 8 + OracleConfig::INIT_SPACE,
        seeds = [seeds::CONFIG],
        bump,
    )]
    pub config: Account<'info, OracleConfig>,
    pub system_program: Program<'info, System>,
}

impl Initialize<'_> {
    /// Only the upgrade authority initialises (`rwa_guard::authority`).
    pub fn validate(&self) -> Result<()> {
        check_upgrade_authority(&crate::ID, &self.program_data, self.admin.key)
    }
}

#[event]
pub struct OracleInitialized {
    pub admin: Pubkey,
    pub guardian: Pubkey,
    pub max_staleness_secs: u32,
    pub min_publishers: u8,
}

#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<Initialize>, params: InitializeParams) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.set_inner(OracleConfig {
        admin: ctx.accounts.admin.key(),
        guardian: params.guardian,
        paused: false,
        max_staleness_secs: params.max_staleness_secs,
        min_publishers: params.min_publishers,
        bump: ctx.bumps.config,
        pending_admin: Pubkey::default(),
    });
    config.invariant()?;

    emit!(OracleInitialized {
        admin: config.admin,
        guardian: config.guardian,
        max_staleness_secs: config.max_staleness_secs,
        min_publishers: config.min_publishers,
    });
    Ok(())
}
