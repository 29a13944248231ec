//! Token CPIs value-anchor makes, signed by the user or by the config PDA, each returning what
//! actually moved where that matters (balance after minus before).
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{
    self, Burn, Mint, MintTo, TokenAccount, TokenInterface, TransferChecked,
};

use crate::{errors::AnchorTokenError, seeds, state::AnchorConfig};

/// The config PDA's signer seeds.
pub fn config_seeds(config: &AnchorConfig) -> [&[u8]; 2] {
    [seeds::CONFIG, core::slice::from_ref(&config.bump)]
}

/// `amount` of `mint` from `from` to `to`, signed by `authority` (with `signer_seeds` when the
/// authority is the config PDA); returns what `to` gained.
#[allow(clippy::too_many_arguments)]
pub fn transfer<'info>(
    program: &Interface<'info, TokenInterface>,
    from: &InterfaceAccount<'info, TokenAccount>,
    to: &mut InterfaceAccount<'info, TokenAccount>,
    mint: &InterfaceAccount<'info, Mint>,
    authority: AccountInfo<'info>,
    signer_seeds: &[&[&[u8]]],
    amount: u64,
) -> Result<u64> {
    let before = to.amount;
    token_interface::transfer_checked(
        CpiContext::new_with_signer(
            program.key(),
            TransferChecked {
                from: from.to_account_info(),
                mint: mint.to_account_info(),
                to: to.to_account_info(),
                authority,
            },
            signer_seeds,
        ),
        amount,
        mint.decimals,
    )?;
    to.reload()?;
    let received = to.amount.checked_sub(before).ok_or(AnchorTokenError::NothingReceived)?;
    require!(received > 0, AnchorTokenError::NothingReceived);
    Ok(received)
}

/// Mints `amount` anchor tokens to `to`, signed by the config PDA.
pub fn mint_anchor<'info>(
    program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    to: &InterfaceAccount<'info, TokenAccount>,
    config: &Account<'info, AnchorConfig>,
    amount: u64,
) -> Result<()> {
    let seeds = config_seeds(config);
    token_interface::mint_to(
        CpiContext::new_with_signer(
            program.key(),
            MintTo {
                mint: mint.to_account_info(),
                to: to.to_account_info(),
                authority: config.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
    )
}

/// Burns `amount` anchor tokens from `from`, signed by its owner `holder`.
pub fn burn_anchor<'info>(
    program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    from: &InterfaceAccount<'info, TokenAccount>,
    holder: AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    token_interface::burn(
        CpiContext::new(
            program.key(),
            Burn { mint: mint.to_account_info(), from: from.to_account_info(), authority: holder },
        ),
        amount,
    )
}
