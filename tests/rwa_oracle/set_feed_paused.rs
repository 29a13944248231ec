use rwa_oracle::{errors::OracleError, state::Feed};
use rwa_testkit::{oracle::*, prelude::*};

#[tokio::test]
async fn a_paused_feed_refuses_reads_and_writes_until_the_admin_unpauses_it() {
    let mut fx = OracleFixture::new().await;
    let id = fx.feed_id;
    fx.publish_ok(&id, bps(500), T0).await;
    let (guardian, admin, id) =
        (fx.guardian.insecure_clone(), fx.admin.insecure_clone(), fx.feed_id);

    fx.env.send_ok(&[set_feed_paused_ix(&guardian.pubkey(), &id, true)], &[&guardian]).await;
    assert!(fx.env.anchor_account::<Feed>(feed_pda(&id)).await.paused);
    fx.env.send_expect_error(&[read_feed_ix(&id, 600)], &[], OracleError::FeedPaused).await;
    let (ix, p) = fx.submit(2, &id, bps(500), T0);
    let p = p.insecure_clone();
    fx.env.send_expect_error(&[ix], &[&p], OracleError::FeedPaused).await;

    fx.env
        .send_expect_error(
            &[set_feed_paused_ix(&guardian.pubkey(), &id, false)],
            &[&guardian],
            OracleError::Unauthorized,
        )
        .await;
    fx.env.send_ok(&[set_feed_paused_ix(&admin.pubkey(), &id, false)], &[&admin]).await;
    fx.env.send_ok(&[read_feed_ix(&id, 600)], &[]).await;
}
