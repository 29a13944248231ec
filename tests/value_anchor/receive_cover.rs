//! `receive_cover`: capital in, up to the shortfall below supply x (1 + overcollateral), as the
//! buyback reserve's insurance pays it after a loss.
use rwa_testkit::{anchor_token::*, prelude::*, registry::FACE, spl_token};
use value_anchor::{errors::AnchorTokenError, math, state::Backing};

/// Units and stable in, then the pool defaults and rate and backing are refreshed with it:
/// the backing is under water.
async fn under_water() -> AnchorFixture {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    fx.p.r.env.send_ok(&[fx.mint_ix(FACE / 20, 1)], &[&holder]).await;
    fx.default_and_refresh().await;
    let b: Backing = fx.backing().await;
    assert!(b.total_backing < b.anchor_supply, "precondition: under water");
    fx
}

/// A funded insurer with a reserve-stablecoin account holding `stable`.
async fn insurer(fx: &mut AnchorFixture, stable: u64) -> (Keypair, Pubkey) {
    let kp = fx.p.r.env.funded_keypair(1_000_000_000).await;
    let currency = fx.p.r.currency;
    let account = fx.p.r.env.create_ata(TokenProgram::Classic, &currency, &kp.pubkey()).await;
    if stable > 0 {
        let admin = fx.p.r.admin.insecure_clone();
        fx.p.r.env.mint_tokens(TokenProgram::Classic, &currency, &account, &admin, stable).await;
    }
    (kp, account)
}

fn shortfall(b: &Backing) -> u64 {
    math::shortfall_ceil(b.total_backing, b.anchor_supply, PARAMS.overcollateral_bps).unwrap()
}

/// After a default, covers take the backing exactly to `ceil(supply x 1.01)`: a partial offer
/// moves what is offered, a larger one only what is still short, and then a redemption pays
/// par (less the fee). Covers are not paused with minting.
#[tokio::test]
async fn covers_restore_the_backing_to_supply_plus_overcollateral_and_redemptions_pay_par() {
    let mut fx = under_water().await;
    let b: Backing = fx.backing().await;
    let need = shortfall(&b);
    assert_eq!(
        need as u128,
        (b.anchor_supply as u128 * 10_100).div_ceil(10_000) - b.total_backing as u128
    );
    let (ins, ins_stable) = insurer(&mut fx, 2 * need).await;
    let guardian = fx.p.r.guardian.insecure_clone();
    fx.p.r.env.send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;

    // a first cover below the need moves exactly what is offered
    let first = need / 3;
    fx.p.r.env.send_ok(&[fx.cover_ix(&ins.pubkey(), &ins_stable, first)], &[&ins]).await;
    let mid: Backing = fx.backing().await;
    assert_eq!(mid.stable_reserve, b.stable_reserve + first);
    assert_eq!(mid.total_backing, b.total_backing + first);
    assert_eq!(shortfall(&mid), need - first);

    // an offer of more than is short moves only what is short
    fx.p.r.env.send_ok(&[fx.cover_ix(&ins.pubkey(), &ins_stable, 2 * need)], &[&ins]).await;
    assert_eq!(fx.p.r.env.token_balance(ins_stable).await, 2 * need - need, "paid the need");
    let after: Backing = fx.backing().await;
    assert_eq!(after.stable_reserve, fx.p.r.env.token_balance(stable_reserve_pda()).await);
    assert_eq!(after.total_backing, b.total_backing + need);
    assert_eq!(after.total_backing as u128, (b.anchor_supply as u128 * 10_100).div_ceil(10_000));
    assert!(math::is_backed(after.total_backing, after.anchor_supply, PARAMS.overcollateral_bps));
    assert_eq!(after.anchor_supply, b.anchor_supply, "a cover mints nothing");

    // nothing is short any more
    let ix = fx.cover_ix(&ins.pubkey(), &ins_stable, 1);
    fx.p.r.env.send_expect_error(&[ix], &[&ins], AnchorTokenError::NoShortfall).await;

    // a redemption now pays par less the fee
    let holder = fx.holder.insecure_clone();
    let amount = after.anchor_supply / 10;
    let stable_before = fx.p.r.env.token_balance(fx.holder_stable).await;
    fx.p.r.env.send_ok(&[fx.redeem_ix(amount, 1)], &[&holder]).await;
    let paid = fx.p.r.env.token_balance(fx.holder_stable).await - stable_before;
    assert_eq!(paid, amount - math::fee_ceil(amount, PARAMS.fee_out_bps).unwrap());
}

