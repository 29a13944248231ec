//! Audit probes: each `probe_*` test replays an attack an audit of this code found and now
//! asserts the property that defeats it (a regression test; its doc comment tells the
//! finding); each `held_*` test documents an attack that was tried and refused.
use anchor_lang::error::ErrorCode;
use dcf_pricer::errors::PricerError;
use rwa_math::Fixed;
use rwa_testkit::{
    anchor_token::*,
    prelude::*,
    pricer::{self, pool_pricing_pda, BENCHMARK, INPUTS_BPS},
    registry::{self, close_pool_ix, pool_params, vault_pda, FACE},
};
use value_anchor::{
    errors::AnchorTokenError,
    math,
    state::{AcceptedPool, Backing, InKindClaim},
};

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/// The fixture after an exchange of a tenth of face value and a PSM mint of a twentieth: the
/// backing holds units and stable, with the haircut's surplus.
async fn funded() -> AnchorFixture {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    fx.p.r.env.send_ok(&[fx.mint_ix(FACE / 20, 1)], &[&holder]).await;
    fx
}

/// Moves the clock just past the pool's first due date, republishes the inputs and refreshes
/// rate and backing: every entry is fresh (priced now), the pool is still Active.
async fn at_first_due_fresh(fx: &mut AnchorFixture) {
    fx.p.at_first_due().await;
    fx.p.r.env.send_ok(&[fx.p.refresh_ix(), refresh_backing_ix(&fx.p.pool)], &[]).await;
}

/// The servicer declares the fixture's pool in default (its first flow is overdue).
async fn declare_default(fx: &mut AnchorFixture) {
    fx.p.declare_default().await;
}

/// Another funded holder with unit, stable and anchor accounts (empty).
struct Other {
    kp: Keypair,
    #[allow(dead_code)]
    units: Pubkey,
    stable: Pubkey,
    anchor: Pubkey,
}

async fn other_holder(fx: &mut AnchorFixture) -> Other {
    let kp = fx.p.r.env.funded_keypair(1_000_000_000).await;
    let pool = fx.p.pool;
    let currency = fx.p.r.currency;
    let units =
        fx.p.r
            .env
            .create_ata(TokenProgram::Classic, &registry::unit_mint_pda(&pool), &kp.pubkey())
            .await;
    let stable = fx.p.r.env.create_ata(TokenProgram::Classic, &currency, &kp.pubkey()).await;
    let anchor =
        fx.p.r.env.create_ata(TokenProgram::Token2022, &anchor_mint_pda(), &kp.pubkey()).await;
    Other { kp, units, stable, anchor }
}

/// Sends `ixs` signed by `signers` expecting a failure, and checks that the backing, the
/// pool's acceptance and every balance watched are unchanged.
async fn refused_unchanged(
    fx: &mut AnchorFixture,
    ixs: &[Instruction],
    signers: &[&Keypair],
    extra: &[Pubkey],
) -> TxFailure {
    let mut watched = vec![
        backing_pda(),
        accepted_pool_pda(&fx.p.pool),
        collateral_pda(&fx.p.pool),
        stable_reserve_pda(),
        anchor_mint_pda(),
        fx.holder_units,
        fx.holder_anchor,
        fx.holder_stable,
    ];
    watched.extend_from_slice(extra);
    let mut before = vec![];
    for a in &watched {
        before.push(fx.p.r.env.account(*a).await);
    }
    let failure = fx.p.r.env.send_expect_failure(ixs, signers).await;
    for (a, b) in watched.iter().zip(before) {
        assert_eq!(fx.p.r.env.account(*a).await, b, "{a} unchanged");
    }
    failure
}

// =============================================================================================
// PROBES: fail while the finding is present
// =============================================================================================

/// Finding 1 (High): redemptions read `Backing.pools_value` as last written, whatever happened
/// to the pool since. Right after a default (the pool's version changes, the pricer's rate is
/// out of date) `redeem_for_stable` still pays par from the stable reserve, although the
/// pricer's fresh price puts the backing well under water: whoever redeems before someone runs
/// `refresh_rate` + `refresh_backing` (or while the pricer is paused or its inputs stale, when
/// nobody can) takes more than `backing / supply` per token and leaves the loss to the rest.
#[tokio::test]
async fn probe_redeem_for_stable_after_a_default_pays_no_more_than_the_fresh_backing_share() {
    let mut fx = funded().await;
    at_first_due_fresh(&mut fx).await;
    declare_default(&mut fx).await;
    // a watcher redeems in the next transaction, before anyone refreshes
    let b: Backing = fx.backing().await;
    let reserve = fx.p.r.env.token_balance(stable_reserve_pda()).await;
    let supply = fx.p.r.env.mint_supply(anchor_mint_pda()).await;
    let amount = FACE / 40;
    let holder = fx.holder.insecure_clone();
    let stable_before = fx.p.r.env.token_balance(fx.holder_stable).await;
    let redeemed = fx.p.r.env.send(&[fx.redeem_ix(amount, 1)], &[&holder]).await;
    let paid = fx.p.r.env.token_balance(fx.holder_stable).await - stable_before;

    // what the pricer says the same holdings are worth now (the redemption did not touch them)
    fx.p.r.env.send_ok(&[fx.p.refresh_ix()], &[]).await;
    let price = Fixed::from_raw(fx.p.pricing().await.rate.unit_price);
    let fresh_backing = reserve + math::units_value_floor(b.entries[0].units, price).unwrap();
    assert!(fresh_backing < supply, "precondition: the default puts the backing under water");
    let fair = math::redemption_value_floor(amount, fresh_backing, supply).unwrap();
    assert!(
        redeemed.is_err() || paid <= fair,
        "a stable redemption after a default paid {paid} for {amount} tokens; the backing at the \
         pricer's fresh price ({fresh_backing} for {supply} tokens) gives at most {fair}"
    );
}

