//! Token CPIs the reserve makes, signed by the user or by the config PDA, each returning what
//! actually arrived (the destination's balance after minus before).
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

use crate::{errors::ReserveError, state::ReserveConfig};

/// `amount` of `mint` from `from` to `to`, signed by `authority`, or by the config PDA when
/// `config` is given; returns what `to` gained (refused when nothing).
pub fn transfer<'info>(
    program: &Interface<'info, TokenInterface>,
    from: &InterfaceAccount<'info, TokenAccount>,
    to: &mut InterfaceAccount<'info, TokenAccount>,
    mint: &InterfaceAccount<'info, Mint>,
    authority: AccountInfo<'info>,
    config: Option<&ReserveConfig>,
    amount: u64,
) -> Result<u64> {
    let before = to.amount;
    let seeds = config.map(|c| c.signer_seeds());
    let signer: &[&[&[u8]]] = match &seeds {
        Some(s) => &[s],
        None => &[],
    };
    token_interface::transfer_checked(
        CpiContext::new_with_signer(
            program.key(),
            TransferChecked {
                from: from.to_account_info(),
                mint: mint.to_account_info(),
                to: to.to_account_info(),
                authority,
            },
            signer,
        ),
        amount,
        mint.decimals,
    )?;
    to.reload()?;
    let received = to.amount.checked_sub(before).ok_or(ReserveError::NothingReceived)?;
    require!(received > 0, ReserveError::NothingReceived);
    Ok(received)
}
