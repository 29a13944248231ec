use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::spl_token_2022::{
        self,
        extension::{transfer_hook::TransferHook, BaseStateWithExtensions, StateWithExtensions},
        state::Mint as SplMint,
    },
    token_interface::{Mint, Token2022},
};
use spl_tlv_account_resolution::{
    account::ExtraAccountMeta, seeds::Seed, state::ExtraAccountMetaList,
};
use spl_transfer_hook_interface::instruction::ExecuteInstruction;

use crate::{
    errors::HookError,
    seeds,
    state::{Attestor, AttestorStatus, MintGate},
};

/// Account indices of Execute as the transfer-hook interface fixes them: source token account,
/// mint, destination token account, source authority, this validation account; then the extra
/// accounts in the order [`extra_account_metas`] lists them.
pub const DESTINATION_INDEX: u8 = 2;
pub const MINT_INDEX: u8 = 1;
pub const MINT_GATE_INDEX: u8 = 5;
/// Byte offset of the owner in a token account (after the mint).
pub const TOKEN_ACCOUNT_OWNER_OFFSET: u8 = 32;

/// The extra accounts of Execute, resolved by any client (and by Token-2022's CPI) from the
/// validation account: 5 the mint gate `[MINT_GATE, mint]`; 6 the attestor
/// `[ATTESTOR, gate.attestor]`; 7 the attestation `[ATTESTATION, gate.attestor,
/// destination.owner]`, its holder read from the destination token account (owner at offset
/// 32), so the attestation of whoever receives is found without the sender naming it.
pub fn extra_account_metas() -> Result<[ExtraAccountMeta; 3]> {
    let attestor_key = Seed::AccountData {
        account_index: MINT_GATE_INDEX,
        data_index: MintGate::ATTESTOR_OFFSET,
        length: 32,
    };
    let metas = [
        ExtraAccountMeta::new_with_seeds(
            &[
                Seed::Literal { bytes: seeds::MINT_GATE.to_vec() },
                Seed::AccountKey { index: MINT_INDEX },
            ],
            false,
            false,
        ),
        ExtraAccountMeta::new_with_seeds(
            &[Seed::Literal { bytes: seeds::ATTESTOR.to_vec() }, attestor_key.clone()],
            false,
            false,
        ),
        ExtraAccountMeta::new_with_seeds(
            &[
                Seed::Literal { bytes: seeds::ATTESTATION.to_vec() },
                attestor_key,
                Seed::AccountData {
                    account_index: DESTINATION_INDEX,
                    data_index: TOKEN_ACCOUNT_OWNER_OFFSET,
                    length: 32,
                },
            ],
            false,
            false,
        ),
    ];
    let [a, b, c] = metas;
    Ok([a?, b?, c?])
}

/// Size of the validation account: the TLV list of the three extra metas.
pub fn extra_account_metas_size() -> Result<usize> {
    Ok(ExtraAccountMetaList::size_of(3)?)
}

#[derive(Accounts)]
pub struct GateMint<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The mint's mint authority (for protocol units: the receivables pool PDA, by CPI).
    pub mint_authority: Signer<'info>,
    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        seeds = [seeds::ATTESTOR, attestor.authority.as_ref()],
        bump = attestor.bump,
        constraint = attestor.status == AttestorStatus::Approved @ HookError::AttestorNotApproved,
    )]
    pub attestor: Box<Account<'info, Attestor>>,
    #[account(
        init,
        payer = payer,
        space = 8 + MintGate::INIT_SPACE,
        seeds = [seeds::MINT_GATE, mint.key().as_ref()],
        bump,
    )]
    pub mint_gate: Box<Account<'info, MintGate>>,
    /// CHECK: created here (PDA `[EXTRA_ACCOUNT_METAS, mint]`, owned by this program) and
    /// written with the TLV `ExtraAccountMetaList` of [`extra_account_metas`].
    #[account(
        init,
        payer = payer,
        space = extra_account_metas_size()?,
        seeds = [seeds::EXTRA_ACCOUNT_METAS, mint.key().as_ref()],
        bump,
    )]
    pub extra_account_metas: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

#[event]
pub struct MintGated {
    pub mint: Pubkey,
    pub attestor: Pubkey,
}

/// Refuses unless `mint` is a Token-2022 mint whose transfer hook is this program with no
/// authority (nobody can point it elsewhere); returns its mint authority.
pub fn hooked_mint_authority(mint: &AccountInfo) -> Result<Option<Pubkey>> {
    require_keys_eq!(*mint.owner, spl_token_2022::ID, HookError::MintNotHooked);
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<SplMint>::unpack(&data)
        .map_err(|_| error!(HookError::MintNotHooked))?;
    let hook =
        state.get_extension::<TransferHook>().map_err(|_| error!(HookError::MintNotHooked))?;
    require!(
        Option::<Pubkey>::from(hook.program_id) == Some(crate::ID)
            && Option::<Pubkey>::from(hook.authority).is_none(),
        HookError::MintNotHooked
    );
    Ok(state.base.mint_authority.into())
}

/// The mint authority binds the mint to one approved attestor and writes the validation
/// account Token-2022 resolves Execute's extra accounts from.
pub fn handler(mut ctx: Context<GateMint>) -> Result<()> {
    let a = &mut ctx.accounts;
    let authority = hooked_mint_authority(&a.mint.to_account_info())?;
    require!(authority == Some(a.mint_authority.key()), HookError::NotMintAuthority);

    let gate = &mut a.mint_gate;
    gate.set_inner(MintGate {
        mint: a.mint.key(),
        attestor: a.attestor.authority,
        bump: ctx.bumps.mint_gate,
        extra_metas_bump: ctx.bumps.extra_account_metas,
    });
    gate.invariant()?;

    let metas = extra_account_metas()?;
    let mut data = a.extra_account_metas.try_borrow_mut_data()?;
    ExtraAccountMetaList::init::<ExecuteInstruction>(&mut data, &metas)?;
    emit!(MintGated { mint: gate.mint, attestor: gate.attestor });
    Ok(())
}