/// Finding 2 (High): a Closed pool can never be re-priced (`fresh_unit_price` refuses Closed:
/// `PoolNotExitable`) and, when its vault is empty (a default with no recovery, closed by its
/// servicer or by the admin after the grace), never collected either (receivables refuses a
/// redemption paying 0). Its entry keeps `units > 0`, so once it is older than
/// `max_entry_age_secs` every mint of the protocol fails with `StaleBacking`, forever, even
/// after the loss has been covered (here: the reserve topped up as `absorb_loss` does).
#[tokio::test]
async fn probe_a_closed_pool_with_an_empty_vault_does_not_stop_minting_forever() {
    let mut fx = funded().await;
    closed_with_empty_vault(&mut fx).await;
    // the loss is covered: the reserve alone now backs supply x 1.05
    let supply = fx.p.r.env.mint_supply(anchor_mint_pda()).await;
    let reserve = fx.p.r.env.token_balance(stable_reserve_pda()).await;
    let top_up = (supply as u128 * 105 / 100) as u64 - reserve;
    let admin = fx.p.r.admin.insecure_clone();
    let currency = fx.p.r.currency;
    fx.p.r
        .env
        .mint_tokens(TokenProgram::Classic, &currency, &stable_reserve_pda(), &admin, top_up)
        .await;
    fx.p.r.env.warp_seconds(PARAMS.max_entry_age_secs as i64 + 1).await;
    let holder = fx.holder.insecure_clone();
    let res = fx.p.r.env.send(&[fx.mint_ix(1_000_000, 1)], &[&holder]).await;
    assert!(
        res.is_ok(),
        "with the reserve alone backing supply x 1.05, a PSM mint must not be refused by an \
         entry nobody can refresh or collect: {:?}",
        res.err().map(|f| f.error)
    );
}

/// Finding 2 (High), its value side: the Closed, empty pool's last price (the defaulted
/// pool's expected recovery) stays in `pools_value` for ever and every redemption counts it.
/// A stable redemption pays from a backing that includes value the pool can never pay.
#[tokio::test]
async fn probe_a_closed_pool_with_an_empty_vault_is_not_counted_as_backing() {
    let mut fx = funded().await;
    closed_with_empty_vault(&mut fx).await;
    let b: Backing = fx.backing().await;
    let supply = fx.p.r.env.mint_supply(anchor_mint_pda()).await;
    let reserve = fx.p.r.env.token_balance(stable_reserve_pda()).await;
    // the pool's units are worth vault / supply = 0: the reserve is the whole backing
    let amount = FACE / 40;
    let fair = math::redemption_value_floor(amount, reserve, supply).unwrap();
    let holder = fx.holder.insecure_clone();
    let before = fx.p.r.env.token_balance(fx.holder_stable).await;
    let _ = fx.p.r.env.send(&[fx.redeem_ix(amount, 1)], &[&holder]).await;
    let paid = fx.p.r.env.token_balance(fx.holder_stable).await - before;
    assert!(
        paid <= fair,
        "paid {paid} for {amount} tokens, but only {fair} is backed (the backing still counts \
         {} of a closed pool with an empty vault)",
        b.entries[0].value
    );
}

/// The pool defaults with an empty vault, its entry is refreshed at the defaulted price, the
/// servicer closes it. `refresh_backing` cannot price a Closed pool; `collect` writes the entry
/// off (the vault pays its units nothing) without a transfer.
async fn closed_with_empty_vault(fx: &mut AnchorFixture) {
    at_first_due_fresh(fx).await;
    declare_default(fx).await;
    fx.p.r.env.send_ok(&[fx.p.refresh_ix(), refresh_backing_ix(&fx.p.pool)], &[]).await;
    assert_eq!(fx.p.r.env.token_balance(vault_pda(&fx.p.pool)).await, 0, "no recovery");
    let servicer = fx.p.r.servicer.insecure_clone();
    let issuer = fx.p.r.issuer.pubkey();
    fx.p.r
        .env
        .send_ok(&[close_pool_ix(&servicer.pubkey(), &fx.p.pool, &issuer)], &[&servicer])
        .await;
    let b: Backing = fx.backing().await;
    assert!(b.entries[0].units > 0 && b.entries[0].value > 0, "the entry still counts");
    let currency = fx.p.r.currency;
    fx.p.r
        .env
        .send_expect_error_from(
            &[fx.p.refresh_ix(), refresh_backing_ix(&fx.p.pool)],
            &[],
            1,
            value_anchor::ID,
            PricerError::PoolNotExitable,
        )
        .await;
    fx.p.r.env.send_ok(&[collect_ix(&fx.p.pool, &currency)], &[]).await;
    let b: Backing = fx.backing().await;
    assert_eq!((b.entries[0].units, b.entries[0].value), (0, 0), "written off by collect");
}

