use anchor_lang::error::ErrorCode;
use receivables::{
    errors::ReceivablesError,
    state::{redemption_payout_floor, Pool},
};
use rwa_testkit::{prelude::*, registry::*};

/// A matured pool whose issuer holds every unit; the vault holds the whole schedule.
async fn matured() -> (Registry, Pubkey, Pubkey) {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, units) = r.active_pool(0).await;
    let total: u64 = pool_params(r.now).schedule.iter().map(|p| p.amount).sum();
    let ix = r.repay_ix(&pool, total);
    r.env.send_ok(&[ix], &[&r.servicer]).await;
    (r, pool, units)
}

async fn holder_with(
    r: &mut Registry,
    pool: &Pubkey,
    from: &Pubkey,
    units: u64,
) -> (Keypair, Pubkey, Pubkey) {
    let holder = r.env.funded_keypair(1_000_000_000).await;
    let unit_account =
        r.env.create_ata(TokenProgram::Classic, &unit_mint_pda(pool), &holder.pubkey()).await;
    let cash = r.env.create_ata(TokenProgram::Classic, &r.currency, &holder.pubkey()).await;
    let issuer = r.issuer.insecure_clone();
    r.env.transfer_tokens(from, &unit_account, &issuer, units).await;
    (holder, unit_account, cash)
}

#[tokio::test]
async fn a_holder_burns_units_for_a_pro_rata_share_of_the_vault_rounded_down() {
    let (mut r, pool, issuer_units) = matured().await;
    let (holder, units, cash) = holder_with(&mut r, &pool, &issuer_units, FACE / 3).await;
    let vault = r.env.token_balance(vault_pda(&pool)).await;
    let supply = r.env.mint_supply(unit_mint_pda(&pool)).await;
    let expected = redemption_payout_floor(vault, supply, FACE / 3).unwrap();
    assert_eq!(expected as u128, vault as u128 * (FACE / 3) as u128 / supply as u128);

    let ix = r.redeem_ix(&holder.pubkey(), &pool, &units, &cash, FACE / 3);
    r.env.send_ok(&[ix], &[&holder]).await;
    assert_eq!(r.env.token_balance(cash).await, expected);
    assert_eq!(r.env.token_balance(units).await, 0);
    assert_eq!(r.env.mint_supply(unit_mint_pda(&pool)).await, supply - FACE / 3);
    assert_eq!(r.env.token_balance(vault_pda(&pool)).await, vault - expected);
}

#[tokio::test]
async fn redemption_waits_for_maturity_or_closure() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, units) = r.active_pool(0).await;
    let issuer = r.issuer.insecure_clone();
    let cash = r.env.create_ata(TokenProgram::Classic, &r.currency, &issuer.pubkey()).await;
    let ix = r.redeem_ix(&issuer.pubkey(), &pool, &units, &cash, 1);
    r.env.send_expect_error(&[ix], &[&issuer], ReceivablesError::InvalidPoolStatus).await;
}

#[tokio::test]
async fn zero_or_more_than_the_supply_is_refused() {
    let (mut r, pool, units) = matured().await;
    let issuer = r.issuer.insecure_clone();
    let cash = r.env.create_ata(TokenProgram::Classic, &r.currency, &issuer.pubkey()).await;
    for bad in [0, FACE + 1] {
        let ix = r.redeem_ix(&issuer.pubkey(), &pool, &units, &cash, bad);
        r.env.send_expect_error(&[ix], &[&issuer], ReceivablesError::InvalidRedeemAmount).await;
    }
}

#[tokio::test]
async fn dust_that_would_pay_nothing_is_refused_rather_than_burned() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool, units) = r.active_pool(0).await;
    let ix = r.repay_ix(&pool, 1_000);
    r.env.send_ok(&[ix], &[&r.servicer]).await;
    r.env.set_unix_timestamp(r.now + 31 * DAY).await;
    let servicer = r.servicer.pubkey();
    r.env.send_ok(&[mark_late_ix(&servicer, &pool)], &[&r.servicer]).await;
    let state: Pool = r.env.anchor_account(pool).await;
    let rest = state.outstanding().unwrap();
    r.env.send_ok(&[write_down_ix(&servicer, &pool, rest)], &[&r.servicer]).await; // matures

    let issuer = r.issuer.insecure_clone();
    let cash = r.env.create_ata(TokenProgram::Classic, &r.currency, &issuer.pubkey()).await;
    // 1,000 base units in the vault for 1e12 units: 1e9 units are worth 1
    let ix = r.redeem_ix(&issuer.pubkey(), &pool, &units, &cash, 999_999_999);
    r.env.send_expect_error(&[ix], &[&issuer], ReceivablesError::RedemptionRoundsToZero).await;
    let ix = r.redeem_ix(&issuer.pubkey(), &pool, &units, &cash, 1_000_000_000);
    r.env.send_ok(&[ix], &[&issuer]).await;
    assert_eq!(r.env.token_balance(cash).await, 1);
}

#[tokio::test]
async fn units_of_another_holder_cannot_be_redeemed() {
    let (mut r, pool, issuer_units) = matured().await;
    let thief = r.env.funded_keypair(1_000_000_000).await;
    let cash = r.env.create_ata(TokenProgram::Classic, &r.currency, &thief.pubkey()).await;
    let ix = r.redeem_ix(&thief.pubkey(), &pool, &issuer_units, &cash, 1_000_000);
    r.env.send_expect_error(&[ix], &[&thief], ErrorCode::ConstraintTokenOwner).await;
}
