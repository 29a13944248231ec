//! The TypeScript client's fixtures (`app/test/fixtures/*.json`), written from the Rust side:
//! instructions as the testkit builders make them, PDAs of every seeds family, raw account
//! bytes the programs produced in a reproducible run, and valuation previews from rwa-math and
//! the programs' own math. `app/test/*.test.ts` (node's test runner) rebuilds, derives and
//! decodes the same with the generated client and compares.
//!
//! Checked in and proven current: this test regenerates them and fails on any difference.
//! After a change to a program, builder or the math:
//!
//! ```sh
//! RWA_WRITE_FIXTURES=1 cargo test -p rwa-integration-tests --test fixtures_ts --locked
//! ```
use anchor_lang::{prelude::Pubkey, AccountDeserialize};
use buyback_reserve::state::{PositionKind, ReserveBook};
use dcf_pricer::state::PoolPricing;
use rwa_math::{ExitCurve, Fixed};
use rwa_testkit::{
    anchor_token as va, oracle, pricer, registry, reproducible_fixtures, reserve,
    solana_sdk::instruction::Instruction, TestEnv,
};
use serde_json::{json, Value};
use std::path::PathBuf;
use value_anchor::state::Backing;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 64-bit and wider integers as decimal strings (JSON numbers lose precision past 2^53).
fn n(v: impl ToString) -> Value {
    Value::String(v.to_string())
}

fn key(k: &Pubkey) -> Value {
    Value::String(k.to_string())
}

fn ix_json(name: &str, program: &str, ix: &Instruction, args: Value) -> Value {
    json!({
        "name": name,
        "program": program,
        "programId": ix.program_id.to_string(),
        "accounts": ix.accounts.iter().map(|m| json!({
            "address": m.pubkey.to_string(),
            "signer": m.is_signer,
            "writable": m.is_writable,
        })).collect::<Vec<_>>(),
        "data": hex(&ix.data),
        "args": args,
    })
}

/// A seed of a PDA, in the form the TS test encodes it.
fn seed_utf8(s: &[u8]) -> Value {
    json!({ "utf8": std::str::from_utf8(s).unwrap() })
}

fn pda_json(
    program: &str,
    family: &str,
    program_id: &Pubkey,
    seeds: Vec<Value>,
    addr: Pubkey,
) -> Value {
    json!({ "program": program, "family": family, "programId": program_id.to_string(),
            "seeds": seeds, "address": addr.to_string() })
}

async fn account_json(
    env: &mut TestEnv,
    program: &str,
    account: &str,
    address: Pubkey,
    fields: Value,
) -> Value {
    let a = env.account(address).await.expect("account exists");
    json!({
        "program": program,
        "account": account,
        "address": address.to_string(),
        "owner": a.owner.to_string(),
        "data": hex(&a.data),
        "fields": fields,
    })
}

async fn anchor<T: AccountDeserialize>(env: &mut TestEnv, address: Pubkey) -> T {
    env.anchor_account(address).await
}

