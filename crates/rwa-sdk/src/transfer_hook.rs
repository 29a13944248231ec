//! Instruction builders and PDAs of the transfer-hook program (attestors, attestations, mint
//! gates), and the extra accounts a transfer of permissioned units needs.
//!
//! A permissioned unit mint (Token-2022, transfer hook = `transfer_hook::ID`) moves only to
//! an owner the mint's attestor attested (or to the protocol's own accounts). Every transfer of
//! its units carries the hook's extra accounts: for a wallet's `transfer_checked`, appended to
//! the instruction ([`with_transfer_hook_accounts`]); for the protocol's instructions that move
//! units (value-anchor `exchange` and `claim_in_kind`, buyback-reserve `sell_to_reserve` and
//! `claim_anchor_units`), as remaining accounts. They are resolved exactly as Token-2022's
//! client does from the mint's `ExtraAccountMetaList`: the mint gate `[MINT_GATE, mint]`, the
//! attestor `[ATTESTOR, gate.attestor]` and the attestation `[ATTESTATION, gate.attestor,
//! destination owner]`, then the validation account and the hook program.
use anchor_lang::prelude::Pubkey;
use solana_sdk::instruction::{AccountMeta, Instruction};
use transfer_hook::{instruction, seeds, state::AttestorStatus};

use crate::anchor_ix;

/// The hook config PDA.
pub fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::CONFIG], &transfer_hook::ID).0
}

/// The `Attestor` record of `authority`.
pub fn attestor_pda(authority: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::ATTESTOR, authority.as_ref()], &transfer_hook::ID).0
}

/// The attestation of `holder` by the attestor whose authority is `attestor`.
pub fn attestation_pda(attestor: &Pubkey, holder: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(
        &[seeds::ATTESTATION, attestor.as_ref(), holder.as_ref()],
        &transfer_hook::ID,
    )
    .0
}

/// The mint gate of `mint` (which attestor it trusts).
pub fn mint_gate_pda(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::MINT_GATE, mint.as_ref()], &transfer_hook::ID).0
}

/// The transfer-hook interface's validation account of `mint`.
pub fn extra_account_metas_pda(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::EXTRA_ACCOUNT_METAS, mint.as_ref()], &transfer_hook::ID).0
}

