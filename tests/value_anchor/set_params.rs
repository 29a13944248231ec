use anchor_lang::error::ErrorCode;
use rwa_testkit::{anchor_token::*, prelude::*};
use value_anchor::{
    errors::AnchorTokenError,
    state::{AnchorConfig, AnchorParams},
};

#[tokio::test]
async fn only_the_admin_sets_params_and_only_guardian_or_admin_pause() {
    let mut fx = AnchorFixture::new().await;
    let (admin, guardian) = (fx.p.r.admin.insecure_clone(), fx.p.r.guardian.insecure_clone());
    let stranger = fx.p.r.env.funded_keypair(1_000_000_000).await;
    let new = AnchorParams { fee_in_bps: 1, ..PARAMS };
    let ix = resign(set_params_ix(&admin.pubkey(), new), &admin.pubkey(), &stranger.pubkey());
    fx.p.r.env.send_expect_error(&[ix], &[&stranger], ErrorCode::ConstraintHasOne).await;
    fx.p.r.env.send_ok(&[set_params_ix(&admin.pubkey(), new)], &[&admin]).await;
    let config: AnchorConfig = fx.p.r.env.anchor_account(config_pda()).await;
    assert_eq!(config.params, new);

    let ix = set_paused_ix(&stranger.pubkey(), true);
    fx.p.r.env.send_expect_error(&[ix], &[&stranger], AnchorTokenError::Unauthorized).await;
    fx.p.r.env.send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    let ix = set_paused_ix(&guardian.pubkey(), false);
    fx.p.r.env.send_expect_error(&[ix], &[&guardian], AnchorTokenError::Unauthorized).await;
    fx.p.r.env.send_ok(&[set_paused_ix(&admin.pubkey(), false)], &[&admin]).await;
}