/// Finding 3 (Medium): the claim PDA's nonce is the global `Backing::claims_opened`, read when
/// the holder signs. Any other holder's in-kind redemption landing first (a run, or a griefer
/// redeeming dust in front of every redemption: its tokens come back as stable and units, so it
/// costs only fees) invalidates the transaction (`ConstraintSeeds`): the exit that is "never
/// paused" can be kept shut.
#[tokio::test]
async fn probe_an_in_kind_redemption_is_not_invalidated_by_another_holders() {
    let mut fx = funded().await;
    let holder = fx.holder.insecure_clone();
    let other = other_holder(&mut fx).await;
    fx.p.r.env.transfer_tokens(&fx.holder_anchor, &other.anchor, &holder, 10_000_000).await;
    let nonce = fx.backing().await.claims_opened;
    let currency = fx.p.r.currency;
    // both sign against the same state
    let mine = redeem_in_kind_ix(
        &other.kp.pubkey(),
        &currency,
        &other.stable,
        &other.anchor,
        &other.kp.pubkey(),
        nonce,
        5_000_000,
    );
    let griefer = redeem_in_kind_ix(
        &holder.pubkey(),
        &currency,
        &fx.holder_stable,
        &fx.holder_anchor,
        &holder.pubkey(),
        nonce,
        3,
    );
    fx.p.r.env.send_ok(&[griefer], &[&holder]).await;
    let res = fx.p.r.env.send(&[mine], &[&other.kp]).await;
    assert!(
        res.is_ok(),
        "another holder's redemption landing first must not refuse mine: {:?}",
        res.err().map(|f| f.error)
    );
}

/// Finding 4 (Low): a redemption that owes no units (every pool collected or empty, or the
/// shares round to 0) still opens an `InKindClaim`; `claim_in_kind` refuses it (`NothingOwed`)
/// and nothing else closes it: the holder's rent is locked for ever, one account per
/// redemption.
#[tokio::test]
async fn probe_a_redemption_owing_no_units_leaves_no_claim_open() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    let total: u64 = pool_params(fx.p.r.now).schedule.iter().map(|p| p.amount).sum();
    fx.p.repay(total).await;
    let currency = fx.p.r.currency;
    fx.p.r.env.send_ok(&[collect_ix(&fx.p.pool, &currency)], &[]).await;

    let h = holder.pubkey();
    let nonce = fx.backing().await.claims_opened;
    let ix = redeem_in_kind_ix(
        &h,
        &currency,
        &fx.holder_stable,
        &fx.holder_anchor,
        &h,
        nonce,
        1_000_000,
    );
    let lamports_before = fx.p.r.env.account(h).await.unwrap().lamports;
    fx.p.r.env.send_ok(&[ix], &[&holder]).await;
    if let Some(acc) = fx.p.r.env.account(claim_pda(&h, nonce)).await {
        let claim: InKindClaim = fx.p.r.env.anchor_account(claim_pda(&h, nonce)).await;
        let close = claim_in_kind_ix(&h, &fx.p.pool, nonce, &fx.holder_units);
        let closed = fx.p.r.env.send(&[close], &[&holder]).await.is_ok();
        assert!(
            closed,
            "a claim owing {:?} holds {} lamports of the holder's rent and cannot be closed \
             (holder paid {} lamports)",
            claim.units_owed,
            acc.lamports,
            lamports_before - fx.p.r.env.account(h).await.unwrap().lamports
        );
    }
}

/// Finding 5 (Medium): the mint check (`Backing::require_backed`) only asks that entries be
/// younger than `max_entry_age_secs`; it does not see that a pool changed since its entry was
/// priced. Right after a default a PSM mint (or an exchange of another pool) passes on the old
/// value although the pricer's fresh price puts the backing under water: new money enters at
/// par into an under-water token (SPEC: "after every successful mint ... backing >= supply x
/// (1 + overcollateral)").
#[tokio::test]
async fn probe_no_mint_while_an_entrys_pool_changed_since_it_was_priced() {
    let mut fx = funded().await;
    at_first_due_fresh(&mut fx).await;
    declare_default(&mut fx).await;
    let holder = fx.holder.insecure_clone();
    let minted = fx.p.r.env.send(&[fx.mint_ix(1_000_000, 1)], &[&holder]).await.is_ok();
    // the backing at the pricer's fresh price, after that mint
    fx.p.r.env.send_ok(&[fx.p.refresh_ix()], &[]).await;
    let b: Backing = fx.backing().await;
    let price = Fixed::from_raw(fx.p.pricing().await.rate.unit_price);
    let reserve = fx.p.r.env.token_balance(stable_reserve_pda()).await;
    let supply = fx.p.r.env.mint_supply(anchor_mint_pda()).await;
    let fresh = reserve + math::units_value_floor(b.entries[0].units, price).unwrap();
    assert!(
        !minted || math::is_backed(fresh, supply, PARAMS.overcollateral_bps),
        "a mint succeeded while the backing at fresh prices is {fresh} for {supply} tokens \
         ({} bps)",
        fresh as u128 * 10_000 / supply as u128
    );
}

/// Finding 6 (Low): a Defaulted pool stays exchangeable (`fresh_unit_price` refuses only
/// Draft, Closed and Cancelled, and intake only stops by a timelocked admin
/// `set_pool_params`): its holders, who know the recovery prospects best, can sell the
/// defaulted units to the anchor at the model's expected recovery.
#[tokio::test]
async fn probe_a_defaulted_pools_units_are_not_taken_in() {
    let mut fx = AnchorFixture::new().await;
    let first_due = pool_params(fx.p.r.now).schedule[0].due_ts;
    fx.p.r.env.set_unix_timestamp(first_due + 1).await;
    fx.p.publish_all(INPUTS_BPS).await;
    declare_default(&mut fx).await;
    let holder = fx.holder.insecure_clone();
    let res = fx.p.r.env.send(&fx.exchange_ixs(FACE / 100, 1), &[&holder]).await;
    assert!(res.is_err(), "units of a Defaulted pool were exchanged into anchor tokens");
}

