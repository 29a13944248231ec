use rwa_testkit::{anchor_token::*, prelude::*, registry::FACE};
use value_anchor::{
    errors::AnchorTokenError,
    math,
    state::{Backing, InKindClaim},
};

/// Exchange, some stable via the PSM, then an in-kind redemption: the holder gets the share
/// `amount / max(supply, backing)` of the reserve at once and of the pool's units through
/// the claim, which closes once collected.
#[tokio::test]
async fn in_kind_pays_a_share_of_the_reserve_and_of_every_pools_units() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    fx.p.r.env.send_ok(&[fx.mint_ix(FACE / 100, 1)], &[&holder]).await;
    let b: Backing = fx.backing().await;
    let amount = b.anchor_supply / 4;
    let (num, den) = math::in_kind_fraction(amount, b.total_backing, b.anchor_supply).unwrap();
    assert_eq!(den, b.total_backing, "over-backed: the surplus stays");
    let stable_share = math::mul_div_floor(b.stable_reserve, num, den).unwrap();
    let unit_share = math::mul_div_floor(b.entries[0].units, num, den).unwrap();

    let h = holder.pubkey();
    let stable_before = fx.p.r.env.token_balance(fx.holder_stable).await;
    let ix = redeem_in_kind_ix(
        &h,
        &fx.p.r.currency,
        &fx.holder_stable,
        &fx.holder_anchor,
        &h,
        0,
        amount,
    );
    fx.p.r.env.send_ok(&[ix], &[&holder]).await;
    assert_eq!(fx.p.r.env.token_balance(fx.holder_stable).await - stable_before, stable_share);
    let claim: InKindClaim = fx.p.r.env.anchor_account(claim_pda(&h, 0)).await;
    assert_eq!(claim.units_owed[0], unit_share);
    let after: Backing = fx.backing().await;
    assert_eq!(
        (after.entries[0].units, after.entries[0].reserved),
        (b.entries[0].units - unit_share, unit_share)
    );
    assert_eq!(after.anchor_supply, b.anchor_supply - amount);

    let units_before = fx.p.r.env.token_balance(fx.holder_units).await;
    fx.p.r.env.send_ok(&[claim_in_kind_ix(&h, &fx.p.pool, 0, &fx.holder_units)], &[&holder]).await;
    assert_eq!(fx.p.r.env.token_balance(fx.holder_units).await - units_before, unit_share);
    assert!(fx.p.r.env.account(claim_pda(&h, 0)).await.is_none(), "settled claims close");
    let done: Backing = fx.backing().await;
    assert_eq!(done.entries[0].reserved, 0);
}

/// Paused or not, intake open or not, in kind is always available.
#[tokio::test]
async fn in_kind_works_while_minting_is_paused_and_claims_pay_once() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    let guardian = fx.p.r.guardian.insecure_clone();
    fx.p.r.env.send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let h = holder.pubkey();
    let ix = redeem_in_kind_ix(
        &h,
        &fx.p.r.currency,
        &fx.holder_stable,
        &fx.holder_anchor,
        &h,
        0,
        1_000_000,
    );
    fx.p.r.env.send_ok(&[ix], &[&holder]).await;
    // a second claim on the same pool before the first is collected: each owes its own share
    let ix = redeem_in_kind_ix(
        &h,
        &fx.p.r.currency,
        &fx.holder_stable,
        &fx.holder_anchor,
        &h,
        1,
        1_000_000,
    );
    fx.p.r.env.send_ok(&[ix], &[&holder]).await;
    let claim = claim_in_kind_ix(&h, &fx.p.pool, 0, &fx.holder_units);
    fx.p.r.env.send_ok(std::slice::from_ref(&claim), &[&holder]).await;
    fx.p.r.env.send_expect_failure(&[claim], &[&holder]).await;
    fx.p.r.env.send_ok(&[claim_in_kind_ix(&h, &fx.p.pool, 1, &fx.holder_units)], &[&holder]).await;

    // a dust redemption that rounds to nothing is refused by name
    let tiny =
        redeem_in_kind_ix(&h, &fx.p.r.currency, &fx.holder_stable, &fx.holder_anchor, &h, 2, 0);
    fx.p.r.env.send_expect_error(&[tiny], &[&holder], AnchorTokenError::InvalidAmount).await;
}

