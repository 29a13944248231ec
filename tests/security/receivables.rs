//! The receivables flow: every instruction of receivables, each attacked the first time it is
//! sent: four pools (one repaid and redeemed, one defaulted and closed by its servicer, one
//! defaulted and closed by the admin after the grace period, one cancelled as a draft).
use receivables::{
    state::{ApprovalStatus, IssuerLimits, Pool},
    ScheduledPayment,
};
use rwa_testkit::{prelude::*, registry::*};

use crate::{
    harness::{hand_over, Attacker},
    table,
};
use rwa_testkit::authority::Receivables;

const TARGETS: &[&str] = &[
    "initialize",
    "approve_issuer",
    "approve_servicer",
    "add_currency",
    "set_issuer_limits",
    "create_pool",
    "activate_pool",
    "append_schedule",
    "cancel_pool",
    "replace_servicer",
    "record_repayment",
    "mark_late",
    "declare_default",
    "record_recovery",
    "write_down",
    "close_pool",
    "admin_close_pool",
    "redeem",
    "set_issuer_status",
    "set_servicer_status",
    "remove_currency",
    "set_paused",
    "propose_admin",
    "accept_admin",
    "set_guardian",
];

#[tokio::test]
async fn every_receivables_instruction_refuses_every_substituted_account() {
    let record = Attacker::install("receivables", TARGETS);
    // a Token-2022 currency, so that a dangerous mint in its place meets the extension checks
    let mut r = Registry::new(TokenProgram::Token2022).await;
    let admin = r.admin.insecure_clone();
    let issuer = r.issuer.insecure_clone();
    let servicer = r.servicer.pubkey();
    let limits = IssuerLimits { max_pools: 4, max_face_value: 10 * FACE };
    r.env
        .send_ok(&[set_issuer_limits_ix(&admin.pubkey(), &issuer.pubkey(), limits)], &[&admin])
        .await;

    let (good, good_units) = r.active_pool(0).await;
    let (bad, _) = r.active_pool(1).await;
    let (orphan, _) = r.active_pool(2).await;
    let draft = r.create_pool(3, pool_params(r.now)).await;
    let after = r.now + 400 * DAY;
    let more = vec![ScheduledPayment { due_ts: after, amount: 1 }];
    r.env.send_ok(&[append_schedule_ix(&issuer.pubkey(), &draft, more)], &[&issuer]).await;
    r.env.send_ok(&[cancel_pool_ix(&issuer.pubkey(), &draft)], &[&issuer]).await;

    // a second servicer takes over the orphan pool
    let servicer2 = r.env.funded_keypair(1_000_000_000).await;
    r.env.send_ok(&[approve_servicer_ix(&admin.pubkey(), &servicer2.pubkey())], &[&admin]).await;
    r.env
        .send_ok(&[replace_servicer_ix(&admin.pubkey(), &orphan, &servicer2.pubkey())], &[&admin])
        .await;

    for payment in pool_params(r.now).schedule {
        r.env.set_unix_timestamp(payment.due_ts).await;
        let ix = r.repay_ix(&good, payment.amount);
        r.env.send_ok(&[ix], &[&r.servicer]).await;
    }
    let s = r.servicer.insecure_clone();
    r.env.send_ok(&[mark_late_ix(&servicer, &bad)], &[&s]).await;
    r.env.send_ok(&[declare_default_ix(&servicer, &bad)], &[&s]).await;
    let recovery = r.recover_ix(&bad, FACE / 4);
    r.env.send_ok(&[recovery], &[&s]).await;
    let rest = r.env.anchor_account::<Pool>(bad).await.outstanding().expect("outstanding");
    r.env.send_ok(&[write_down_ix(&servicer, &bad, rest)], &[&s]).await;
    r.env.send_ok(&[close_pool_ix(&servicer, &bad, &issuer.pubkey())], &[&s]).await;

    let s2 = servicer2.pubkey();
    r.env.send_ok(&[mark_late_ix(&s2, &orphan)], &[&servicer2]).await;
    r.env.send_ok(&[declare_default_ix(&s2, &orphan)], &[&servicer2]).await;
    r.env.warp_seconds(receivables::state::DEFAULTED_CLOSE_GRACE_SECS).await;
    r.env
        .send_ok(&[admin_close_pool_ix(&admin.pubkey(), &orphan, &issuer.pubkey())], &[&admin])
        .await;

    let cash = r.env.create_ata(r.currency_program, &r.currency, &issuer.pubkey()).await;
    let redeem = r.redeem_ix(&issuer.pubkey(), &good, &good_units, &cash, FACE / 2);
    r.env.send_ok(&[redeem], &[&issuer]).await;

    let suspended = ApprovalStatus::Suspended;
    r.env.send_ok(&[set_servicer_status_ix(&admin.pubkey(), &s2, suspended)], &[&admin]).await;
    r.env
        .send_ok(&[set_issuer_status_ix(&admin.pubkey(), &issuer.pubkey(), suspended)], &[&admin])
        .await;
    r.env.send_ok(&[remove_currency_ix(&admin.pubkey(), &r.currency)], &[&admin]).await;
    let guardian = r.guardian.insecure_clone();
    r.env.send_ok(&[set_paused_ix(&guardian.pubkey(), true)], &[&guardian]).await;

    hand_over::<Receivables>(&mut r.env, &admin).await;

    Attacker::uninstall();
    table::check("receivables", "receivables", TARGETS, &record.borrow());
}
