//! Smoke scenario in the real Solana runtime (all five programs natively, the real SPL Token):
//! an issuer packages twelve monthly receivables into a pool and the pool PDA mints its units;
//! three oracle publishers feed the benchmark rate and the grade's spread, PD and LGD; the
//! servicer collects three months; the pricer values the pool on chain (vault cash plus the
//! discounted, risk-adjusted remaining flows); a holder exchanges units for the asset-backed
//! anchor token at that price in one transaction, and the public backing shows what stands
//! behind every token.
//!
//! `cargo run -p rwa-testkit --example smoke`
use rwa_math::Fixed;
use rwa_testkit::{anchor_token::*, registry::*};
use value_anchor::state::Backing;

fn per_million(raw: u128) -> u64 {
    Fixed::from_raw(raw).mul_u64_floor(1_000_000).expect("price")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut fx = AnchorFixture::new().await;
    let pool_key = fx.p.pool;
    fx.p.repay(3 * (FACE / 12)).await;

    let units = FACE / 10;
    let holder = fx.holder.insecure_clone();
    fx.p.r.env.send_ok(&fx.exchange_ixs(units, 1), &[&holder]).await;

    let pool: receivables::state::Pool = fx.p.r.env.anchor_account(pool_key).await;
    let pricing = fx.p.pricing().await;
    let backing: Backing = fx.backing().await;
    let minted = fx.p.r.env.token_balance(fx.holder_anchor).await;
    let r = &pricing.rate;

    println!("pool               {pool_key}");
    println!("status             {:?}", pool.status);
    println!(
        "face value         {} base units, {} units minted",
        pool.face_value, pool.units_minted
    );
    println!("repaid             {} base units (in the vault)", pool.total_repaid);
    println!(
        "inputs             benchmark 4.50%, spread 3.50%, PD 3.00%, LGD 45.00% (+ confidence)"
    );
    println!(
        "pool value         {} = vault {} + flows {}",
        r.pool_value, r.vault_cash, r.flows_value
    );
    println!(
        "unit price         {} base units per 1e6 units (on chain, dcf-pricer)",
        per_million(r.unit_price)
    );
    println!("exchanged          {units} units -> {minted} anchor tokens (3% haircut)");
    println!(
        "backing            {} behind {} anchor tokens ({}.{:02}%)",
        backing.total_backing,
        backing.anchor_supply,
        backing.ratio_bps / 100,
        backing.ratio_bps % 100
    );
    let value = Fixed::from_raw(r.unit_price).mul_u64_floor(units).expect("value");
    assert_eq!(minted, value * 9_700 / 10_000, "units x fresh price x (1 - haircut), rounded down");
    assert!(r.vault_cash == 3 * (FACE / 12) && r.pool_value > r.vault_cash);
    assert!(backing.total_backing > backing.anchor_supply, "every token is over-backed");
}
