//! Previews against the programs: what a quote says a transaction pays is what it pays.
use rwa_math::Fixed;
use rwa_sdk::{preview::PreviewError, SdkError};
use rwa_testkit::{
    anchor_token::AnchorFixture,
    prelude::*,
    registry::FACE,
    reserve::{self, ReserveFixture},
};

#[tokio::test]
async fn an_exchange_mints_what_the_quote_said_at_the_rate_the_refresh_publishes() {
    let mut fx = AnchorFixture::new().await;
    fx.p.repay(FACE / 12).await;
    let (pool, holder) = (fx.p.pool, fx.holder.insecure_clone());
    let sdk = fx.p.r.env.sdk();
    let units = FACE / 100;

    let rate = sdk.preview_refresh(&pool).await.unwrap();
    let quote = sdk.quote_exchange(&pool, units).await.unwrap();
    assert_eq!(quote.price, rate.unit_price);
    let ixs = sdk.exchange_tx(&holder.pubkey(), &pool, units, quote.minted).await.unwrap();
    sdk.send(&ixs, &holder, &[]).await.unwrap();

    let minted = fx.p.r.env.token_balance(fx.holder_anchor).await;
    assert_eq!(minted, quote.minted, "the quote is what the exchange minted");
    let r = fx.p.pricing().await.rate;
    assert_eq!(r.unit_price, rate.unit_price.raw(), "the refresh published the previewed price");
    assert_eq!(r.computed_price, rate.computed_price.raw());
    assert_eq!(
        (r.pool_value, r.vault_cash, r.flows_value),
        (rate.value.value, rate.value.vault_cash, rate.value.flows_value)
    );
    let backing = fx.backing().await;
    assert_eq!(backing.entries[0].value, quote.value);
    // floor(floor(units x price) x 97%)
    let value = Fixed::from_raw(r.unit_price).mul_u64_floor(units).unwrap();
    assert_eq!((quote.value, quote.minted), (value, value * 9_700 / 10_000));
}

#[tokio::test]
async fn sales_to_the_reserve_pay_what_the_quotes_said_along_the_curve() {
    let mut fx = ReserveFixture::new().await;
    let (pool, holder) = (fx.pool(), fx.a.holder.insecure_clone());
    let sdk = fx.env().sdk();
    // two sales in one epoch: the second is quoted further up the curve
    for units in [20_000_000_000, 30_000_000_000] {
        let before = (fx.holder_stable().await, fx.book().await);
        let quote = sdk.quote_sell_to_reserve(&pool, units).await.unwrap();
        assert_eq!(quote.used_before, before.1.sale_used);
        let ixs =
            sdk.sell_to_reserve_tx(&holder.pubkey(), &pool, units, quote.sale.paid).await.unwrap();
        sdk.send(&ixs, &holder, &[]).await.unwrap();

        let paid = fx.holder_stable().await - before.0;
        assert_eq!(paid, quote.sale.paid, "the quote is what the reserve paid");
        let book = fx.book().await;
        assert_eq!(book.sale_used, quote.used_after);
        assert_eq!(book.insurance_cash - before.1.insurance_cash, quote.to_insurance);
        assert_eq!(book.cash, before.1.cash - quote.sale.paid - quote.to_insurance);
        let price = Fixed::from_raw(fx.a.p.pricing().await.rate.unit_price);
        assert_eq!(quote.price, price);
        assert_eq!(quote.sale.value, price.mul_u64_floor(units).unwrap());
    }
}

#[tokio::test]
async fn a_preview_refuses_what_the_program_refuses_by_the_same_error() {
    let mut fx = ReserveFixture::new().await;
    let (pool, holder) = (fx.pool(), fx.a.holder.insecure_clone());
    let sdk = fx.env().sdk();
    // twice the epoch's budget (a tenth of face) at a price near one
    let units = 2 * reserve::PARAMS.sale_budget;
    let refused = match sdk.quote_sell_to_reserve(&pool, units).await {
        Err(SdkError::Preview(PreviewError::Refused { error, detail })) => {
            assert!(detail.ends_with("of value)"), "{detail}");
            error
        }
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        (refused.program, refused.name.as_str()),
        ("buyback-reserve", "EpochBudgetExceeded")
    );
    let ixs = sdk.sell_to_reserve_tx(&holder.pubkey(), &pool, units, 0).await.unwrap();
    match sdk.send(&ixs, &holder, &[]).await {
        Err(SdkError::Transaction(f)) => assert_eq!(f.decoded, Some(refused)),
        other => panic!("expected the program's refusal, got {other:?}"),
    }
}
