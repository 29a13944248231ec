use anchor_lang::prelude::*;
use rwa_guard::authority::check_upgrade_authority;

use crate::{seeds, state::HookConfig};

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
        space = 8 + HookConfig::INIT_SPACE,
        seeds = [seeds::CONFIG],
        bump,
    )]
    pub config: Account<'info, HookConfig>,
    pub system_program: Program<'info, System>,
}

impl Initialize<'_> {
    /// Only the upgrade authority initialises (`rwa_guard::authority`).
    pub fn validate(&self) -> Result<()> {
        check_upgrade_authority(&crate::ID, &self.program_data, self.admin.key)
    }
}

#[event]
pub struct HookInitialized {
    pub admin: Pubkey,
    pub guardian: Pubkey,
}

#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<Initialize>, guardian: Pubkey) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.set_inner(HookConfig {
        admin: ctx.accounts.admin.key(),
        guardian,
        pending_admin: Pubkey::default(),
        bump: ctx.bumps.config,
    });
    config.invariant()?;
    emit!(HookInitialized { admin: config.admin, guardian: config.guardian });
    Ok(())
}