#[tokio::test]
async fn typescript_fixtures_are_current() {
    reproducible_fixtures();
    let mut fx = reserve::ReserveFixture::new().await;
    let pool = fx.pool();
    let stable = fx.stable_mint();
    let holder = fx.a.holder.insecure_clone();
    let holder_key = holder_pubkey(&holder);
    let issuer = fx.a.p.r.issuer.insecure_clone();
    let issuer_key = holder_pubkey(&issuer);
    let servicer_key = holder_pubkey(&fx.a.p.r.servicer);
    let depositor = fx.depositor.clone();
    let mut instructions = vec![];
    let mut valuation = json!({});

    // receivables create_pool: the issuer's second pool, as the builder makes it
    let now = fx.a.p.r.now;
    let params = registry::pool_params(now);
    let create = fx.a.p.r.create_pool_ix(1, params.clone());
    instructions.push(ix_json(
        "createPool",
        "receivables",
        &create,
        json!({ "params": {
            "assetClass": params.asset_class as u8,
            "grade": params.grade,
            "faceValue": n(params.face_value),
            "unitSize": n(params.unit_size),
            "docHash": hex(&params.doc_hash),
            "uri": params.uri,
            "schedule": params.schedule.iter().map(|p| json!({
                "dueTs": n(p.due_ts), "amount": n(p.amount)
            })).collect::<Vec<_>>(),
            "name": params.name,
            "symbol": params.symbol,
            "unitAccess": params.unit_access as u8,
        }}),
    ));

    // rwa-oracle submit_observation by the first publisher
    let publisher = holder_pubkey(&fx.a.p.publishers[0]);
    let (value, confidence) = (oracle::bps(450), oracle::bps(450) / 10_000);
    let submit = oracle::submit_ix(&publisher, &pricer::BENCHMARK, value, confidence, now);
    instructions.push(ix_json(
        "submitObservation",
        "rwaOracle",
        &submit,
        json!({ "value": n(value), "confidence": n(confidence), "publishTs": n(now) }),
    ));

    // refresh_rate + exchange, sent: the holder exchanges a tenth of face value
    let units = registry::FACE / 10;
    let [refresh, exchange] = fx.a.exchange_ixs(units, 1);
    instructions.push(ix_json("refreshRate", "dcfPricer", &refresh, json!({})));
    instructions.push(ix_json(
        "exchange",
        "valueAnchor",
        &exchange,
        json!({ "units": n(units), "minOut": n(1) }),
    ));
    let anchor_before = fx.holder_anchor().await;
    fx.as_holder(&[refresh.clone(), exchange]).await;
    let minted = fx.holder_anchor().await - anchor_before;
    let pricing: PoolPricing = anchor(fx.env(), pricer::pool_pricing_pda(&pool)).await;
    let price = Fixed::from_raw(pricing.rate.unit_price);
    let (gross, out) =
        value_anchor::math::exchange_out(units, price, va::POOL_PARAMS.haircut_bps).unwrap();
    assert_eq!(out, minted, "the preview is what the program minted");
    valuation["exchange"] = json!({
        "units": n(units), "priceRaw": n(price.raw()), "haircutBps": va::POOL_PARAMS.haircut_bps,
        "gross": n(gross), "out": n(out), "minted": n(minted),
    });

    // mint_with_stable then redeem_for_stable, sent
    let mint = fx.a.mint_ix(1_000_000_007, 1);
    fx.as_holder(&[mint]).await;
    let redeem = fx.a.redeem_ix(500_000_000, 1);
    instructions.push(ix_json(
        "redeemForStable",
        "valueAnchor",
        &redeem,
        json!({ "amount": n(500_000_000u64), "minOut": n(1) }),
    ));
    fx.as_holder(&[redeem]).await;

    // refresh_rate + sell_to_reserve, sent: the sale pays the exit curve's price
    let sold = registry::FACE / 100;
    let book_before = fx.book().await;
    let config = fx.config().await;
    let [refresh, sell] = fx.refresh_and_sell_ixs(sold, 1);
    instructions.push(ix_json(
        "sellToReserve",
        "buybackReserve",
        &sell,
        json!({ "units": n(sold), "minOut": n(1) }),
    ));
    let stable_before = fx.holder_stable().await;
    fx.as_holder(&[refresh, sell]).await;
    let paid = fx.holder_stable().await - stable_before;
    let pricing: PoolPricing = anchor(fx.env(), pricer::pool_pricing_pda(&pool)).await;
    let price = Fixed::from_raw(pricing.rate.unit_price);
    let p = config.params;
    let grade = pricing.grade as usize;
    let curve =
        ExitCurve::from_bps(p.min_discount_bps[grade], p.max_discount_bps, p.curve_exponent)
            .unwrap();
    let sale_value = price.mul_u64_floor(sold).unwrap();
    let sale = curve.sale(p.sale_budget, book_before.sale_used, sale_value).unwrap();
    assert_eq!(sale.paid, paid, "the preview is what the reserve paid");
    valuation["sellToReserve"] = json!({
        "units": n(sold), "priceRaw": n(price.raw()),
        "minBps": p.min_discount_bps[grade], "maxBps": p.max_discount_bps,
        "exponent": p.curve_exponent, "budget": n(p.sale_budget),
        "used": n(book_before.sale_used), "value": n(sale_value),
        "discount": n(sale.discount), "paid": n(sale.paid), "received": n(paid),
    });

    // deposit: the depositor adds to its position, sent
    let deposit_amount = reserve::DEPOSIT / 2;
    let deposit = fx.deposit_ix(&depositor, deposit_amount);
    instructions.push(ix_json(
        "deposit",
        "buybackReserve",
        &deposit,
        json!({ "amount": n(deposit_amount), "minShares": n(0) }),
    ));
    fx.send_as(&depositor, &[deposit]).await;

    // the exit curve and exchange math over a grid, for the TS port
    let mut curve_cases = vec![];
    for (min, max, k) in [(100u16, 1_000u16, 2u8), (50, 1_500, 1), (0, 10_000, 4), (250, 250, 3)] {
        let c = ExitCurve::from_bps(min, max, k).unwrap();
        for (budget, used, value) in [
            (1_000_000u64, 0u64, 1_000_000u64),
            (1_000_000, 0, 100_000),
            (1_000_000, 900_000, 100_000),
            (10_000_000_000_000, 1_234_567_891, 987_654_321_012),
            (3, 1, 1),
            (1_000_000_000_000_000, 100_000_000_000_000, 300_000_000_000_000),
            (u64::MAX, u64::MAX / 3, u64::MAX / 5),
            (1_000, 600, 401),
        ] {
            let mut case = json!({
                "minBps": min, "maxBps": max, "exponent": k,
                "budget": n(budget), "used": n(used), "value": n(value),
                "bpsAtUsed": n(c.discount_bps_at(used, budget).unwrap()),
            });
            match c.sale(budget, used, value) {
                Ok(s) => {
                    case["discount"] = n(s.discount);
                    case["paid"] = n(s.paid);
                }
                // the TS port must refuse where rwa-math does
                Err(e) => case["error"] = json!(format!("{e:?}").split('(').next().unwrap()),
            }
            curve_cases.push(case);
        }
    }
    valuation["curve"] = json!(curve_cases);
    let mut exchange_cases = vec![];
    for (units, price, haircut) in [
        (1u64, Fixed::ONE.raw(), 0u16),
        (1_000_000, Fixed::from_ratio_floor(1, 3).unwrap().raw(), 300),
        (123_456_789_012, Fixed::from_bps_ceil(9_731).unwrap().raw(), 250),
        (u64::MAX / 2, Fixed::from_ratio_floor(3, 2).unwrap().raw(), 9_999),
    ] {
        let (gross, out) =
            value_anchor::math::exchange_out(units, Fixed::from_raw(price), haircut).unwrap();
        exchange_cases.push(json!({
            "units": n(units), "priceRaw": n(price), "haircutBps": haircut,
            "gross": n(gross), "out": n(out),
        }));
    }
    valuation["exchangeCases"] = json!(exchange_cases);

    // PDAs of every seeds family, over the fixture's keys
    let feed_id = pricer::BENCHMARK;
    let (rp, op, pp, vp, bp) =
        (receivables::ID, rwa_oracle::ID, dcf_pricer::ID, value_anchor::ID, buyback_reserve::ID);
    let u = seed_utf8;
    let pk = |k: &Pubkey| json!({ "pubkey": k.to_string() });
    let mut pdas = vec![
        pda_json("receivables", "config", &rp, vec![u(b"config")], registry::config_pda()),
        pda_json(
            "receivables",
            "issuer",
            &rp,
            vec![u(b"issuer"), pk(&issuer_key)],
            registry::issuer_pda(&issuer_key),
        ),
        pda_json(
            "receivables",
            "pool",
            &rp,
            vec![u(b"pool"), pk(&issuer_key), json!({ "u32": 0 })],
            registry::pool_pda(&issuer_key, 0),
        ),
        pda_json(
            "receivables",
            "pool",
            &rp,
            vec![u(b"pool"), pk(&issuer_key), json!({ "u32": 7 })],
            registry::pool_pda(&issuer_key, 7),
        ),
        pda_json(
            "receivables",
            "servicer",
            &rp,
            vec![u(b"servicer"), pk(&servicer_key)],
            registry::servicer_pda(&servicer_key),
        ),
        pda_json(
            "receivables",
            "unitMint",
            &rp,
            vec![u(b"unit_mint"), pk(&pool)],
            registry::unit_mint_pda(&pool),
        ),
        pda_json(
            "receivables",
            "vault",
            &rp,
            vec![u(b"vault"), pk(&pool)],
            registry::vault_pda(&pool),
        ),
        pda_json("rwaOracle", "config", &op, vec![u(b"config")], oracle::config_pda()),
        pda_json(
            "rwaOracle",
            "feed",
            &op,
            vec![u(b"feed"), json!({ "bytes": hex(&feed_id) })],
            oracle::feed_pda(&feed_id),
        ),
        pda_json(
            "rwaOracle",
            "grade",
            &op,
            vec![u(b"grade"), json!({ "u8": 1 })],
            oracle::grade_pda(1),
        ),
        pda_json("dcfPricer", "config", &pp, vec![u(b"config")], pricer::config_pda()),
        pda_json(
            "dcfPricer",
            "poolPricing",
            &pp,
            vec![u(b"pricing"), pk(&pool)],
            pricer::pool_pricing_pda(&pool),
        ),
        pda_json("valueAnchor", "config", &vp, vec![u(b"config")], va::config_pda()),
        pda_json("valueAnchor", "anchorMint", &vp, vec![u(b"anchor_mint")], va::anchor_mint_pda()),
        pda_json(
            "valueAnchor",
            "stableReserve",
            &vp,
            vec![u(b"stable_reserve")],
            va::stable_reserve_pda(),
        ),
        pda_json("valueAnchor", "backing", &vp, vec![u(b"backing")], va::backing_pda()),
        pda_json(
            "valueAnchor",
            "acceptedPool",
            &vp,
            vec![u(b"accepted"), pk(&pool)],
            va::accepted_pool_pda(&pool),
        ),
        pda_json(
            "valueAnchor",
            "collateral",
            &vp,
            vec![u(b"collateral"), pk(&pool)],
            va::collateral_pda(&pool),
        ),
        pda_json(
            "valueAnchor",
            "claim",
            &vp,
            vec![u(b"claim"), pk(&holder_key), json!({ "u64": "42" })],
            va::claim_pda(&holder_key, 42),
        ),
        pda_json("buybackReserve", "config", &bp, vec![u(b"config")], reserve::config_pda()),
        pda_json("buybackReserve", "book", &bp, vec![u(b"book")], reserve::book_pda()),
        pda_json(
            "buybackReserve",
            "stableVault",
            &bp,
            vec![u(b"stable_vault")],
            reserve::stable_vault_pda(),
        ),
        pda_json(
            "buybackReserve",
            "insuranceVault",
            &bp,
            vec![u(b"insurance_vault")],
            reserve::insurance_vault_pda(),
        ),
        pda_json(
            "buybackReserve",
            "feeVault",
            &bp,
            vec![u(b"fee_vault")],
            reserve::fee_vault_pda(),
        ),
        pda_json(
            "buybackReserve",
            "rewardsVault",
            &bp,
            vec![u(b"rewards_vault")],
            reserve::rewards_vault_pda(),
        ),
        pda_json(
            "buybackReserve",
            "anchorVault",
            &bp,
            vec![u(b"anchor_vault")],
            reserve::anchor_vault_pda(),
        ),
        pda_json(
            "buybackReserve",
            "protocolMint",
            &bp,
            vec![u(b"protocol_mint")],
            reserve::protocol_mint_pda(),
        ),
        pda_json("buybackReserve", "treasury", &bp, vec![u(b"treasury")], reserve::treasury_pda()),
        pda_json(
            "buybackReserve",
            "stakeVault",
            &bp,
            vec![u(b"stake_vault")],
            reserve::stake_vault_pda(),
        ),
        pda_json(
            "buybackReserve",
            "listedPool",
            &bp,
            vec![u(b"listed"), pk(&pool)],
            reserve::listed_pool_pda(&pool),
        ),
        pda_json(
            "buybackReserve",
            "unitsVault",
            &bp,
            vec![u(b"units"), pk(&pool)],
            reserve::units_vault_pda(&pool),
        ),
    ];
    // the transfer hook's families, over the fixture's keys (the issuer as an attestor, the
    // pool's unit mint as a permissioned mint)
    let th = transfer_hook::ID;
    let mint = rwa_testkit::registry::unit_mint_pda(&pool);
    {
        use rwa_testkit::transfer_hook as hook;
        pdas.extend([
            pda_json("transferHook", "config", &th, vec![u(b"config")], hook::config_pda()),
            pda_json(
                "transferHook",
                "attestor",
                &th,
                vec![u(b"attestor"), pk(&issuer_key)],
                hook::attestor_pda(&issuer_key),
            ),
            pda_json(
                "transferHook",
                "attestation",
                &th,
                vec![u(b"attestation"), pk(&issuer_key), pk(&holder_key)],
                hook::attestation_pda(&issuer_key, &holder_key),
            ),
            pda_json(
                "transferHook",
                "mintGate",
                &th,
                vec![u(b"mint_gate"), pk(&mint)],
                hook::mint_gate_pda(&mint),
            ),
            pda_json(
                "transferHook",
                "extraAccountMetas",
                &th,
                vec![u(b"extra-account-metas"), pk(&mint)],
                hook::extra_account_metas_pda(&mint),
            ),
        ]);
    }
    for kind in [PositionKind::Deposit, PositionKind::Insurance, PositionKind::Protocol] {
        let owner = holder_pubkey(&depositor.key);
        pdas.push(pda_json(
            "buybackReserve",
            "position",
            &bp,
            vec![u(b"position"), json!({ "u8": kind as u8 }), pk(&owner)],
            reserve::position_pda(kind, &owner),
        ));
    }

    // account bytes the programs produced, with the field values the TS decoder must find
    let env = fx.env();
    let mut accounts = vec![];
    let p: receivables::state::Pool = anchor(env, pool).await;
    let f = json!({
        "issuer": key(&p.issuer), "servicer": key(&p.servicer),
        "currencyMint": key(&p.currency_mint), "unitMint": key(&p.unit_mint),
        "index": p.index, "assetClass": p.asset_class as u8, "grade": p.grade,
        "status": p.status as u8, "faceValue": n(p.face_value), "unitsMinted": n(p.units_minted),
        "totalRepaid": n(p.total_repaid), "docHash": hex(&p.doc_hash), "uri": p.uri,
        "schedule.length": p.schedule.len(), "schedule[11].dueTs": n(p.schedule[11].due_ts),
        "schedule[11].amount": n(p.schedule[11].amount), "bump": p.bump,
        "defaultedAt": n(p.defaulted_at), "version": n(p.version),
    });
    accounts.push(account_json(env, "receivables", "Pool", pool, f).await);

    let address = pricer::pool_pricing_pda(&pool);
    let pr: PoolPricing = anchor(env, address).await;
    let r = &pr.rate;
    let f = json!({
        "pool": key(&pr.pool), "grade": pr.grade,
        "params.maxInputAgeSecs": pr.params.max_input_age_secs,
        "params.maxRiseBps": pr.params.max_rise_bps,
        "rate.unitPrice": n(r.unit_price), "rate.computedPrice": n(r.computed_price),
        "rate.poolValue": n(r.pool_value), "rate.vaultCash": n(r.vault_cash),
        "rate.flowsValue": n(r.flows_value), "rate.units": n(r.units),
        "rate.benchmark.value": n(r.benchmark.value), "rate.lgd.publishTs": n(r.lgd.publish_ts),
        "rate.poolStatus": r.pool_status as u8, "rate.updatedAt": n(r.updated_at),
        "referencePrice": n(pr.reference_price), "previousLow": n(pr.previous_low),
    });
    accounts.push(account_json(env, "dcfPricer", "PoolPricing", address, f).await);

    let address = va::backing_pda();
    let b: Backing = anchor(env, address).await;
    let e = &b.entries[0];
    let f = json!({
        "entries.length": b.entries.len(),
        "entries[0].pool": key(&e.pool), "entries[0].units": n(e.units),
        "entries[0].price": n(e.price), "entries[0].value": n(e.value),
        "entries[0].pricedAt": n(e.priced_at), "entries[0].priceHigh": n(e.price_high),
        "poolCount": b.pool_count, "stableReserve": n(b.stable_reserve),
        "poolsValue": n(b.pools_value), "totalBacking": n(b.total_backing),
        "anchorSupply": n(b.anchor_supply), "ratioBps": n(b.ratio_bps),
        "updatedAt": n(b.updated_at), "feesAccrued": n(b.fees_accrued), "bump": b.bump,
    });
    accounts.push(account_json(env, "valueAnchor", "Backing", address, f).await);

    let address = reserve::book_pda();
    let bk: ReserveBook = anchor(env, address).await;
    let h = &bk.holdings[0];
    let f = json!({
        "holdings[0].pool": key(&h.pool), "holdings[0].units": n(h.units),
        "holdings[0].price": n(h.price), "holdings[0].value": n(h.value),
        "holdingCount": bk.holding_count, "cash": n(bk.cash), "shares": n(bk.shares),
        "epochStart": n(bk.epoch_start), "saleUsed": n(bk.sale_used),
        "claimOpen": bk.claim_open, "insuranceCash": n(bk.insurance_cash),
        "insuranceShares": n(bk.insurance_shares), "insuranceGeneration": bk.insurance_generation,
        "rewardPerToken": n(bk.reward_per_token), "bump": bk.bump,
    });
    accounts.push(account_json(env, "buybackReserve", "ReserveBook", address, f).await);

    let owner = holder_pubkey(&depositor.key);
    let address = reserve::position_pda(PositionKind::Deposit, &owner);
    let pos: buyback_reserve::state::Position = anchor(env, address).await;
    let f = json!({
        "owner": key(&pos.owner), "kind": pos.kind as u8, "shares": n(pos.shares),
        "exiting": n(pos.exiting), "exitRequestedAt": n(pos.exit_requested_at),
        "rewardIndex": n(pos.reward_index), "generation": pos.generation, "bump": pos.bump,
    });
    accounts.push(account_json(env, "buybackReserve", "Position", address, f).await);

    let address = oracle::feed_pda(&feed_id);
    let feed: rwa_oracle::state::Feed = anchor(env, address).await;
    let f = json!({
        "feedId": hex(&feed.feed_id), "paused": feed.paused,
        "observations.length": feed.observations.len(),
        "observations[0].publisher": key(&feed.observations[0].publisher),
        "observations[0].value": n(feed.observations[0].value),
        "reference.__option": if feed.reference.is_some() { "Some" } else { "None" },
        "bump": feed.bump,
    });
    accounts.push(account_json(env, "rwaOracle", "Feed", address, f).await);

    let _ = stable;
    check_or_write("instructions.json", &json!(instructions));
    check_or_write("pdas.json", &json!(pdas));
    check_or_write("accounts.json", &json!(accounts));
    check_or_write("valuation.json", &valuation);
}

fn holder_pubkey(k: &rwa_testkit::solana_sdk::signature::Keypair) -> Pubkey {
    use rwa_testkit::solana_sdk::signature::Signer;
    k.pubkey()
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../app/test/fixtures")
}

/// Writes `name` under `RWA_WRITE_FIXTURES=1`; otherwise fails unless the checked-in file has
/// exactly this content.
fn check_or_write(name: &str, value: &Value) {
    let path = fixtures_dir().join(name);
    let text = serde_json::to_string_pretty(value).unwrap() + "\n";
    if std::env::var("RWA_WRITE_FIXTURES").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(fixtures_dir()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == text,
        "app/test/fixtures/{name} is out of date: regenerate with \
         `RWA_WRITE_FIXTURES=1 cargo test -p rwa-integration-tests --test fixtures_ts --locked` \
         and commit it"
    );
}