/// `initialize(guardian)` signed by `admin`, the program's upgrade authority.
pub fn initialize_ix(admin: &Pubkey, program_data: &Pubkey, guardian: Pubkey) -> Instruction {
    anchor_ix(
        transfer_hook::ID,
        transfer_hook::accounts::Initialize {
            admin: *admin,
            program_data: *program_data,
            config: config_pda(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { guardian },
    )
}

crate::admin_instructions!(transfer_hook);

/// `approve_attestor()` of `attestor` (its authority key) by `admin`.
pub fn approve_attestor_ix(admin: &Pubkey, attestor: &Pubkey) -> Instruction {
    anchor_ix(
        transfer_hook::ID,
        transfer_hook::accounts::ApproveAttestor {
            admin: *admin,
            config: config_pda(),
            attestor_authority: *attestor,
            attestor: attestor_pda(attestor),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::ApproveAttestor {},
    )
}

/// `set_attestor_status(status)` of `attestor` by the admin or guardian `authority`.
pub fn set_attestor_status_ix(
    authority: &Pubkey,
    attestor: &Pubkey,
    status: AttestorStatus,
) -> Instruction {
    anchor_ix(
        transfer_hook::ID,
        transfer_hook::accounts::SetAttestorStatus {
            authority: *authority,
            config: config_pda(),
            attestor: attestor_pda(attestor),
        },
        instruction::SetAttestorStatus { status },
    )
}

/// `attest(expires_at, jurisdiction)` of `holder` by `attestor` (its authority, which signs).
pub fn attest_ix(
    attestor: &Pubkey,
    holder: &Pubkey,
    expires_at: i64,
    jurisdiction: [u8; 2],
) -> Instruction {
    anchor_ix(
        transfer_hook::ID,
        transfer_hook::accounts::Attest {
            authority: *attestor,
            attestor: attestor_pda(attestor),
            holder: *holder,
            attestation: attestation_pda(attestor, holder),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Attest { expires_at, jurisdiction },
    )
}

/// `revoke()` of `attestor`'s attestation of `holder`.
pub fn revoke_ix(attestor: &Pubkey, holder: &Pubkey) -> Instruction {
    anchor_ix(
        transfer_hook::ID,
        transfer_hook::accounts::Revoke {
            authority: *attestor,
            attestation: attestation_pda(attestor, holder),
        },
        instruction::Revoke {},
    )
}

/// `gate_mint()` of `mint` (Token-2022, hooked to this program) by its `mint_authority`,
/// trusting `attestor`. (Receivables' `create_pool` makes this call itself for permissioned
/// pools; this builder is for mints made outside it.)
pub fn gate_mint_ix(
    payer: &Pubkey,
    mint_authority: &Pubkey,
    mint: &Pubkey,
    attestor: &Pubkey,
) -> Instruction {
    anchor_ix(
        transfer_hook::ID,
        transfer_hook::accounts::GateMint {
            payer: *payer,
            mint_authority: *mint_authority,
            mint: *mint,
            attestor: attestor_pda(attestor),
            mint_gate: mint_gate_pda(mint),
            extra_account_metas: extra_account_metas_pda(mint),
            token_program: crate::spl_token_2022::ID,
            system_program: anchor_lang::system_program::ID,
        },
        instruction::GateMint {},
    )
}

/// `set_mint_attestor()` by the hook's `admin`: `mint`'s gate trusts `attestor` (its authority
/// key, an Approved attestor) from now on.
pub fn set_mint_attestor_ix(admin: &Pubkey, mint: &Pubkey, attestor: &Pubkey) -> Instruction {
    anchor_ix(
        transfer_hook::ID,
        transfer_hook::accounts::SetMintAttestor {
            admin: *admin,
            config: config_pda(),
            mint_gate: mint_gate_pda(mint),
            attestor: attestor_pda(attestor),
        },
        instruction::SetMintAttestor {},
    )
}

/// The accounts a transfer of `mint`'s units to a token account owned by `destination_owner`
/// needs after the token instruction's own, for a mint gated with `attestor`: mint gate,
/// attestor, attestation, validation account, hook program (all read-only), in the order
/// Token-2022's CPI appends them.
pub fn transfer_accounts(
    mint: &Pubkey,
    attestor: &Pubkey,
    destination_owner: &Pubkey,
) -> Vec<AccountMeta> {
    [
        mint_gate_pda(mint),
        attestor_pda(attestor),
        attestation_pda(attestor, destination_owner),
        extra_account_metas_pda(mint),
        transfer_hook::ID,
    ]
    .into_iter()
    .map(|key| AccountMeta::new_readonly(key, false))
    .collect()
}

/// `ix` (a Token-2022 `transfer_checked`, or a protocol instruction that moves units) with
/// [`transfer_accounts`] appended.
pub fn with_transfer_hook_accounts(
    mut ix: Instruction,
    mint: &Pubkey,
    attestor: &Pubkey,
    destination_owner: &Pubkey,
) -> Instruction {
    ix.accounts.extend(transfer_accounts(mint, attestor, destination_owner));
    ix
}

/// The attestor key a mint gate account's data names (`MintGate.attestor`), if the data is a
/// mint gate.
pub fn gate_attestor(gate_data: &[u8]) -> Option<Pubkey> {
    use anchor_lang::AccountDeserialize;
    transfer_hook::state::MintGate::try_deserialize(&mut &gate_data[..]).ok().map(|g| g.attestor)
}

/// The transfer-hook program a mint names, from the mint account's `owner` and `data`: `Some`
/// only for a Token-2022 mint whose `TransferHook` extension sets a program (`None` for SPL
/// Token mints, Token-2022 mints without the extension or with an unset program, and data that
/// is no mint).
pub fn mint_hook_program(owner: &Pubkey, data: &[u8]) -> Option<Pubkey> {
    use crate::spl_token_2022::{
        extension::{transfer_hook::TransferHook, BaseStateWithExtensions, StateWithExtensions},
        state::Mint,
    };
    if *owner != crate::spl_token_2022::ID {
        return None;
    }
    let state = StateWithExtensions::<Mint>::unpack(data).ok()?;
    Option::<Pubkey>::from(state.get_extension::<TransferHook>().ok()?.program_id)
}

/// Whether a mint (its account's `owner` and `data`) holds permissioned units: Token-2022 with
/// a transfer hook naming this protocol's hook program.
pub fn is_permissioned_mint(owner: &Pubkey, data: &[u8]) -> bool {
    mint_hook_program(owner, data) == Some(transfer_hook::ID)
}
