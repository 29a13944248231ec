use rwa_oracle::{errors::OracleError, state::OracleConfig};
use rwa_testkit::{oracle::*, prelude::*};

async fn published() -> OracleFixture {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.publish_ok(&id, bps(500), T0).await;
    fx
}

#[tokio::test]
async fn the_guardian_pauses_every_read_and_write_and_only_the_admin_unpauses() {
    let mut fx = published().await;
    let (guardian, admin, id) =
        (fx.guardian.insecure_clone(), fx.admin.insecure_clone(), fx.feed_id);
    fx.env.send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;
    assert!(fx.env.anchor_account::<OracleConfig>(config_pda()).await.paused);
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::FeedPaused).await;
    let (ix, p) = fx.submit(2, &id, bps(500), T0);
    let p = p.insecure_clone();
    fx.env.send_expect_error(&[ix], &[&p], OracleError::FeedPaused).await;

    fx.env
        .send_expect_error(
            &[set_paused_ix(&guardian.pubkey(), false)],
            &[&guardian],
            OracleError::Unauthorized,
        )
        .await;
    fx.env.send_ok(&[set_paused_ix(&admin.pubkey(), false)], &[&admin]).await;
    fx.env.send_ok(&[read_feed_ix(&id, 600)], &[]).await;
}

#[tokio::test]
async fn a_stranger_cannot_pause() {
    let mut fx = published().await;
    let stranger = fx.env.funded_keypair(1_000_000_000).await;
    fx.env
        .send_expect_error(
            &[set_paused_ix(&stranger.pubkey(), true)],
            &[&stranger],
            OracleError::Unauthorized,
        )
        .await;
}
