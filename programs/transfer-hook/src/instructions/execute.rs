use anchor_lang::prelude::*;

use crate::{
    holder::{check_destination, token_holder},
    instructions::gate_mint::hooked_mint_authority,
    seeds,
    state::{Attestor, MintGate},
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

/// Allows the transfer when the destination may receive the mint's units
/// (`holder::check_destination`: a protocol account, or an immutable owner holding a valid
/// attestation of the mint's attestor). Refuses by name otherwise; changes nothing.
pub fn handler(ctx: Context<Execute>, _amount: u64) -> Result<()> {
    let a = &ctx.accounts;
    let mint = a.mint.key();
    let mint_authority = hooked_mint_authority(&a.mint.to_account_info())?;
    token_holder(&a.source_token, &mint, true)?;
    let destination = token_holder(&a.destination_token, &mint, false)?;
    check_destination(
        &destination,
        mint_authority.as_ref(),
        &a.mint_gate.attestor,
        &a.attestor,
        &a.attestation,
        Clock::get()?.unix_timestamp,
    )
}