#[tokio::test]
async fn only_the_claims_holder_collects_it() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    let h = holder.pubkey();
    let ix = redeem_in_kind_ix(
        &h,
        &fx.p.r.currency,
        &fx.holder_stable,
        &fx.holder_anchor,
        &h,
        0,
        1_000_000,
    );
    fx.p.r.env.send_ok(&[ix], &[&holder]).await;
    let thief = fx.p.r.env.funded_keypair(1_000_000_000).await;
    let thief_units =
        fx.p.r
            .env
            .create_ata(
                TokenProgram::Classic,
                &rwa_testkit::registry::unit_mint_pda(&fx.p.pool),
                &thief.pubkey(),
            )
            .await;
    let ix = resign(claim_in_kind_ix(&h, &fx.p.pool, 0, &thief_units), &h, &thief.pubkey());
    fx.p.r
        .env
        .send_expect_error(&[ix], &[&thief], anchor_lang::error::ErrorCode::ConstraintSeeds)
        .await;
}

/// A claim owes only the pools that held backing units when it was opened: claiming another
/// accepted pool is refused by name.
#[tokio::test]
async fn claiming_a_pool_the_claim_owes_nothing_of_is_refused() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    let (other, _) = fx.p.r.active_pool(1).await;
    fx.accept_another_pool(&other).await;
    let h = holder.pubkey();
    fx.p.r.env.send_ok(&[fx.in_kind_ix(0, 1_000_000)], &[&holder]).await;
    let other_units =
        fx.p.r
            .env
            .create_ata(TokenProgram::Classic, &rwa_testkit::registry::unit_mint_pda(&other), &h)
            .await;
    let ix = claim_in_kind_ix(&h, &other, 0, &other_units);
    fx.p.r.env.send_expect_error(&[ix], &[&holder], AnchorTokenError::NothingOwed).await;
}

/// The claim's rent comes from `payer`, who need not be the holder (a program's PDA holding
/// data cannot pay through the system program): the holder pays nothing and gets the rent
/// when the claim closes; a claim owing nothing closes at once and refunds its payer.
#[tokio::test]
async fn another_signer_pays_the_claims_rent_and_the_holder_gets_it_on_close() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    let sponsor = fx.p.r.env.funded_keypair(1_000_000_000).await;
    let (h, s) = (holder.pubkey(), sponsor.pubkey());
    let lamports =
        |a: Option<rwa_testkit::solana_sdk::account::Account>| a.map_or(0, |a| a.lamports);
    let holder_before = lamports(fx.p.r.env.account(h).await);
    let sponsor_before = lamports(fx.p.r.env.account(s).await);
    let ix = redeem_in_kind_ix(
        &h,
        &fx.p.r.currency,
        &fx.holder_stable,
        &fx.holder_anchor,
        &s,
        0,
        1_000_000,
    );
    fx.p.r.env.send_ok(&[ix], &[&holder, &sponsor]).await;
    let rent = TestEnv::rent_exempt(8 + <InKindClaim as anchor_lang::Space>::INIT_SPACE);
    assert_eq!(lamports(fx.p.r.env.account(claim_pda(&h, 0)).await), rent);
    assert_eq!(lamports(fx.p.r.env.account(s).await), sponsor_before - rent);
    assert_eq!(lamports(fx.p.r.env.account(h).await), holder_before, "the holder paid nothing");

    fx.p.r.env.send_ok(&[claim_in_kind_ix(&h, &fx.p.pool, 0, &fx.holder_units)], &[&holder]).await;
    assert!(fx.p.r.env.account(claim_pda(&h, 0)).await.is_none());
    assert_eq!(lamports(fx.p.r.env.account(h).await), holder_before + rent, "rent to the holder");

    // every unit collected: a redemption owes no units and its claim closes at once
    let total: u64 =
        rwa_testkit::registry::pool_params(fx.p.r.now).schedule.iter().map(|p| p.amount).sum();
    fx.p.repay(total).await;
    let currency = fx.p.r.currency;
    fx.p.r.env.send_ok(&[collect_ix(&fx.p.pool, &currency)], &[]).await;
    let sponsor_before = lamports(fx.p.r.env.account(s).await);
    let ix =
        redeem_in_kind_ix(&h, &currency, &fx.holder_stable, &fx.holder_anchor, &s, 1, 1_000_000);
    fx.p.r.env.send_ok(&[ix], &[&holder, &sponsor]).await;
    assert!(fx.p.r.env.account(claim_pda(&h, 1)).await.is_none());
    assert_eq!(lamports(fx.p.r.env.account(s).await), sponsor_before, "refunded at once");
    assert_eq!(lamports(fx.p.r.env.account(h).await), holder_before + rent);
}
