//! Smoke scenario in the real Solana runtime: an issuer packages twelve monthly receivables
//! into a pool, the pool PDA mints the fractional units (a PDA-signed CPI into SPL Token), the
//! servicer collects three months, and the pool's remaining cash flows are valued with rwa-math
//! at a B-grade risk.
//!
//! `cargo run -p rwa-testkit --example smoke`
use receivables::state::Pool;
use rwa_math::{value_cash_flows, Fixed, RiskParams};
use rwa_testkit::{prelude::*, registry::*};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let (pool_key, units) = r.active_pool(0).await;
    let monthly = FACE / 12;
    let ix = r.repay_ix(&pool_key, 3 * monthly);
    r.env.send_ok(&[ix], &[&r.servicer]).await;

    let pool: Pool = r.env.anchor_account(pool_key).await;
    let minted = r.env.token_balance(units).await;
    let vault = r.env.token_balance(vault_pda(&pool_key)).await;
    let risk = RiskParams {
        annual_rate: Fixed::from_bps_ceil(450 + 350).expect("rate"), // benchmark + B spread
        annual_pd: Fixed::from_bps_ceil(300).expect("pd"),
        lgd: Fixed::from_bps_ceil(4_500).expect("lgd"),
    };
    let valuation = value_cash_flows(pool.valuation_flows(), r.now, &risk, &[]).expect("value");
    let price = valuation.unit_price_floor(pool.units_minted).expect("unit price");

    println!("pool               {pool_key}");
    println!("status             {:?}", pool.status);
    println!("face value         {} base units", pool.face_value);
    println!("units minted       {minted} to {units}");
    println!("repaid             {} base units (vault holds {vault})", pool.total_repaid);
    println!("still scheduled    {} base units", valuation.undiscounted);
    println!(
        "fair value         {} base units (rate 8.00%, PD 3.00%, LGD 45.00%)",
        valuation.value
    );
    println!(
        "unit price         {} base units per 1e6 units",
        price.mul_u64_floor(1_000_000).expect("price")
    );
    assert_eq!(minted, pool.face_value, "every unit minted, none more");
    assert_eq!(vault, 3 * monthly, "repayments sit in the pool vault");
    assert!(valuation.value < valuation.undiscounted);
}
