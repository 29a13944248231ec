//! Who may receive a permissioned mint's units: the rule `Execute` applies in every transfer,
//! also callable by the protocol's programs where units arrive without a transfer (receivables'
//! `activate_pool` mints the whole supply: a mint runs no hook).
use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::{
    self,
    extension::{
        immutable_owner::ImmutableOwner, transfer_hook::TransferHookAccount,
        BaseStateWithExtensions, StateWithExtensions,
    },
    state::Account as SplAccount,
};

use crate::{
    errors::HookError,
    instructions::gate_mint::hooked_mint_authority,
    protocol, seeds,
    state::{Attestation, Attestor, AttestorStatus, MintGate},
};

/// A Token-2022 account of a hooked mint, as the hook reads it.
pub struct TokenHolder {
    pub owner: Pubkey,
    /// The account carries `ImmutableOwner` (every associated token account does): its owner
    /// can never be changed by `SetAuthority`, so an attestation of the owner stays about
    /// whoever holds the units.
    pub immutable_owner: bool,
}

/// Reads `token` (a Token-2022 account of `mint`), refusing anything else; with
/// `transferring`, also that Token-2022 flagged it as in a transfer right now.
pub fn token_holder(token: &AccountInfo, mint: &Pubkey, transferring: bool) -> Result<TokenHolder> {
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
    let immutable_owner = state.get_extension::<ImmutableOwner>().is_ok();
    Ok(TokenHolder { owner: state.base.owner, immutable_owner })
}

/// The rule: `destination` may receive when its owner is one of the protocol's accounts
/// (`protocol::always_allowed`; their owners are PDAs that never sign a change of owner);
/// otherwise only when the account's owner is immutable and holds a valid attestation of the
/// mint's attestor (`gate_attestor`, whose `attestor` account is Approved): `attestation` is
/// this program's account at `[ATTESTATION, gate_attestor, owner]` (its stored bump), of that
/// holder and attestor, not revoked, not expired at `now`. Refuses by name; changes nothing.
pub fn check_destination(
    destination: &TokenHolder,
    mint_authority: Option<&Pubkey>,
    gate_attestor: &Pubkey,
    attestor: &Attestor,
    attestation: &AccountInfo,
    now: i64,
) -> Result<()> {
    if protocol::always_allowed(&destination.owner, mint_authority) {
        return Ok(());
    }
    require!(destination.immutable_owner, HookError::DestinationOwnerMutable);
    require!(attestor.status == AttestorStatus::Approved, HookError::AttestorNotApproved);
    let holder = &destination.owner;
    require!(
        *attestation.owner == crate::ID && !attestation.data_is_empty(),
        HookError::NotAttested
    );
    let record = Attestation::try_deserialize(&mut &attestation.try_borrow_data()?[..])
        .map_err(|_| error!(HookError::NotAttested))?;
    let expected = Pubkey::create_program_address(
        &[seeds::ATTESTATION, gate_attestor.as_ref(), holder.as_ref(), &[record.bump]],
        &crate::ID,
    )
    .map_err(|_| error!(HookError::NotAttested))?;
    require!(
        *attestation.key == expected
            && record.holder == *holder
            && record.attestor == *gate_attestor,
        HookError::NotAttested
    );
    record.check_valid(now)
}

/// [`check_destination`] for a caller outside a transfer: `mint` must be a mint hooked to this
/// program, `destination` a Token-2022 account of it, and `mint_gate`, `attestor` and
/// `attestation` the accounts Execute would resolve (`["mint_gate", mint]`, `["attestor",
/// gate.attestor]`, `["attestation", gate.attestor, destination owner]`), each checked here
/// (owner, layout, address from the stored bump).
pub fn check_receiver(
    mint: &AccountInfo,
    destination: &AccountInfo,
    mint_gate: &AccountInfo,
    attestor: &AccountInfo,
    attestation: &AccountInfo,
    now: i64,
) -> Result<()> {
    let mint_authority = hooked_mint_authority(mint)?;
    let holder = token_holder(destination, mint.key, false)?;
    let gate: MintGate = load(mint_gate)?;
    let gate_address = Pubkey::create_program_address(
        &[seeds::MINT_GATE, mint.key.as_ref(), &[gate.bump]],
        &crate::ID,
    )
    .map_err(|_| error!(HookError::MintNotHooked))?;
    require!(*mint_gate.key == gate_address && gate.mint == *mint.key, HookError::MintNotHooked);
    let attestor_record: Attestor = load(attestor)?;
    let attestor_address = Pubkey::create_program_address(
        &[seeds::ATTESTOR, gate.attestor.as_ref(), &[attestor_record.bump]],
        &crate::ID,
    )
    .map_err(|_| error!(HookError::AttestorNotApproved))?;
    require!(
        *attestor.key == attestor_address && attestor_record.authority == gate.attestor,
        HookError::AttestorNotApproved
    );
    check_destination(
        &holder,
        mint_authority.as_ref(),
        &gate.attestor,
        &attestor_record,
        attestation,
        now,
    )
}

/// An account of this program, deserialised (discriminator checked).
fn load<T: AccountDeserialize>(info: &AccountInfo) -> Result<T> {
    require_keys_eq!(*info.owner, crate::ID, HookError::NotAttested);
    T::try_deserialize(&mut &info.try_borrow_data()?[..])
}
