//! Composed transactions: the compute budget first, the refreshes an instruction needs, then
//! the instruction, with every account derived from the programs' state.
use buyback_reserve::{errors::ReserveError, state::PositionKind};
use rwa_sdk::{compose::COMPUTE_BUDGET_PROGRAM, SdkError};
use rwa_testkit::{
    anchor_token::AnchorFixture,
    prelude::*,
    pricer::INPUTS_BPS,
    registry::FACE,
    reserve::{self, ReserveFixture},
};

#[tokio::test]
async fn an_exchange_is_compute_budget_refresh_and_exchange_with_the_fixtures_accounts() {
    let fx = AnchorFixture::new().await;
    let sdk = fx.p.r.env.sdk();
    let (pool, holder) = (fx.p.pool, fx.holder.pubkey());
    let ixs = sdk.exchange_tx(&holder, &pool, 1_000, 7).await.unwrap();
    assert_eq!(ixs.len(), 3);
    assert_eq!(ixs[0].program_id, COMPUTE_BUDGET_PROGRAM);
    // the accounts the SDK read from the chain are the ones the fixture wrote by hand
    assert_eq!(ixs[1], fx.p.refresh_ix());
    assert_eq!(ixs[2], fx.exchange_accounts().ix(1_000, 7));
    assert_eq!(sdk.redeem_for_stable(&holder, 5, 4).await.unwrap(), fx.redeem_ix(5, 4));
    assert_eq!(sdk.mint_with_stable(&holder, 5, 4).await.unwrap(), fx.mint_ix(5, 4));
}

#[tokio::test]
async fn a_sale_is_compute_budget_refresh_and_sale_with_the_fixtures_accounts() {
    let mut fx = ReserveFixture::new().await;
    let sdk = fx.env().sdk();
    let (pool, holder) = (fx.pool(), fx.a.holder.pubkey());
    let ixs = sdk.sell_to_reserve_tx(&holder, &pool, 1_000, 7).await.unwrap();
    assert_eq!(ixs.len(), 3);
    assert_eq!(ixs[0].program_id, COMPUTE_BUDGET_PROGRAM);
    assert_eq!(&ixs[1..], &fx.refresh_and_sell_ixs(1_000, 7));
    assert_eq!(sdk.cover_shortfall_tx().await.unwrap().last(), Some(&fx.cover_ix()));
}

#[tokio::test]
async fn a_deposit_marks_every_holding_in_its_own_transaction() {
    let mut fx = ReserveFixture::new().await;
    let ixs = fx.refresh_and_sell_ixs(FACE / 100, 0);
    fx.as_holder(&ixs).await;
    // past the marks' age: a deposit valued on the stale holding is refused
    fx.a.p.advance(1_000, INPUTS_BPS).await;
    let depositor = fx.actor(reserve::DEPOSIT).await;
    let plain = fx.deposit_ix(&depositor, reserve::DEPOSIT);
    let key = depositor.key.insecure_clone();
    fx.env().send_expect_error(&[plain], &[&key], ReserveError::StaleHolding).await;

    let sdk = fx.env().sdk();
    let ixs = sdk.deposit_tx(&key.pubkey(), reserve::DEPOSIT, 0).await.unwrap();
    // compute budget, refresh_rate + mark_holding of the one holding, deposit
    assert_eq!(ixs.len(), 4);
    assert_eq!(&ixs[1..3], &fx.mark_ixs());
    // the listed pool only: value-anchor's pools are read while the reserve holds anchor tokens
    let valuation = reserve::Valuation { listed: vec![fx.pool()], accepted: vec![] };
    let mint = fx.stable_mint();
    let deposit = reserve::deposit_ix(
        &key.pubkey(),
        &depositor.stable,
        &mint,
        &valuation,
        reserve::DEPOSIT,
        0,
    );
    assert_eq!(ixs[3], deposit);
    sdk.send(&ixs, &key, &[]).await.unwrap();
    let position = sdk.position(PositionKind::Deposit, &key.pubkey()).await.unwrap();
    assert!(position.is_some_and(|p| p.shares > 0));
    assert_eq!(fx.stable_of(&depositor).await, 0);
}

#[tokio::test]
async fn a_failed_exchange_comes_back_with_the_programs_error_by_name() {
    let fx = AnchorFixture::new().await;
    let sdk = fx.p.r.env.sdk();
    let (pool, holder) = (fx.p.pool, fx.holder.insecure_clone());
    let quote = sdk.quote_exchange(&pool, FACE / 100).await.unwrap();
    let ixs = sdk.exchange_tx(&holder.pubkey(), &pool, FACE / 100, quote.minted + 1).await.unwrap();
    match sdk.send(&ixs, &holder, &[]).await {
        Err(SdkError::Transaction(f)) => {
            let d = f.decoded.clone().expect("decoded");
            assert_eq!(
                (d.program, d.name.as_str(), d.code),
                ("value-anchor", "SlippageExceeded", 6610)
            );
            assert!(f.to_string().contains("SlippageExceeded"), "{f}");
        }
        other => panic!("expected SlippageExceeded, got {other:?}"),
    }
}

/// The SDK reads an account as a program's only if that program owns it: the same bytes under
/// another owner (a forged pool) are refused by name, not shown.
#[tokio::test]
async fn an_account_with_a_programs_bytes_but_another_owner_is_refused() {
    let mut fx = ReserveFixture::new().await;
    let pool = fx.pool();
    let mut forged = fx.env().account(pool).await.expect("pool");
    forged.owner = Pubkey::new_unique();
    let address = Pubkey::new_unique();
    fx.env().set_account(address, forged);
    let sdk = fx.env().sdk();
    assert!(sdk.pool(&pool).await.is_ok());
    match sdk.pool(&address).await {
        Err(SdkError::AccountDecode { reason, .. }) => {
            assert!(reason.contains("owned by"), "{reason}")
        }
        Err(other) => panic!("refused for another reason: {other}"),
        Ok(_) => panic!("a forged pool was read"),
    }
}
