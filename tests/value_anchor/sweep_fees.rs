//! PSM fees accrue in the backing and `sweep_fees` pays them to the admin's fee recipient, out
//! of surplus only; `set_fee_recipient` names it.
use anchor_lang::error::ErrorCode;
use rwa_guard::GuardError;
use rwa_testkit::{anchor_token::*, prelude::*, registry::FACE};
use value_anchor::{
    errors::AnchorTokenError,
    math,
    state::{AnchorConfig, AnchorParams, Backing},
};

/// A fresh reserve-stablecoin account (of a key that never signs) for the fees.
async fn recipient(fx: &mut AnchorFixture) -> Pubkey {
    let currency = fx.p.r.currency;
    fx.p.r.env.create_ata(TokenProgram::Classic, &currency, &Pubkey::new_unique()).await
}

/// `recipient(fx)` named the fee recipient by the admin.
async fn with_recipient(fx: &mut AnchorFixture) -> Pubkey {
    let r = recipient(fx).await;
    let admin = fx.p.r.admin.insecure_clone();
    fx.p.r.env.send_ok(&[set_fee_recipient_ix(&admin.pubkey(), &r)], &[&admin]).await;
    r
}

/// The fees of a PSM mint and a PSM redemption accrue in the backing and are swept, all of
/// them (the haircut's surplus is larger), to the recipient; then nothing is left.
#[tokio::test]
async fn fees_accrued_by_mint_and_redeem_are_swept_to_the_recipient() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    assert_eq!(fx.backing().await.fees_accrued, 0, "exchanges take no PSM fee");
    let (mint, redeem) = (1_000_000_007, 500_000_000);
    fx.p.r.env.send_ok(&[fx.mint_ix(mint, 1)], &[&holder]).await;
    fx.p.r.env.send_ok(&[fx.redeem_ix(redeem, 1)], &[&holder]).await;
    let fees = math::fee_ceil(mint, PARAMS.fee_in_bps).unwrap()
        + math::fee_ceil(redeem, PARAMS.fee_out_bps).unwrap();
    let b: Backing = fx.backing().await;
    assert_eq!(b.fees_accrued, fees);
    assert!(
        math::surplus_floor(b.total_backing, b.anchor_supply, PARAMS.overcollateral_bps) > fees
    );

    let r = with_recipient(&mut fx).await;
    let config: AnchorConfig = fx.p.r.env.anchor_account(config_pda()).await;
    assert_eq!(config.fee_recipient, r);
    fx.p.r.env.send_ok(&[fx.sweep_ix(&r)], &[]).await;
    assert_eq!(fx.p.r.env.token_balance(r).await, fees);
    let after: Backing = fx.backing().await;
    assert_eq!(after.fees_accrued, 0);
    assert_eq!(after.stable_reserve, b.stable_reserve - fees);
    assert_eq!(after.stable_reserve, fx.p.r.env.token_balance(stable_reserve_pda()).await);
    assert_eq!(after.total_backing, b.total_backing - fees);
    fx.p.r.env.send_expect_error(&[fx.sweep_ix(&r)], &[], AnchorTokenError::NothingToSweep).await;
}

/// With only stable behind the token the surplus is the fees themselves; a higher
/// overcollateral requirement leaves less of them free: the sweep takes exactly the surplus,
/// leaves the rest accrued, and the backing still passes the mint check.
#[tokio::test]
async fn a_sweep_is_limited_by_the_surplus() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    let admin = fx.p.r.admin.insecure_clone();
    let none = AnchorParams { overcollateral_bps: 0, ..PARAMS };
    fx.p.r.env.send_ok(&[set_params_ix(&admin.pubkey(), none)], &[&admin]).await;
    let amount = 1_000_000_000;
    fx.p.r.env.send_ok(&[fx.mint_ix(amount, 1)], &[&holder]).await;
    let fee = math::fee_ceil(amount, PARAMS.fee_in_bps).unwrap();
    let one_bp = AnchorParams { overcollateral_bps: 1, ..PARAMS };
    fx.p.r.env.send_ok(&[set_params_ix(&admin.pubkey(), one_bp)], &[&admin]).await;
    let b: Backing = fx.backing().await;
    let surplus = math::surplus_floor(b.total_backing, b.anchor_supply, 1);
    // 1,000,000,000 - ceil(999,500,000 x 1.0001)
    assert_eq!(surplus, 400_050);
    assert!(surplus < fee);

    let r = with_recipient(&mut fx).await;
    fx.p.r.env.send_ok(&[fx.sweep_ix(&r)], &[]).await;
    assert_eq!(fx.p.r.env.token_balance(r).await, surplus);
    let after: Backing = fx.backing().await;
    assert_eq!(after.fees_accrued, fee - surplus);
    assert!(math::is_backed(after.total_backing, after.anchor_supply, 1));
    assert!(!math::is_backed(after.total_backing - 1, after.anchor_supply, 1), "exactly");
    fx.p.r.env.send_expect_error(&[fx.sweep_ix(&r)], &[], AnchorTokenError::NothingToSweep).await;
}