/// Finding 7 (Low): the in-kind share is `amount / max(supply, backing)` with the backing at
/// the published price, which the pricer's rise cap holds below its computed price after a
/// dip (here: flows 30-90 days overdue are written down by the grade's steps, then repaid).
/// The redeemer receives units, not value: valued at the computed price the share is worth
/// more than par, so the protocol's surplus leaks to in-kind redeemers while the cap binds
/// (SPEC: "Surplus is never paid to in-kind redeemers (their share is capped at par)").
#[tokio::test]
async fn probe_an_in_kind_share_is_worth_at_most_par_at_the_pricers_computed_price() {
    let mut fx = funded().await;
    // four flows overdue (the oldest 90 days): the price falls at once
    let first_due = pool_params(fx.p.r.now).schedule[0].due_ts;
    fx.p.r.env.set_unix_timestamp(first_due + 90 * 86_400 + 1).await;
    fx.p.publish_all(INPUTS_BPS).await;
    fx.p.r.env.send_ok(&[fx.p.refresh_ix(), refresh_backing_ix(&fx.p.pool)], &[]).await;
    // the servicer catches up: the computed price is back, the published one rises 1% an hour
    fx.p.repay(4 * (FACE / 12)).await;
    fx.p.r.env.send_ok(&[fx.p.refresh_ix(), refresh_backing_ix(&fx.p.pool)], &[]).await;
    let pricing = fx.p.pricing().await;
    assert!(pricing.rate.unit_price < pricing.rate.computed_price, "precondition: capped");
    let computed = Fixed::from_raw(pricing.rate.computed_price);

    let holder = fx.holder.insecure_clone();
    let h = holder.pubkey();
    let supply = fx.p.r.env.mint_supply(anchor_mint_pda()).await;
    let amount = supply / 10;
    let stable_before = fx.p.r.env.token_balance(fx.holder_stable).await;
    let currency = fx.p.r.currency;
    let ix = redeem_in_kind_ix(&h, &currency, &fx.holder_stable, &fx.holder_anchor, &h, 0, amount);
    fx.p.r.env.send_ok(&[ix], &[&holder]).await;
    let stable = fx.p.r.env.token_balance(fx.holder_stable).await - stable_before;
    let claim: InKindClaim = fx.p.r.env.anchor_account(claim_pda(&h, 0)).await;
    let worth = stable + math::units_value_floor(claim.units_owed[0], computed).unwrap();
    assert!(
        worth <= amount,
        "{amount} tokens redeemed in kind for {worth} at the pricer's computed price \
         (published {} < computed {})",
        pricing.rate.unit_price,
        pricing.rate.computed_price
    );
}

// =============================================================================================
// HELD: attacks tried and refused
// =============================================================================================

/// Signer checks: an exchange or a redemption from another holder's account is refused.
#[tokio::test]
async fn held_nobody_exchanges_or_redeems_from_another_holders_accounts() {
    let mut fx = funded().await;
    let thief = other_holder(&mut fx).await;
    // the victim's units, the thief's signature and anchor account
    let a = ExchangeAccounts::new(&thief.kp.pubkey(), &fx.p.pool, &fx.holder_units, &thief.anchor);
    let ixs = [fx.p.refresh_ix(), a.ix(FACE / 100, 1)];
    let f = refused_unchanged(&mut fx, &ixs, &[&thief.kp], &[thief.anchor]).await;
    f.assert_error(1, value_anchor::ID, ErrorCode::ConstraintTokenOwner);
    // the victim's anchor tokens, redeemed for stable or in kind into the thief's accounts
    let currency = fx.p.r.currency;
    let ix = PsmAccounts {
        holder: thief.kp.pubkey(),
        reserve_mint: currency,
        holder_stable: thief.stable,
        holder_anchor: fx.holder_anchor,
        accepted: fx.accepted.clone(),
        anchor_token_program: fx.anchor_program.id(),
    }
    .redeem_ix(1_000, 1);
    let f = refused_unchanged(&mut fx, &[ix], &[&thief.kp], &[thief.stable]).await;
    f.assert_error(0, value_anchor::ID, ErrorCode::ConstraintTokenOwner);
    let ix = redeem_in_kind_ix(
        &thief.kp.pubkey(),
        &currency,
        &thief.stable,
        &fx.holder_anchor,
        &thief.kp.pubkey(),
        0,
        1_000,
    );
    let f = refused_unchanged(&mut fx, &[ix], &[&thief.kp], &[thief.stable]).await;
    f.assert_error(0, value_anchor::ID, ErrorCode::ConstraintTokenOwner);
    // a claim PDA derived for another holder than the signer
    let h = fx.holder.pubkey();
    let mut ix =
        redeem_in_kind_ix(&h, &currency, &fx.holder_stable, &fx.holder_anchor, &h, 0, 1_000);
    ix.accounts[11].pubkey = claim_pda(&thief.kp.pubkey(), 0);
    let holder = fx.holder.insecure_clone();
    let f = refused_unchanged(&mut fx, &[ix], &[&holder], &[]).await;
    f.assert_error(0, value_anchor::ID, ErrorCode::ConstraintSeeds);
}

