//! transfer-hook: the Token-2022 transfer hook of permissioned receivable units. A transfer
//! passes only when the destination owner holds a valid attestation of the attestor the mint
//! trusts (issued and revoked by attestors the admin approves), or is one of the protocol's
//! own accounts. See `SPEC.md` beside this crate.
use anchor_lang::prelude::*;
use spl_discriminator::SplDiscriminate;
use spl_transfer_hook_interface::instruction::ExecuteInstruction;

pub mod errors;
pub mod holder;
pub mod instructions;
pub mod protocol;
pub mod seeds;
pub mod state;

pub use instructions::*;
use state::AttestorStatus;

declare_id!("6qmMwsknoSgBTEFWyLEmFYQJzYnLydAMk36ueoRtJx3Q");

#[program]
pub mod transfer_hook {
    use super::*;

    /// The program's upgrade authority only (proven by its ProgramData account): creates the
    /// hook config PDA. The signer becomes `admin`.
    pub fn initialize(ctx: Context<Initialize>, guardian: Pubkey) -> Result<()> {
        instructions::initialize::handler(ctx, guardian)
    }

    /// Admin only: offers the admin role to `new_admin` (first step of the handover);
    /// `Pubkey::default()` withdraws the offer.
    pub fn propose_admin(ctx: Context<ProposeAdmin>, new_admin: Pubkey) -> Result<()> {
        instructions::admin_handover::handle_propose_admin(ctx, new_admin)
    }

    /// The proposed admin only: takes the admin role.
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        instructions::admin_handover::handle_accept_admin(ctx)
    }

    /// Admin only: replaces the guardian (never the default pubkey).
    pub fn set_guardian(ctx: Context<SetGuardian>, guardian: Pubkey) -> Result<()> {
        instructions::admin_handover::handle_set_guardian(ctx, guardian)
    }

    /// Admin only: approves `attestor_authority` as an attestor.
    pub fn approve_attestor(ctx: Context<ApproveAttestor>) -> Result<()> {
        instructions::manage_attestor::handle_approve_attestor(ctx)
    }

    /// Admin: suspends or reinstates an attestor. Guardian: suspends only. A suspended
    /// attestor issues nothing and its attestations stop counting.
    pub fn set_attestor_status(
        ctx: Context<SetAttestorStatus>,
        status: AttestorStatus,
    ) -> Result<()> {
        instructions::manage_attestor::handle_set_attestor_status(ctx, status)
    }

    /// An approved attestor: attests `holder` until `expires_at` in `jurisdiction` (issue, or
    /// renewal clearing a revocation).
    pub fn attest(ctx: Context<Attest>, expires_at: i64, jurisdiction: [u8; 2]) -> Result<()> {
        instructions::attest::handle_attest(ctx, expires_at, jurisdiction)
    }

    /// The attestor that issued it: revokes an attestation.
    pub fn revoke(ctx: Context<Revoke>) -> Result<()> {
        instructions::attest::handle_revoke(ctx)
    }

    /// The mint authority of a Token-2022 mint hooked to this program: binds the mint to one
    /// approved attestor and writes its extra-account-metas validation account.
    pub fn gate_mint(ctx: Context<GateMint>) -> Result<()> {
        instructions::gate_mint::handler(ctx)
    }

    /// Admin only: rebinds a gated mint to another approved attestor (recovery when its
    /// attestor is suspended for good). Attestations of the previous attestor stop counting for
    /// this mint; the validation account is unchanged (it reads the gate's attestor).
    pub fn set_mint_attestor(ctx: Context<SetMintAttestor>) -> Result<()> {
        instructions::set_mint_attestor::handler(ctx)
    }

    /// Token-2022 only, during a transfer (the transfer-hook interface's Execute, with its
    /// discriminator): allows the transfer or refuses it by name.
    #[instruction(discriminator = ExecuteInstruction::SPL_DISCRIMINATOR_SLICE)]
    pub fn execute(ctx: Context<Execute>, amount: u64) -> Result<()> {
        instructions::execute::handler(ctx, amount)
    }
}
