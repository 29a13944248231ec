//! Smoke scenario in the real Solana runtime: an issuer packages twelve monthly receivables
//! into a pool, the pool PDA mints the fractional units (a PDA-signed CPI into SPL Token), and
//! the pool's remaining cash flows are valued with rwa-math at a B-grade risk.
//!
//! `cargo run -p rwa-testkit --example smoke`
use receivables::state::Pool;
use rwa_math::{value_cash_flows, CashFlow, Fixed, FlowStatus, RiskParams};
use rwa_testkit::{prelude::*, registry::*};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut r = Registry::new(TokenProgram::Classic).await;
    let issuer = r.issuer.pubkey();
    let pool_key = r.create_pool(0, pool_params(r.now, r.servicer)).await;
    let units = r.env.create_ata(TokenProgram::Classic, &unit_mint_pda(&pool_key), &issuer).await;
    r.env
        .send_ok(
            &[activate_pool_ix(&issuer, &pool_key, &units, TokenProgram::Classic)],
            &[&r.issuer],
        )
        .await;

    let pool: Pool = r.env.anchor_account(pool_key).await;
    let minted = r.env.token_balance(units).await;
    let risk = RiskParams {
        annual_rate: Fixed::from_bps_ceil(450 + 350).expect("rate"), // benchmark + B spread
        annual_pd: Fixed::from_bps_ceil(300).expect("pd"),
        lgd: Fixed::from_bps_ceil(4_500).expect("lgd"),
    };
    let flows = pool.schedule.iter().map(|cf| CashFlow {
        due_ts: cf.due_ts,
        amount: cf.amount - cf.paid,
        status: FlowStatus::Scheduled,
    });
    let valuation = value_cash_flows(flows, r.now, &risk, &[]).expect("valuation");
    let price = valuation.unit_price_floor(pool.units_minted).expect("unit price");

    println!("pool               {pool_key}");
    println!("status             {:?}", pool.status);
    println!("face value         {} base units", pool.face_value);
    println!(
        "cash flows         {} (undiscounted {})",
        pool.schedule.len(),
        valuation.undiscounted
    );
    println!("units minted       {minted} to {units}");
    println!(
        "fair value         {} base units (rate 8.00%, PD 3.00%, LGD 45.00%)",
        valuation.value
    );
    println!(
        "unit price         {} base units per 1e6 units",
        price.mul_u64_floor(1_000_000).expect("price")
    );
    assert_eq!(minted, pool.face_value, "every unit minted, none more");
    assert!(valuation.value < valuation.undiscounted);
}