/// Account substitution in exchange and refresh: another pool's receivables account, another
/// pool's pricing, the wrong token programs, the pricer config replaced.
#[tokio::test]
async fn held_exchange_and_refresh_refuse_substituted_accounts() {
    let mut fx = funded().await;
    let (other, _) = fx.p.r.active_pool(1).await;
    fx.accept_another_pool(&other).await;
    let holder = fx.holder.insecure_clone();
    let refresh = fx.p.refresh_ix();
    // another accepted pool's receivables account as this pool's
    let mut ix = fx.exchange_accounts().ix(FACE / 100, 1);
    ix.accounts[5].pubkey = other;
    let f = refused_unchanged(&mut fx, &[refresh.clone(), ix], &[&holder], &[]).await;
    f.assert_error(1, value_anchor::ID, AnchorTokenError::AccountMismatch);
    // the pricer config replaced by the pool's pricing (another program's look-alike)
    let mut ix = fx.exchange_accounts().ix(FACE / 100, 1);
    ix.accounts[6].pubkey = pool_pricing_pda(&fx.p.pool);
    refused_unchanged(&mut fx, &[refresh.clone(), ix], &[&holder], &[]).await;
    // Token-2022 as the (classic) unit token program, SPL Token as the (Token-2022) anchor
    // token program: the latter refused by name
    let mut ix = fx.exchange_accounts().ix(FACE / 100, 1);
    ix.accounts[13].pubkey = TokenProgram::Token2022.id();
    refused_unchanged(&mut fx, &[refresh.clone(), ix], &[&holder], &[]).await;
    let mut ix = fx.exchange_accounts().ix(FACE / 100, 1);
    ix.accounts[14].pubkey = TokenProgram::Classic.id();
    let f = refused_unchanged(&mut fx, &[refresh.clone(), ix], &[&holder], &[]).await;
    f.assert_error(1, value_anchor::ID, AnchorTokenError::AnchorTokenProgramMismatch);
    // a look-alike stable reserve (the holder's stable account)
    let mut ix = fx.exchange_accounts().ix(FACE / 100, 1);
    ix.accounts[12].pubkey = fx.holder_stable;
    let f = refused_unchanged(&mut fx, &[refresh.clone(), ix], &[&holder], &[]).await;
    f.assert_error(1, value_anchor::ID, AnchorTokenError::AccountMismatch);
    // refresh_backing: the other pool's pricing under this acceptance
    let mut ix = refresh_backing_ix(&fx.p.pool);
    ix.accounts[3].pubkey = pool_pricing_pda(&other);
    let f = refused_unchanged(&mut fx, &[refresh.clone(), ix], &[], &[]).await;
    f.assert_error(1, value_anchor::ID, AnchorTokenError::PricingMismatch);
    // refresh_backing: a look-alike stable reserve would let anyone inflate the total
    let mut ix = refresh_backing_ix(&fx.p.pool);
    ix.accounts[7].pubkey = fx.holder_stable;
    let f = refused_unchanged(&mut fx, &[refresh.clone(), ix], &[], &[]).await;
    f.assert_error(1, value_anchor::ID, AnchorTokenError::AccountMismatch);
}

/// A price from before a repayment is refused (the pool's version moved), and so is a stale
/// one: nobody mints at an out-of-date price.
#[tokio::test]
async fn held_no_exchange_at_a_price_from_before_a_pool_change() {
    let mut fx = AnchorFixture::new().await;
    fx.p.refresh().await;
    fx.p.repay(FACE / 12).await;
    let holder = fx.holder.insecure_clone();
    let ix = fx.exchange_accounts().ix(FACE / 100, 1);
    let f = refused_unchanged(&mut fx, &[ix], &[&holder], &[]).await;
    f.assert_error(0, value_anchor::ID, PricerError::PoolChangedSinceRefresh);
}

/// Exchanges in one transaction share the pool's capacity: splitting does not bypass it, and
/// split exchanges mint no more than one exchange of the same units.
#[tokio::test]
async fn held_split_exchanges_neither_bypass_capacity_nor_mint_more() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    // two eighths of face value: each fits the capacity (a fifth), both do not
    let a = fx.exchange_accounts();
    let ixs = [fx.p.refresh_ix(), a.ix(FACE / 8, 1), a.ix(FACE / 8, 1)];
    let f = refused_unchanged(&mut fx, &ixs, &[&holder], &[]).await;
    f.assert_error(2, value_anchor::ID, AnchorTokenError::CapacityExceeded);

    let piece = 1_234_567;
    let ixs = [fx.p.refresh_ix(), a.ix(piece, 1), a.ix(piece, 1), a.ix(piece, 1), a.ix(piece, 1)];
    fx.p.r.env.send_ok(&ixs, &[&holder]).await;
    let price = Fixed::from_raw(fx.p.pricing().await.rate.unit_price);
    let minted = fx.p.r.env.token_balance(fx.holder_anchor).await;
    let (_, at_once) = math::exchange_out(4 * piece, price, POOL_PARAMS.haircut_bps).unwrap();
    assert!(minted <= at_once, "split {minted} > at once {at_once}");
    let b: Backing = fx.backing().await;
    assert!(b.total_backing as u128 * 10_000 >= b.anchor_supply as u128 * 10_300);
}

