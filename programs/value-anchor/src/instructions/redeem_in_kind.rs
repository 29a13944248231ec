use anchor_lang::prelude::*;

use crate::{
    errors::AnchorTokenError,
    instructions::psm::*,
    math, seeds,
    state::{InKindClaim, MAX_POOLS},
};

#[derive(Accounts)]
#[instruction(amount: u64, nonce: u64)]
pub struct RedeemInKind<'info> {
    /// The holder, its stable and anchor accounts, and the reserve's accounts.
    pub psm: Psm<'info>,
    /// Pays the claim's rent: the holder itself, or anyone for a holder that cannot pay through
    /// the system program (a program's PDA holding data, redeeming through CPI). A claim that
    /// owes nothing is closed at once and its rent returned to this payer; a claim collected
    /// later returns its rent to the holder (`claim_in_kind`).
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(
        init,
        payer = payer,
        space = 8 + InKindClaim::INIT_SPACE,
        seeds = [seeds::CLAIM, psm.holder.key().as_ref(), nonce.to_le_bytes().as_ref()],
        bump,
    )]
    pub claim: Box<Account<'info, InKindClaim>>,
    pub system_program: Program<'info, System>,
}

#[event]
pub struct RedeemedInKind {
    pub holder: Pubkey,
    pub claim: Pubkey,
    pub burned: u64,
    pub stable_paid: u64,
    /// Units owed per backing slot, collected with `claim_in_kind`.
    pub units_owed: [u64; MAX_POOLS],
}

/// Burns `amount` anchor tokens and gives the holder the fraction `amount / max(supply,
/// backing)` of every holding, each rounded down: that share of the stable reserve at once,
/// and that share of every pool's backing units, fixed now and reserved for the holder in an
/// `InKindClaim` at `["claim", holder, nonce]` (a nonce of the holder's choosing, so nobody
/// else's redemption can take it); collected pool by pool with `claim_in_kind`, so no
/// transaction needs every pool's accounts and no holder can pick the best pools. `backing`
/// here is an upper bound (each entry at the higher of its published and uncapped price), so
/// the share never carries surplus out. A redemption owing no units opens no claim (the
/// payer's rent comes back at once). Never paused.
pub fn handler(ctx: Context<RedeemInKind>, amount: u64, nonce: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let claim = &mut ctx.accounts.claim;
    let payer = ctx.accounts.payer.to_account_info();
    let a = &mut ctx.accounts.psm;
    let reserve = a.stable_reserve.amount;
    let backing_now = a.backing.backing_high(reserve)?;
    let (num, den) = math::in_kind_fraction(amount, backing_now, a.anchor_mint.supply)?;
    let stable_paid = math::mul_div_floor(reserve, num, den)?;
    let mut units_owed = [0u64; MAX_POOLS];
    let backing = &mut a.backing;
    for (slot, owed) in units_owed.iter_mut().enumerate().take(backing.pool_count as usize) {
        let e = backing.entries[slot];
        *owed = math::mul_div_floor(e.units, num, den)?;
        backing.entries[slot].units = e.units - *owed;
        backing.entries[slot].reserved =
            e.reserved.checked_add(*owed).ok_or(AnchorTokenError::MathOverflow)?;
        backing.revalue_entry(slot)?;
    }
    require!(stable_paid > 0 || units_owed.iter().any(|&u| u > 0), AnchorTokenError::RoundsToZero);
    backing.claims_opened =
        backing.claims_opened.checked_add(1).ok_or(AnchorTokenError::MathOverflow)?;

    a.burn_and_pay(amount, stable_paid, now)?;

    claim.set_inner(InKindClaim {
        holder: a.holder.key(),
        nonce,
        units_owed,
        bump: ctx.bumps.claim,
    });
    let key = claim.key();
    if claim.is_settled() {
        // nothing owed in units: no claim stays open (its rent returns to its payer)
        claim.close(payer)?;
    }
    emit!(RedeemedInKind {
        holder: a.holder.key(),
        claim: key,
        burned: amount,
        stable_paid,
        units_owed,
    });
    Ok(())
}
