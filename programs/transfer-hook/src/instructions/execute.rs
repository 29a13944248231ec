use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::{
    self,
    extension::{transfer_hook::TransferHookAccount, BaseStateWithExtensions, StateWithExtensions},
    state::Account as SplAccount,
};

use crate::{
    errors::HookError,
    instructions::gate_mint::hooked_mint_authority,
    protocol, seeds,
    state::{Attestation, Attestor, AttestorStatus, MintGate},
};

/// The transfer-hook interface's Execute: the accounts Token-2022 passes (source, mint,
/// destination, source authority, validation account) and the three extra accounts the
/// validation account lists.
#[derive(Accounts)]
pub struct Execute<'info> {
    /// CHECK: the source token account: Token-2022's, of `mint`, in a transfer (`handler`).
    pub source_token: UncheckedAccount<'info>,
    /// CHECK: a Token-2022 mint whose hook is this program (`hooked_mint_authority`).
    pub mint: UncheckedAccount<'info>,
    /// CHECK: the destination token account: Token-2022's, of `mint` (`handler`).
    pub destination_token: UncheckedAccount<'info>,
    /// CHECK: the source's owner or delegate; Token-2022 checked its signature.
    pub owner: UncheckedAccount<'info>,
    /// CHECK: the validation account of `mint` (address from the gate's stored bump).
    #[account(
        seeds = [seeds::EXTRA_ACCOUNT_METAS, mint.key().as_ref()],
        bump = mint_gate.extra_metas_bump,
    )]
    pub extra_account_metas: UncheckedAccount<'info>,
    #[account(seeds = [seeds::MINT_GATE, mint.key().as_ref()], bump = mint_gate.bump)]
    pub mint_gate: Box<Account<'info, MintGate>>,
    #[account(seeds = [seeds::ATTESTOR, mint_gate.attestor.as_ref()], bump = attestor.bump)]
    pub attestor: Box<Account<'info, Attestor>>,
    /// CHECK: the attestation `[ATTESTATION, gate.attestor, destination owner]`; may not exist
    /// (then the transfer is refused unless the destination is the protocol's). Owner, layout,
    /// address (from its stored bump), attestor and holder are checked by `handler`.
    pub attestation: UncheckedAccount<'info>,
}

/// The owner of `token` (a Token-2022 account of `mint`), after checking the account is one;
/// with `transferring`, also that Token-2022 flagged it as in a transfer right now.
fn token_owner(token: &AccountInfo, mint: &Pubkey, transferring: bool) -> Result<Pubkey> {
    require_keys_eq!(*token.owner, spl_token_2022::ID, HookError::TokenAccountMismatch);
    let data = token.try_borrow_data()?;
    let state = StateWithExtensions::<SplAccount>::unpack(&data)
        .map_err(|_| error!(HookError::TokenAccountMismatch))?;
    require_keys_eq!(state.base.mint, *mint, HookError::TokenAccountMismatch);
    if transferring {
        let flag = state
            .get_extension::<TransferHookAccount>()
            .map_err(|_| error!(HookError::NotTransferring))?;
        require!(bool::from(flag.transferring), HookError::NotTransferring);
    }
    Ok(state.base.owner)
}

/// Allows the transfer when the destination's owner is one of the protocol's accounts
/// (`protocol::always_allowed`), else only with a valid attestation of the mint's attestor
/// (approved, not revoked, not expired). Refuses by name otherwise; changes nothing.
pub fn handler(ctx: Context<Execute>, _amount: u64) -> Result<()> {
    let a = &ctx.accounts;
    let mint = a.mint.key();
    let mint_authority = hooked_mint_authority(&a.mint.to_account_info())?;
    token_owner(&a.source_token, &mint, true)?;
    let holder = token_owner(&a.destination_token, &mint, false)?;
    if protocol::always_allowed(&holder, mint_authority.as_ref()) {
        return Ok(());
    }
    require!(a.attestor.status == AttestorStatus::Approved, HookError::AttestorNotApproved);

    let info = a.attestation.to_account_info();
    require!(*info.owner == crate::ID && !info.data_is_empty(), HookError::NotAttested);
    let attestation = Attestation::try_deserialize(&mut &info.try_borrow_data()?[..])
        .map_err(|_| error!(HookError::NotAttested))?;
    let expected = Pubkey::create_program_address(
        &[seeds::ATTESTATION, a.mint_gate.attestor.as_ref(), holder.as_ref(), &[attestation.bump]],
        &crate::ID,
    )
    .map_err(|_| error!(HookError::NotAttested))?;
    require!(
        *info.key == expected
            && attestation.holder == holder
            && attestation.attestor == a.mint_gate.attestor,
        HookError::NotAttested
    );
    attestation.check_valid(Clock::get()?.unix_timestamp)
}