/// PSM: dust rounds to nothing and is refused; split redemptions pay no more than one.
#[tokio::test]
async fn held_psm_dust_and_split_redemptions_pay_no_more() {
    let mut fx = funded().await;
    let holder = fx.holder.insecure_clone();
    let ix = fx.mint_ix(1, 0);
    fx.p.r.env.send_expect_error(&[ix], &[&holder], AnchorTokenError::RoundsToZero).await;
    let ix = fx.redeem_ix(1, 0);
    fx.p.r.env.send_expect_error(&[ix], &[&holder], AnchorTokenError::RoundsToZero).await;
    let total = 10_000_007u64;
    let before = fx.p.r.env.token_balance(fx.holder_stable).await;
    let piece = total / 10;
    let ixs: Vec<_> = (0..10).map(|_| fx.redeem_ix(piece, 1)).collect();
    fx.p.r.env.send_ok(&ixs, &[&holder]).await;
    let split = fx.p.r.env.token_balance(fx.holder_stable).await - before;
    let whole = total - math::fee_ceil(total, PARAMS.fee_out_bps).unwrap();
    assert!(split <= whole, "split {split} > whole {whole}");
}

/// Pause: minting stops (exchange, PSM in); PSM out, in kind, claims, refresh and collect go
/// on; the guardian cannot unpause and a stranger cannot pause.
#[tokio::test]
async fn held_pause_stops_mints_and_never_redemptions() {
    let mut fx = funded().await;
    let holder = fx.holder.insecure_clone();
    let h = holder.pubkey();
    let guardian = fx.p.r.guardian.insecure_clone();
    let stranger = fx.p.r.env.funded_keypair(1_000_000_000).await;
    let ix = set_paused_ix(&stranger.pubkey(), true);
    fx.p.r.env.send_expect_error(&[ix], &[&stranger], AnchorTokenError::Unauthorized).await;
    fx.p.r.env.send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let ix = set_paused_ix(&guardian.pubkey(), false);
    fx.p.r.env.send_expect_error(&[ix], &[&guardian], AnchorTokenError::Unauthorized).await;

    let ixs = fx.exchange_ixs(FACE / 100, 1);
    fx.p.r.env.send_expect_error(&ixs, &[&holder], AnchorTokenError::Paused).await;
    let ix = fx.mint_ix(1_000_000, 1);
    fx.p.r.env.send_expect_error(&[ix], &[&holder], AnchorTokenError::Paused).await;
    fx.p.r.env.send_ok(&[fx.redeem_ix(1_000_000, 1)], &[&holder]).await;
    let currency = fx.p.r.currency;
    let ix =
        redeem_in_kind_ix(&h, &currency, &fx.holder_stable, &fx.holder_anchor, &h, 0, 1_000_000);
    fx.p.r.env.send_ok(&[ix], &[&holder]).await;
    fx.p.r.env.send_ok(&[claim_in_kind_ix(&h, &fx.p.pool, 0, &fx.holder_units)], &[&holder]).await;
    fx.p.r.env.send_ok(&[fx.p.refresh_ix(), refresh_backing_ix(&fx.p.pool)], &[]).await;
    let total: u64 = pool_params(fx.p.r.now).schedule.iter().map(|p| p.amount).sum();
    fx.p.repay(total).await;
    fx.p.r.env.send_ok(&[collect_ix(&fx.p.pool, &currency)], &[]).await;
}

/// Claims: another pool's collateral, the holder's unit account as the collateral, a second
/// collection; units reserved for a claim survive `collect` and are paid after it.
#[tokio::test]
async fn held_claims_pay_once_from_the_right_collateral_even_after_collect() {
    let mut fx = funded().await;
    let (other, _) = fx.p.r.active_pool(1).await;
    fx.accept_another_pool(&other).await;
    let holder = fx.holder.insecure_clone();
    let h = holder.pubkey();
    let currency = fx.p.r.currency;
    let ix =
        redeem_in_kind_ix(&h, &currency, &fx.holder_stable, &fx.holder_anchor, &h, 0, FACE / 50);
    fx.p.r.env.send_ok(&[ix], &[&holder]).await;
    let owed = fx.p.r.env.anchor_account::<InKindClaim>(claim_pda(&h, 0)).await.units_owed[0];
    assert!(owed > 0);

    // another pool's collateral (has_one) and the holder's own unit account (duplicate)
    let mut ix = claim_in_kind_ix(&h, &fx.p.pool, 0, &fx.holder_units);
    ix.accounts[6].pubkey = collateral_pda(&other);
    let f = refused_unchanged(&mut fx, &[ix], &[&holder], &[claim_pda(&h, 0)]).await;
    f.assert_error(0, value_anchor::ID, AnchorTokenError::AccountMismatch);
    let mut ix = claim_in_kind_ix(&h, &fx.p.pool, 0, &fx.holder_units);
    ix.accounts[6].pubkey = fx.holder_units;
    refused_unchanged(&mut fx, &[ix], &[&holder], &[claim_pda(&h, 0)]).await;
    let ix = claim_in_kind_ix(&h, &fx.p.pool, 0, &collateral_pda(&fx.p.pool));
    refused_unchanged(&mut fx, &[ix], &[&holder], &[claim_pda(&h, 0)]).await;
    // the other pool (nothing owed there)
    let ix = claim_in_kind_ix(&h, &other, 0, &fx.holder_units);
    fx.p.r.env.send_expect_failure(&[ix], &[&holder]).await;

    // the pool matures and is collected: the reserved units stay for the claim
    let total: u64 = pool_params(fx.p.r.now).schedule.iter().map(|p| p.amount).sum();
    fx.p.repay(total).await;
    fx.p.r.env.send_ok(&[collect_ix(&fx.p.pool, &currency)], &[]).await;
    assert_eq!(fx.p.r.env.token_balance(collateral_pda(&fx.p.pool)).await, owed);
    let b: Backing = fx.backing().await;
    assert_eq!((b.entries[0].units, b.entries[0].reserved), (0, owed));
    let before = fx.p.r.env.token_balance(fx.holder_units).await;
    let claim = claim_in_kind_ix(&h, &fx.p.pool, 0, &fx.holder_units);
    fx.p.r.env.send_ok(std::slice::from_ref(&claim), &[&holder]).await;
    assert_eq!(fx.p.r.env.token_balance(fx.holder_units).await - before, owed);
    assert!(fx.p.r.env.account(claim_pda(&h, 0)).await.is_none());
    fx.p.r.env.send_expect_failure(&[claim], &[&holder]).await;
    assert_eq!(fx.p.r.env.token_balance(collateral_pda(&fx.p.pool)).await, 0);
}