/// Fees accrued before a default stay while holders are short: they are backing.
#[tokio::test]
async fn no_fee_leaves_while_holders_are_short() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    fx.p.r.env.send_ok(&[fx.mint_ix(FACE / 20, 1)], &[&holder]).await;
    let r = with_recipient(&mut fx).await;
    fx.default_and_refresh().await;
    let b: Backing = fx.backing().await;
    assert!(b.total_backing < b.anchor_supply && b.fees_accrued > 0);
    fx.p.r.env.send_expect_error(&[fx.sweep_ix(&r)], &[], AnchorTokenError::NothingToSweep).await;
    assert_eq!(fx.backing().await.fees_accrued, b.fees_accrued);
    assert_eq!(fx.p.r.env.token_balance(r).await, 0);
}

/// Refused without a recipient, into another account than the recipient, and while an entry
/// holding units is stale.
#[tokio::test]
async fn a_sweep_needs_the_recipient_and_fresh_backing() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    fx.p.r.env.send_ok(&[fx.mint_ix(FACE / 20, 1)], &[&holder]).await;
    let ix = fx.sweep_ix(&fx.holder_stable);
    fx.p.r.env.send_expect_error(&[ix], &[], AnchorTokenError::NoFeeRecipient).await;

    let r = with_recipient(&mut fx).await;
    let ix = fx.sweep_ix(&fx.holder_stable);
    fx.p.r.env.send_expect_error(&[ix], &[], AnchorTokenError::AccountMismatch).await;
    let currency = fx.p.r.currency;
    let ix = sweep_fees_ix(&r, &currency, &[]);
    fx.p.r.env.send_expect_error(&[ix], &[], AnchorTokenError::PoolAccountsMissing).await;

    fx.p.r.env.warp_seconds(PARAMS.max_entry_age_secs as i64 + 1).await;
    fx.p.r.env.send_expect_error(&[fx.sweep_ix(&r)], &[], AnchorTokenError::StaleBacking).await;
    fx.refresh_all(1).await;
    fx.p.r.env.send_ok(&[fx.sweep_ix(&r)], &[]).await;
    assert_eq!(fx.backing().await.fees_accrued, 0);
}

/// Only the admin names the recipient, and only a reserve-stablecoin account other than the
/// stable reserve; refusals leave the config as it was.
#[tokio::test]
async fn only_the_admin_sets_the_fee_recipient_to_a_reserve_stablecoin_account() {
    let mut fx = AnchorFixture::new().await;
    let admin = fx.p.r.admin.insecure_clone();
    let guardian = fx.p.r.guardian.insecure_clone();
    let stranger = fx.p.r.env.funded_keypair(1_000_000_000).await;
    let r = recipient(&mut fx).await;
    let before = fx.p.r.env.account(config_pda()).await;
    for kp in [&stranger, &guardian] {
        let ix = set_fee_recipient_ix(&kp.pubkey(), &r);
        fx.p.r.env.send_expect_error(&[ix], &[kp], GuardError::NotAdmin).await;
    }
    // another mint's account (the holder's anchor account), and the stable reserve itself
    let ix = set_fee_recipient_ix(&admin.pubkey(), &fx.holder_anchor);
    fx.p.r.env.send_expect_error(&[ix], &[&admin], ErrorCode::ConstraintTokenMint).await;
    let ix = set_fee_recipient_ix(&admin.pubkey(), &stable_reserve_pda());
    fx.p.r.env.send_expect_error(&[ix], &[&admin], AnchorTokenError::AccountMismatch).await;
    assert_eq!(fx.p.r.env.account(config_pda()).await, before, "refusals change nothing");

    fx.p.r.env.send_ok(&[set_fee_recipient_ix(&admin.pubkey(), &r)], &[&admin]).await;
    let other = recipient(&mut fx).await;
    fx.p.r.env.send_ok(&[set_fee_recipient_ix(&admin.pubkey(), &other)], &[&admin]).await;
    let config: AnchorConfig = fx.p.r.env.anchor_account(config_pda()).await;
    assert_eq!(config.fee_recipient, other);
}
