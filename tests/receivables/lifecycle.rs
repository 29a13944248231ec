//! Whole lifecycle of two pools with several holders: one repays in full, one defaults,
//! recovers part and is written down; every holder redeems. Currency is conserved: what left
//! the vaults is exactly what holders received, each payout is the pro-rata floor, and the
//! last holder empties the vault.
use receivables::state::{redemption_payout_floor, Pool, PoolStatus};
use rwa_testkit::{prelude::*, registry::*};

struct Holder {
    key: Keypair,
    units: Pubkey,
    cash: Pubkey,
}

async fn distribute(
    r: &mut Registry,
    pool: &Pubkey,
    issuer_units: &Pubkey,
    shares: &[u64],
) -> Vec<Holder> {
    let mut holders = vec![];
    for &share in shares {
        let key = r.env.funded_keypair(1_000_000_000).await;
        let units =
            r.env.create_ata(TokenProgram::Classic, &unit_mint_pda(pool), &key.pubkey()).await;
        let cash = r.env.create_ata(r.currency_program, &r.currency, &key.pubkey()).await;
        let issuer = r.issuer.insecure_clone();
        r.env.transfer_tokens(issuer_units, &units, &issuer, share).await;
        holders.push(Holder { key, units, cash });
    }
    holders
}

/// Every holder redeems everything; checks each payout and that the vault ends empty.
async fn redeem_all(r: &mut Registry, pool: &Pubkey, holders: &[Holder]) -> u64 {
    let vault_before = r.env.token_balance(vault_pda(pool)).await;
    let mut paid = 0;
    for h in holders {
        let units = r.env.token_balance(h.units).await;
        let vault = r.env.token_balance(vault_pda(pool)).await;
        let supply = r.env.mint_supply(unit_mint_pda(pool)).await;
        let expected = redemption_payout_floor(vault, supply, units).unwrap();
        let ix = r.redeem_ix(&h.key.pubkey(), pool, &h.units, &h.cash, units);
        r.env.send_ok(&[ix], &[&h.key]).await;
        let got = r.env.token_balance(h.cash).await;
        assert_eq!(got, expected, "units burned x pro-rata price = currency paid out");
        paid += got;
    }
    assert_eq!(r.env.mint_supply(unit_mint_pda(pool)).await, 0);
    assert_eq!(r.env.token_balance(vault_pda(pool)).await, 0, "the last holder takes the rest");
    assert_eq!(paid, vault_before);
    paid
}

#[tokio::test]
async fn two_pools_from_activation_to_the_last_redemption_in_spl_token() {
    two_pools_from_activation_to_the_last_redemption(TokenProgram::Classic).await;
}

/// The same lifecycle with a Token-2022 currency: every repayment, recovery and redemption
/// goes through the real Token-2022 program.
#[tokio::test]
async fn two_pools_from_activation_to_the_last_redemption_in_token_2022() {
    two_pools_from_activation_to_the_last_redemption(TokenProgram::Token2022).await;
}

async fn two_pools_from_activation_to_the_last_redemption(currency: TokenProgram) {
    let mut r = Registry::new(currency).await;
    let servicer = r.servicer.pubkey();
    let issuer = r.issuer.pubkey();
    let (good, good_units) = r.active_pool(0).await;
    let (bad, bad_units) = r.active_pool(1).await;
    let good_holders =
        distribute(&mut r, &good, &good_units, &[FACE / 3, FACE / 7, FACE - FACE / 3 - FACE / 7])
            .await;
    let bad_holders = distribute(
        &mut r,
        &bad,
        &bad_units,
        &[FACE / 2, FACE / 5 + 1, FACE - FACE / 2 - FACE / 5 - 1],
    )
    .await;
    let schedule = pool_params(r.now).schedule;

    // month by month the good pool is repaid; the bad one pays twice, then stops
    for (m, payment) in schedule.iter().enumerate() {
        r.env.set_unix_timestamp(payment.due_ts).await;
        let ix = r.repay_ix(&good, payment.amount);
        r.env.send_ok(&[ix], &[&r.servicer]).await;
        if m < 2 {
            let ix = r.repay_ix(&bad, payment.amount);
            r.env.send_ok(&[ix], &[&r.servicer]).await;
        }
    }
    let g: Pool = r.env.anchor_account(good).await;
    assert_eq!(g.status, PoolStatus::Matured);
    assert_eq!(g.total_repaid, r.env.token_balance(vault_pda(&good)).await);

    r.env.send_ok(&[mark_late_ix(&servicer, &bad)], &[&r.servicer]).await;
    r.env.send_ok(&[declare_default_ix(&servicer, &bad)], &[&r.servicer]).await;
    let recovery = r.recover_ix(&bad, 333_333_333_333);
    r.env.send_ok(&[recovery], &[&r.servicer]).await;
    let b: Pool = r.env.anchor_account(bad).await;
    assert_eq!(b.total_recovered, 333_333_333_333);
    let rest = b.outstanding().unwrap();
    r.env.send_ok(&[write_down_ix(&servicer, &bad, rest)], &[&r.servicer]).await;
    r.env.send_ok(&[close_pool_ix(&servicer, &bad, &issuer)], &[&r.servicer]).await;

    let good_paid = redeem_all(&mut r, &good, &good_holders).await;
    let bad_paid = redeem_all(&mut r, &bad, &bad_holders).await;
    let total: u64 = schedule.iter().map(|p| p.amount).sum();
    assert_eq!(good_paid, total);
    assert_eq!(bad_paid, 2 * (FACE / 12) + 333_333_333_333);
    assert_eq!(r.env.token_balance(r.servicer_funds).await, SERVICER_FUNDS - good_paid - bad_paid);
}
