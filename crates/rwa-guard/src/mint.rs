//! Token-2022 extension screening of mints that come from outside the protocol.
//!
//! A mint is accepted when it belongs to classic SPL Token, or to Token-2022 with only
//! extensions that describe it (metadata, groups) and change neither what a transfer moves nor
//! who controls balances. Everything else is refused, including extensions Token-2022 adds in
//! the future: an allowlist, not a blocklist. Refused, among others: transfer fee (the vault
//! receives less than was sent), permanent delegate (someone else moves any balance), transfer
//! hook (arbitrary code on every transfer; a failing hook blocks the protocol's transfers),
//! pausable and default-frozen accounts, non-transferable, confidential transfers and
//! confidential mint/burn (balances the protocol cannot read), mint close authority (the mint
//! can vanish and be re-created with other extensions), interest-bearing and scaled UI amounts
//! (the amount a wallet shows is no longer the base amount the protocol counts).
use anchor_lang::prelude::*;
use anchor_spl::token::spl_token;
use anchor_spl::token_2022::spl_token_2022::{
    self,
    extension::{
        transfer_hook::TransferHook, BaseStateWithExtensions, ExtensionType, StateWithExtensions,
    },
};

use crate::GuardError;

/// Extensions a mint from outside may carry: descriptive data only.
pub const ALLOWED_MINT_EXTENSIONS: [ExtensionType; 6] = [
    ExtensionType::MetadataPointer,
    ExtensionType::TokenMetadata,
    ExtensionType::GroupPointer,
    ExtensionType::TokenGroup,
    ExtensionType::GroupMemberPointer,
    ExtensionType::TokenGroupMember,
];

/// The first extension of `extensions` that is not allowed, if any.
pub fn first_unsafe_extension(extensions: &[ExtensionType]) -> Option<ExtensionType> {
    extensions.iter().copied().find(|e| !ALLOWED_MINT_EXTENSIONS.contains(e))
}

/// Refuses a mint (by `owner` and account `data`) that is not an SPL Token or Token-2022 mint,
/// or that carries an extension outside [`ALLOWED_MINT_EXTENSIONS`].
pub fn check_mint_data(owner: &Pubkey, data: &[u8]) -> Result<()> {
    check_extensions(owner, data, false)
}

/// [`check_mint_data`], with the protocol's own transfer hook also allowed when `unit_mint`.
fn check_extensions(owner: &Pubkey, data: &[u8], unit_mint: bool) -> Result<()> {
    if *owner == spl_token::ID {
        return Ok(());
    }
    require_keys_eq!(*owner, spl_token_2022::ID, GuardError::NotAMint);
    let mint = StateWithExtensions::<spl_token_2022::state::Mint>::unpack(data)
        .map_err(|_| error!(GuardError::NotAMint))?;
    let extensions = mint.get_extension_types().map_err(|_| error!(GuardError::NotAMint))?;
    let rest: Vec<ExtensionType> = extensions
        .into_iter()
        .filter(|e| !(unit_mint && *e == ExtensionType::TransferHook))
        .collect();
    if let Some(found) = first_unsafe_extension(&rest) {
        msg!("refused mint extension: {:?}", found);
        return err!(GuardError::UnsafeMintExtension);
    }
    if let Ok(hook) = mint.get_extension::<TransferHook>() {
        let ours = Option::<Pubkey>::from(hook.program_id) == Some(PROTOCOL_TRANSFER_HOOK)
            && Option::<Pubkey>::from(hook.authority).is_none();
        if !ours {
            msg!("refused transfer hook: {:?}", Option::<Pubkey>::from(hook.program_id));
            return err!(GuardError::UnsafeMintExtension);
        }
    }
    Ok(())
}

/// The protocol's own transfer-hook program (`programs/transfer-hook`, whose `declare_id!` a
/// test there compares with this): the only hook a unit mint may name.
pub const PROTOCOL_TRANSFER_HOOK: Pubkey = pubkey!("6qmMwsknoSgBTEFWyLEmFYQJzYnLydAMk36ueoRtJx3Q");

/// The transfer-hook program a Token-2022 mint names, if any (`None` for SPL Token mints and
/// for Token-2022 mints without the extension or with an unset program).
pub fn transfer_hook_program(mint: &AccountInfo) -> Result<Option<Pubkey>> {
    if *mint.owner != spl_token_2022::ID {
        return Ok(None);
    }
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<spl_token_2022::state::Mint>::unpack(&data)
        .map_err(|_| error!(GuardError::NotAMint))?;
    Ok(state
        .get_extension::<TransferHook>()
        .ok()
        .and_then(|hook| Option::<Pubkey>::from(hook.program_id)))
}

/// Like [`check_mint_data`], for the unit mints of receivables pools: these may also carry a
/// transfer hook, but only the protocol's own ([`PROTOCOL_TRANSFER_HOOK`]) with no authority
/// (nobody can point it elsewhere later). A foreign hook is refused (`UnsafeMintExtension`).
pub fn check_unit_mint_data(owner: &Pubkey, data: &[u8]) -> Result<()> {
    check_extensions(owner, data, true)
}

/// [`check_unit_mint_data`] on an account.
pub fn check_unit_mint(mint: &AccountInfo) -> Result<()> {
    check_unit_mint_data(mint.owner, &mint.try_borrow_data()?)
}

/// [`check_mint_data`] on an account: every mint the protocol accepts from outside passes here.
pub fn check_mint(mint: &AccountInfo) -> Result<()> {
    check_mint_data(mint.owner, &mint.try_borrow_data()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptive_extensions_are_allowed_and_balance_changing_ones_refused() {
        assert_eq!(first_unsafe_extension(&ALLOWED_MINT_EXTENSIONS), None);
        for refused in [
            ExtensionType::TransferFeeConfig,
            ExtensionType::PermanentDelegate,
            ExtensionType::TransferHook,
            ExtensionType::Pausable,
            ExtensionType::DefaultAccountState,
            ExtensionType::NonTransferable,
            ExtensionType::ConfidentialTransferMint,
            ExtensionType::ConfidentialTransferFeeConfig,
            ExtensionType::ConfidentialMintBurn,
            ExtensionType::MintCloseAuthority,
            ExtensionType::InterestBearingConfig,
            ExtensionType::ScaledUiAmount,
        ] {
            let list = [ExtensionType::MetadataPointer, refused];
            assert_eq!(first_unsafe_extension(&list), Some(refused), "{refused:?}");
        }
    }

    #[test]
    fn accounts_of_other_programs_are_not_mints() {
        let err = check_mint_data(&Pubkey::new_unique(), &[0u8; 82]).unwrap_err();
        assert_eq!(err, GuardError::NotAMint.into());
    }
}
