use dcf_pricer::{errors::PricerError, state::PricerConfig};
use rwa_testkit::{prelude::*, pricer::*};

#[tokio::test]
async fn the_guardian_pauses_and_only_the_admin_unpauses() {
    let mut fx = PricedPool::new().await;
    let (admin, guardian) = (fx.r.admin.insecure_clone(), fx.r.guardian.insecure_clone());
    let stranger = fx.r.env.funded_keypair(1_000_000_000).await;
    fx.r.env
        .send_expect_error(
            &[set_paused_ix(&stranger.pubkey(), true)],
            &[&stranger],
            PricerError::Unauthorized,
        )
        .await;
    fx.r.env.send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    assert!(fx.r.env.anchor_account::<PricerConfig>(config_pda()).await.paused);
    fx.r.env
        .send_expect_error(
            &[set_paused_ix(&guardian.pubkey(), false)],
            &[&guardian],
            PricerError::Unauthorized,
        )
        .await;
    fx.r.env.send_ok(&[set_paused_ix(&admin.pubkey(), false)], &[&admin]).await;
    fx.refresh().await;
}
