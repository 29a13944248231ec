//! `transfer_checked` as the protocol's programs invoke it: for a mint with a Token-2022
//! transfer hook (permissioned receivable units), the hook's extra accounts are appended from
//! the instruction's remaining accounts, as the transfer-hook interface prescribes
//! (`add_extra_accounts_for_execute_cpi`); anchor-spl's `transfer_checked` would omit them and
//! Token-2022 would fail the transfer. For any other mint it is the plain instruction.
use anchor_lang::{prelude::*, solana_program::program::invoke_signed};
use anchor_spl::{
    token_2022::spl_token_2022,
    token_interface::{Mint, TokenAccount, TokenInterface},
};
use spl_transfer_hook_interface::onchain::add_extra_accounts_for_execute_cpi;

use crate::mint::transfer_hook_program;

/// `amount` of `mint` (with `decimals`) from `from` to `to`, signed by `authority` (with
/// `signer_seeds` for a PDA), through `token_program` (SPL Token or Token-2022). `extra` must
/// hold, for a hooked mint, the hook program, its validation account and the accounts that
/// lists (any other accounts in `extra` are ignored); it is unused otherwise.
#[allow(clippy::too_many_arguments)]
pub fn transfer_checked<'info>(
    token_program: AccountInfo<'info>,
    from: AccountInfo<'info>,
    mint: AccountInfo<'info>,
    to: AccountInfo<'info>,
    authority: AccountInfo<'info>,
    extra: &[AccountInfo<'info>],
    amount: u64,
    decimals: u8,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    let mut ix = spl_token_2022::instruction::transfer_checked(
        token_program.key,
        from.key,
        mint.key,
        to.key,
        authority.key,
        &[],
        amount,
        decimals,
    )?;
    let mut infos = vec![from.clone(), mint.clone(), to.clone(), authority.clone()];
    if let Some(hook) = transfer_hook_program(&mint)? {
        add_extra_accounts_for_execute_cpi(
            &mut ix, &mut infos, &hook, from, mint, to, authority, amount, extra,
        )?;
    }
    infos.push(token_program);
    invoke_signed(&ix, &infos, signer_seeds).map_err(Into::into)
}

/// `amount` units of a receivables pool from `from` to `to`, signed by `authority` (with
/// `signer_seeds` for a PDA), through [`transfer_checked`] (so a permissioned mint's hook
/// accounts come from `extra`, the instruction's remaining accounts). Returns what `to` gained
/// (its balance after minus before; 0 when nothing arrived): the caller refuses 0 by its own
/// error.
#[allow(clippy::too_many_arguments)]
pub fn transfer_units<'info>(
    program: &Interface<'info, TokenInterface>,
    from: &InterfaceAccount<'info, TokenAccount>,
    to: &mut InterfaceAccount<'info, TokenAccount>,
    mint: &InterfaceAccount<'info, Mint>,
    authority: AccountInfo<'info>,
    signer_seeds: &[&[&[u8]]],
    extra: &[AccountInfo<'info>],
    amount: u64,
) -> Result<u64> {
    let before = to.amount;
    transfer_checked(
        program.to_account_info(),
        from.to_account_info(),
        mint.to_account_info(),
        to.to_account_info(),
        authority,
        extra,
        amount,
        mint.decimals,
        signer_seeds,
    )?;
    to.reload()?;
    Ok(to.amount.saturating_sub(before))
}