/// Collect: refused before the pool is redeemable (Defaulted included), with another pool's
/// collateral or vault, a fake receivables program; a second collect finds nothing.
#[tokio::test]
async fn held_collect_checks_its_cpi_accounts_and_the_pool_state() {
    let mut fx = funded().await;
    let (other, _) = fx.p.r.active_pool(1).await;
    fx.accept_another_pool(&other).await;
    let currency = fx.p.r.currency;
    let ix = collect_ix(&fx.p.pool, &currency);
    fx.p.r.env.send_expect_error(&[ix], &[], AnchorTokenError::PoolNotCollectable).await;
    let total: u64 = pool_params(fx.p.r.now).schedule.iter().map(|p| p.amount).sum();
    fx.p.repay(total).await;

    let mut ix = collect_ix(&fx.p.pool, &currency);
    ix.accounts[6].pubkey = collateral_pda(&other);
    let f = refused_unchanged(&mut fx, &[ix], &[], &[]).await;
    f.assert_error(0, value_anchor::ID, AnchorTokenError::AccountMismatch);
    let mut ix = collect_ix(&fx.p.pool, &currency);
    ix.accounts[7].pubkey = vault_pda(&other);
    let f = refused_unchanged(&mut fx, &[ix], &[], &[vault_pda(&other)]).await;
    f.assert_error(0, value_anchor::ID, AnchorTokenError::AccountMismatch);
    let mut ix = collect_ix(&fx.p.pool, &currency);
    ix.accounts[13].pubkey = dcf_pricer::ID;
    let f = refused_unchanged(&mut fx, &[ix], &[], &[]).await;
    f.assert_error(0, value_anchor::ID, ErrorCode::InvalidProgramId);
    // a look-alike destination (the holder's stable account)
    let mut ix = collect_ix(&fx.p.pool, &currency);
    ix.accounts[9].pubkey = fx.holder_stable;
    let f = refused_unchanged(&mut fx, &[ix], &[], &[]).await;
    f.assert_error(0, value_anchor::ID, AnchorTokenError::AccountMismatch);

    fx.p.r.env.send_ok(&[collect_ix(&fx.p.pool, &currency)], &[]).await;
    let ix = collect_ix(&fx.p.pool, &currency);
    fx.p.r.env.send_expect_error(&[ix], &[], AnchorTokenError::NothingOwed).await;
}

/// A Defaulted pool is not collected (its recoveries are still coming).
#[tokio::test]
async fn held_a_defaulted_pool_is_not_collected() {
    let mut fx = funded().await;
    at_first_due_fresh(&mut fx).await;
    declare_default(&mut fx).await;
    let currency = fx.p.r.currency;
    let ix = collect_ix(&fx.p.pool, &currency);
    fx.p.r.env.send_expect_error(&[ix], &[], AnchorTokenError::PoolNotCollectable).await;
}

/// Donations: stable sent to the reserve is surplus (nobody redeems above par for it, in kind
/// included); units sent to the collateral are not counted as backing.
#[tokio::test]
async fn held_donations_are_surplus_and_pay_no_redeemer_above_par() {
    let mut fx = funded().await;
    let holder = fx.holder.insecure_clone();
    let h = holder.pubkey();
    let admin = fx.p.r.admin.insecure_clone();
    let currency = fx.p.r.currency;
    fx.p.r
        .env
        .mint_tokens(TokenProgram::Classic, &currency, &stable_reserve_pda(), &admin, FACE / 10)
        .await;
    fx.p.r
        .env
        .transfer_tokens(&fx.holder_units, &collateral_pda(&fx.p.pool), &holder, 1_000_000)
        .await;
    fx.p.r.env.send_ok(&[fx.p.refresh_ix(), refresh_backing_ix(&fx.p.pool)], &[]).await;
    let b: Backing = fx.backing().await;
    assert_eq!(b.entries[0].units, FACE / 10, "donated units are not backing");

    let amount = 10_000_000;
    let before = fx.p.r.env.token_balance(fx.holder_stable).await;
    fx.p.r.env.send_ok(&[fx.redeem_ix(amount, 1)], &[&holder]).await;
    assert!(fx.p.r.env.token_balance(fx.holder_stable).await - before <= amount);

    let b: Backing = fx.backing().await;
    let before = fx.p.r.env.token_balance(fx.holder_stable).await;
    let ix = redeem_in_kind_ix(&h, &currency, &fx.holder_stable, &fx.holder_anchor, &h, 0, amount);
    fx.p.r.env.send_ok(&[ix], &[&holder]).await;
    let stable = fx.p.r.env.token_balance(fx.holder_stable).await - before;
    let claim: InKindClaim = fx.p.r.env.anchor_account(claim_pda(&h, 0)).await;
    let units = math::units_value_floor(claim.units_owed[0], Fixed::from_raw(b.entries[0].price));
    assert!(stable + units.unwrap() <= amount, "in kind above par");
}