/// A fully backed token needs no cover; a zero offer is refused.
#[tokio::test]
async fn a_fully_backed_token_refuses_cover() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    let (ins, ins_stable) = insurer(&mut fx, 1_000_000).await;
    let ix = fx.cover_ix(&ins.pubkey(), &ins_stable, 1_000_000);
    fx.p.r.env.send_expect_error(&[ix], &[&ins], AnchorTokenError::NoShortfall).await;
    let ix = fx.cover_ix(&ins.pubkey(), &ins_stable, 0);
    fx.p.r.env.send_expect_error(&[ix], &[&ins], AnchorTokenError::InvalidAmount).await;
    assert_eq!(fx.p.r.env.token_balance(ins_stable).await, 1_000_000);
}

/// The shortfall is read from the entries, so they must be fresh: an entry whose pool changed
/// since it was priced (a default not yet refreshed) or priced too long ago refuses the cover
/// (`StaleBacking`), as does a missing pool account; refreshed, the cover goes through.
#[tokio::test]
async fn a_cover_needs_every_entry_up_to_date() {
    let mut fx = AnchorFixture::new().await;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(FACE / 10, 1), &[&holder]).await;
    fx.p.at_first_due().await;
    fx.p.r.env.send_ok(&[fx.p.refresh_ix(), refresh_backing_ix(&fx.p.pool)], &[]).await;
    // the pool defaults; its entry still carries the price from before
    fx.p.declare_default().await;
    let (ins, ins_stable) = insurer(&mut fx, FACE).await;
    let ix = fx.cover_ix(&ins.pubkey(), &ins_stable, FACE);
    fx.p.r.env.send_expect_error(&[ix], &[&ins], AnchorTokenError::StaleBacking).await;
    let currency = fx.p.r.currency;
    let ix = receive_cover_ix(&ins.pubkey(), &ins_stable, &currency, &[], FACE);
    fx.p.r.env.send_expect_error(&[ix], &[&ins], AnchorTokenError::PoolAccountsMissing).await;

    // refreshed, the loss shows and the cover goes through
    let ixs = [fx.p.refresh_ix(), refresh_backing_ix(&fx.p.pool)];
    fx.p.r.env.send_ok(&ixs, &[]).await;
    let need = shortfall(&fx.backing().await);
    assert!(need > 0);
    fx.p.r.env.send_ok(&[fx.cover_ix(&ins.pubkey(), &ins_stable, need / 2)], &[&ins]).await;

    // priced longer ago than max_entry_age_secs: stale again
    fx.p.r.env.warp_seconds(PARAMS.max_entry_age_secs as i64 + 1).await;
    let ix = fx.cover_ix(&ins.pubkey(), &ins_stable, FACE);
    fx.p.r.env.send_expect_error(&[ix], &[&ins], AnchorTokenError::StaleBacking).await;
}

/// The payer pays from its own stable account: without the tokens the token program refuses
/// the transfer, and another's account is refused by owner; nothing changes either way.
#[tokio::test]
async fn a_payer_without_the_tokens_covers_nothing() {
    let mut fx = under_water().await;
    let before = fx.p.r.env.account(backing_pda()).await;
    let (ins, ins_stable) = insurer(&mut fx, 0).await;
    let ix = fx.cover_ix(&ins.pubkey(), &ins_stable, 1_000_000);
    let f = fx.p.r.env.send_expect_failure(&[ix], &[&ins]).await;
    assert_eq!(rwa_testkit::failing_program(&f.logs), Some(spl_token::ID), "{:?}", f.logs);
    // the holder's stable account, signed by the insurer
    let ix = fx.cover_ix(&ins.pubkey(), &fx.holder_stable, 1_000_000);
    fx.p.r
        .env
        .send_expect_error(&[ix], &[&ins], anchor_lang::error::ErrorCode::ConstraintTokenOwner)
        .await;
    assert_eq!(fx.p.r.env.account(backing_pda()).await, before, "nothing changed");
    assert_eq!(fx.p.r.env.token_balance(ins_stable).await, 0);
}