/// Under water with a fresh backing, redeeming in many small pieces in kind takes no more per
/// token than one redemption, and the value per remaining token never falls.
#[tokio::test]
async fn held_small_in_kind_pieces_under_water_take_no_more_than_their_share() {
    let mut fx = funded().await;
    at_first_due_fresh(&mut fx).await;
    declare_default(&mut fx).await;
    fx.p.r.env.send_ok(&[fx.p.refresh_ix(), refresh_backing_ix(&fx.p.pool)], &[]).await;
    let b0: Backing = fx.backing().await;
    assert!(b0.total_backing < b0.anchor_supply);
    let holder = fx.holder.insecure_clone();
    let h = holder.pubkey();
    let currency = fx.p.r.currency;
    let price = Fixed::from_raw(b0.entries[0].price);
    let stable_before = fx.p.r.env.token_balance(fx.holder_stable).await;
    let piece = 999_999u64;
    let n = 8u64;
    let mut units = 0u64;
    for nonce in 0..n {
        let ix = redeem_in_kind_ix(
            &h,
            &currency,
            &fx.holder_stable,
            &fx.holder_anchor,
            &h,
            nonce,
            piece,
        );
        fx.p.r.env.send_ok(&[ix], &[&holder]).await;
        units += fx.p.r.env.anchor_account::<InKindClaim>(claim_pda(&h, nonce)).await.units_owed[0];
    }
    let stable = fx.p.r.env.token_balance(fx.holder_stable).await - stable_before;
    let worth = stable as u128 + price.mul_u64_floor(units).unwrap() as u128;
    // at most the pro-rata share of the backing
    assert!(
        worth * b0.anchor_supply as u128
            <= (n * piece) as u128 * b0.total_backing as u128 + b0.anchor_supply as u128
    );
    // the entry's value is floored after each piece: one base unit of accounting per piece
    let b1: Backing = fx.backing().await;
    assert!(
        (b1.total_backing + n) as u128 * b0.anchor_supply as u128
            >= b0.total_backing as u128 * b1.anchor_supply as u128,
        "the value per remaining token fell"
    );
}

/// The accepted pool's capacity and ceiling are per pool: another pool's acceptance (its own
/// PDA) cannot be passed for this pool's units.
#[tokio::test]
async fn held_another_pools_acceptance_cannot_carry_this_pools_units() {
    let mut fx = funded().await;
    let (other, _) = fx.p.r.active_pool(1).await;
    fx.accept_another_pool(&other).await;
    let holder = fx.holder.insecure_clone();
    // the other pool's acceptance, pricing, pool and collateral with this pool's units
    let mut a =
        ExchangeAccounts::new(&holder.pubkey(), &other, &fx.holder_units, &fx.holder_anchor);
    a.unit_mint = registry::unit_mint_pda(&fx.p.pool);
    let refresh_other =
        pricer::RefreshAccounts::new(&other, 1, &BENCHMARK, &pricer::GRADE_FEEDS).ix();
    let ixs = [refresh_other, a.ix(FACE / 100, 1)];
    let f = refused_unchanged(&mut fx, &ixs, &[&holder], &[]).await;
    f.assert_error(1, value_anchor::ID, AnchorTokenError::AccountMismatch);
    let acc: AcceptedPool = fx.p.r.env.anchor_account(accepted_pool_pda(&other)).await;
    assert_eq!(acc.usage, 0);
}

/// Duplicate mutable accounts: the stable reserve as the in-kind redeemer's stable account
/// (the only destination without an owner constraint) is refused and changes nothing.
#[tokio::test]
async fn held_the_stable_reserve_cannot_be_the_redeemers_destination() {
    let mut fx = funded().await;
    let holder = fx.holder.insecure_clone();
    let h = holder.pubkey();
    let currency = fx.p.r.currency;
    let ix = redeem_in_kind_ix(
        &h,
        &currency,
        &stable_reserve_pda(),
        &fx.holder_anchor,
        &h,
        0,
        1_000_000,
    );
    refused_unchanged(&mut fx, &[ix], &[&holder], &[claim_pda(&h, 0)]).await;
}

/// Admin-only instructions refuse anyone else (parameters, pool parameters, pool acceptance is
/// covered in accept_pool.rs).
#[tokio::test]
async fn held_parameters_are_admin_only() {
    let mut fx = funded().await;
    let stranger = fx.p.r.env.funded_keypair(1_000_000_000).await;
    let guardian = fx.p.r.guardian.insecure_clone();
    let s = stranger.pubkey();
    let open =
        value_anchor::state::PoolParams { capacity: u64::MAX, ceiling: u64::MAX, ..POOL_PARAMS };
    for (ix, kp) in [
        (set_pool_params_ix(&s, &fx.p.pool, open, true), &stranger),
        (set_pool_params_ix(&guardian.pubkey(), &fx.p.pool, open, true), &guardian),
    ] {
        let f = refused_unchanged(&mut fx, &[ix], &[kp], &[config_pda()]).await;
        f.assert_error(0, value_anchor::ID, ErrorCode::ConstraintHasOne);
    }
    let loose = value_anchor::state::AnchorParams {
        overcollateral_bps: 0,
        global_ceiling: u64::MAX,
        ..PARAMS
    };
    let ix = set_params_ix(&s, loose);
    let f = refused_unchanged(&mut fx, &[ix], &[&stranger], &[config_pda()]).await;
    f.assert_error(0, value_anchor::ID, ErrorCode::ConstraintHasOne);
}
