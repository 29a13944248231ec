//! The cluster commands, run through the SDK against the embedded runtime (the same code the
//! binary runs against an RPC URL): readers show what the accounts hold, and each role's
//! commands do what the programs' own instructions do, quoted where a holder exits.
use buyback_reserve::state::ReserveBook;
use rwa_cli::ops::{self, Op, Outcome, Program};
use rwa_testkit::{prelude::*, pricer::BENCHMARK, reserve::*};

fn value<'a>(o: &'a Outcome, label: &str) -> &'a str {
    let row = o.rows.iter().find(|(k, _)| k == label);
    row.unwrap_or_else(|| panic!("no {label} in {o:?}")).1.as_str()
}

async fn run(fx: &mut ReserveFixture, signer: &Keypair, op: Op) -> Outcome {
    let sdk = fx.env().sdk();
    ops::run(&sdk, signer, &op).await.unwrap_or_else(|e| panic!("{op:?}: {e}"))
}

#[tokio::test]
async fn show_reads_the_pool_the_backing_the_reserve_and_a_feed() {
    let mut fx = ReserveFixture::new().await;
    fx.a.p.refresh().await;
    let payer = fx.env().payer().insecure_clone();
    let pool = fx.pool();
    let o = run(&mut fx, &payer, Op::ShowPool { pool }).await;
    assert_eq!(value(&o, "status"), "Active");
    assert_eq!(value(&o, "face value"), "1,000,000.000000");
    assert!(value(&o, "unit price").starts_with("0."), "{o:?}");
    assert!(o.signature.is_none(), "a reader sends nothing");

    let o = run(&mut fx, &payer, Op::ShowReserve).await;
    assert_eq!(value(&o, "idle cash"), "200,000.000000");
    assert_eq!(value(&o, "insurance cash"), "20,000.000000");

    let o = run(&mut fx, &payer, Op::ShowBacking).await;
    assert_eq!(value(&o, "anchor supply"), "0.000000");

    let o = run(&mut fx, &payer, Op::ShowFeed { feed_id: BENCHMARK }).await;
    assert_eq!(value(&o, "kind"), "BenchmarkRate");
    assert_eq!(value(&o, "paused"), "false");
    let rendered = o.render().join("\n");
    assert!(rendered.contains("kind") && rendered.contains("BenchmarkRate"), "{rendered}");
}

#[tokio::test]
async fn a_holder_sells_to_the_reserve_at_the_quote_and_exchanges_at_its_quote() {
    let mut fx = ReserveFixture::new().await;
    let holder = fx.a.holder.insecure_clone();
    let pool = fx.pool();
    let before = fx.holder_stable().await;
    let o = run(&mut fx, &holder, Op::Sell { pool, units: 10_000_000_000, slippage_bps: 0 }).await;
    let paid = fx.holder_stable().await - before;
    assert_eq!(value(&o, "quoted payout").replace([',', '.'], "").parse::<u64>().unwrap(), paid);
    assert!(o.signature.is_some());
    let book: ReserveBook = fx.book().await;
    assert_eq!(book.holdings[0].units, 10_000_000_000);

    let anchor = fx.a.holder_anchor;
    let o =
        run(&mut fx, &holder, Op::Exchange { pool, units: 5_000_000_000, slippage_bps: 0 }).await;
    let minted = fx.env().token_balance(anchor).await;
    assert_eq!(value(&o, "quoted").replace([',', '.'], "").parse::<u64>().unwrap(), minted);
}

#[tokio::test]
async fn the_servicer_repays_and_a_publisher_submits() {
    let mut fx = ReserveFixture::new().await;
    let servicer = fx.a.p.r.servicer.insecure_clone();
    let pool = fx.pool();
    run(&mut fx, &servicer, Op::Repay { pool, amount: 1_000_000 }).await;
    let state: receivables::state::Pool = fx.env().anchor_account(pool).await;
    assert_eq!(state.total_repaid, 1_000_000);

    let publisher = fx.a.p.publishers[0].insecure_clone();
    fx.env().warp_seconds(5).await;
    let op = Op::Submit { feed_id: BENCHMARK, value_bps: 460, confidence_bps: 1 };
    let o = run(&mut fx, &publisher, op).await;
    assert_eq!(value(&o, "value"), rwa_cli::format::bps(460));
}

#[tokio::test]
async fn the_guardian_pauses_the_reserve_and_only_the_admin_unpauses_it() {
    let mut fx = ReserveFixture::new().await;
    let guardian = fx.a.p.r.guardian.insecure_clone();
    let admin = fx.a.p.r.admin.insecure_clone();
    run(&mut fx, &guardian, Op::SetPaused { program: Program::Reserve, paused: true }).await;
    assert!(fx.config().await.paused);
    let sdk = fx.env().sdk();
    let unpause = Op::SetPaused { program: Program::Reserve, paused: false };
    let err = ops::run(&sdk, &guardian, &unpause).await.expect_err("the guardian cannot unpause");
    assert!(err.to_string().contains("Unauthorized"), "{err}");
    run(&mut fx, &admin, unpause).await;
    assert!(!fx.config().await.paused);
}

#[tokio::test]
async fn the_issuer_creates_a_pool_from_a_schedule_in_chunks_and_activates_it() {
    let mut fx = ReserveFixture::new().await;
    let issuer = fx.a.p.r.issuer.insecure_clone();
    let servicer = fx.a.p.r.servicer.pubkey();
    let currency = fx.stable_mint();
    let day = 86_400;
    let start = fx.a.p.r.now - fx.a.p.r.now.rem_euclid(day) + day;
    // 30 monthly invoices: more than one transaction carries
    let flows: Vec<(i64, u64)> =
        (1..=30).map(|m| (start + 30 * day * m, 1_000_000_000 + m as u64)).collect();
    let sum: u64 = flows.iter().map(|f| f.1).sum();
    let op = Op::CreatePool {
        index: 1,
        servicer,
        currency,
        grade: 2,
        asset_class: receivables::state::AssetClass::SmeLoan,
        face_value: None,
        unit_size: 1,
        uri: "https://issuer.example/pools/2".into(),
        doc_hash: [3; 32],
        flows: flows.clone(),
        units: None,
    };
    let o = run(&mut fx, &issuer, op).await;
    assert_eq!(value(&o, "transactions"), "2");
    let pool = rwa_testkit::registry::pool_pda(&issuer.pubkey(), 1);
    let state: receivables::state::Pool = fx.env().anchor_account(pool).await;
    assert_eq!(state.status, receivables::state::PoolStatus::Draft);
    assert_eq!(state.face_value, sum);
    let uploaded: Vec<(i64, u64)> = state.schedule.iter().map(|f| (f.due_ts, f.amount)).collect();
    assert_eq!(uploaded, flows);

    run(&mut fx, &issuer, Op::ActivatePool { pool }).await;
    let state: receivables::state::Pool = fx.env().anchor_account(pool).await;
    assert_eq!(state.status, receivables::state::PoolStatus::Active);
    let units = rwa_sdk::associated_token_address(
        &issuer.pubkey(),
        &state.unit_mint,
        &TokenProgram::Classic.id(),
    );
    assert_eq!(fx.env().token_balance(units).await, state.units_minted);
}

#[tokio::test]
async fn the_admin_approves_participants_and_accepts_and_lists_a_new_pool() {
    let mut fx = ReserveFixture::new().await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let (newcomer, servicer) = (Pubkey::new_unique(), Pubkey::new_unique());
    let op = Op::ApproveIssuer { issuer: newcomer, max_pools: 3, max_face_value: 1_000_000 };
    run(&mut fx, &admin, op).await;
    let issuer: receivables::state::Issuer =
        fx.env().anchor_account(rwa_testkit::registry::issuer_pda(&newcomer)).await;
    assert_eq!((issuer.authority, issuer.limits.max_pools), (newcomer, 3));
    run(&mut fx, &admin, Op::ApproveServicer { servicer }).await;
    let address = rwa_testkit::registry::servicer_pda(&servicer);
    assert!(fx.env().account(address).await.is_some());

    // the fixture's issuer brings a second pool; the pricer prices it; value-anchor accepts it
    // and the reserve lists it, from the CLI's admin commands
    let (pool, _) = fx.a.p.r.active_pool(1).await;
    let pricing = rwa_testkit::pricer::create_pool_pricing_ix(
        &admin.pubkey(),
        &pool,
        &rwa_testkit::oracle::grade_pda(1),
        &rwa_testkit::oracle::feed_pda(&BENCHMARK),
        rwa_testkit::pricer::PRICING,
    );
    fx.env().send_ok(&[pricing], &[&admin]).await;
    let params = rwa_testkit::anchor_token::POOL_PARAMS;
    run(&mut fx, &admin, Op::AcceptPool { pool, params }).await;
    let accepted: value_anchor::state::AcceptedPool =
        fx.env().anchor_account(rwa_testkit::anchor_token::accepted_pool_pda(&pool)).await;
    assert_eq!((accepted.pool, accepted.slot, accepted.params), (pool, 1, params));
    run(&mut fx, &admin, Op::ListPool { pool, cap: 5_000_000 }).await;
    let listed: buyback_reserve::state::ListedPool =
        fx.env().anchor_account(listed_pool_pda(&pool)).await;
    assert_eq!((listed.slot, listed.cap), (1, 5_000_000));

    // a servicer's close of a pool still owed money is refused, by name
    let servicer = fx.a.p.r.servicer.insecure_clone();
    let sdk = fx.env().sdk();
    let err = ops::run(&sdk, &servicer, &Op::ClosePool { pool }).await.expect_err("owed");
    assert!(err.to_string().contains("receivables"), "{err}");
}

#[tokio::test]
async fn a_redemption_is_protected_against_paying_less_than_par() {
    let mut fx = ReserveFixture::new().await;
    let holder = fx.a.holder.insecure_clone();
    let pool = fx.pool();
    run(&mut fx, &holder, Op::Exchange { pool, units: 50_000_000_000, slippage_bps: 0 }).await;
    let mint = fx.a.mint_ix(10_000_000_000, 0);
    let refresh = [fx.a.p.refresh_ix(), rwa_testkit::anchor_token::refresh_backing_ix(&pool), mint];
    fx.as_holder(&refresh).await;
    let amount = 1_000_000_000;
    let before = fx.holder_stable().await;
    run(&mut fx, &holder, Op::RedeemForStable { amount, slippage_bps: 0 }).await;
    assert_eq!(fx.holder_stable().await - before, amount - amount * 5 / 10_000);

    // under water after a default: par cannot be paid, and the default protection refuses
    fx.a.default_and_refresh().await;
    let sdk = fx.env().sdk();
    let op = Op::RedeemForStable { amount, slippage_bps: 50 };
    let err = ops::run(&sdk, &holder, &op).await.expect_err("below par");
    assert!(err.to_string().contains("SlippageExceeded"), "{err}");
}

#[tokio::test]
async fn deposits_and_stakes_are_sent_with_their_quoted_shares_as_the_minimum() {
    use buyback_reserve::state::PositionKind;
    let mut fx = ReserveFixture::new().await;
    let pool = fx.pool();
    // the reserve holds units: the deposit's net assets count them at the refreshed price
    let holder = fx.a.holder.insecure_clone();
    run(&mut fx, &holder, Op::Sell { pool, units: 10_000_000_000, slippage_bps: 0 }).await;
    fx.env().warp_seconds(60).await;

    let depositor = fx.depositor.key.insecure_clone();
    let me = depositor.pubkey();
    let before = fx.position(PositionKind::Deposit, &me).await.shares;
    let op = Op::Deposit { amount: 1_000_000_000, slippage_bps: 0 };
    let o = run(&mut fx, &depositor, op).await;
    let minted = fx.position(PositionKind::Deposit, &me).await.shares - before;
    assert_eq!(value(&o, "quoted shares").parse::<u64>().unwrap(), minted, "{o:?}");
    assert_eq!(value(&o, "least accepted").parse::<u64>().unwrap(), minted);

    let staker = fx.staker.key.insecure_clone();
    let me = staker.pubkey();
    let before = fx.position(PositionKind::Insurance, &me).await.shares;
    let op = Op::StakeInsurance { amount: 1_000_000_000, slippage_bps: 50 };
    let o = run(&mut fx, &staker, op).await;
    let minted = fx.position(PositionKind::Insurance, &me).await.shares - before;
    assert_eq!(value(&o, "quoted shares").parse::<u64>().unwrap(), minted, "{o:?}");
    let least = value(&o, "least accepted").parse::<u64>().unwrap();
    assert_eq!(least, (minted as u128 * 9_950 / 10_000) as u64, "50 bps below the quote");
}

/// The hook's admin approves an attestor from the CLI; the attestor attests a holder, shows and
/// revokes the attestation; the guardian suspends the attestor and the admin reinstates it; an
/// issuer creates a permissioned pool trusting it, whose units only its attested holders
/// receive.
#[tokio::test]
async fn attestors_attest_and_revoke_an_issuer_creates_a_permissioned_pool_the_admin_rebinds_it() {
    let mut fx = ReserveFixture::new().await;
    let admin = fx.a.p.r.admin.insecure_clone();
    fx.env().set_upgrade_authority(&transfer_hook::ID, &admin.pubkey());
    let guardian = fx.a.p.r.guardian.pubkey();
    let program_data = rwa_sdk::program_data_address(&transfer_hook::ID);
    let init = rwa_sdk::transfer_hook::initialize_ix(&admin.pubkey(), &program_data, guardian);
    fx.env().send_ok(&[init], &[&admin]).await;

    let attestor = fx.env().funded_keypair(1_000_000_000).await;
    let a = attestor.pubkey();
    run(&mut fx, &admin, Op::ApproveAttestor { attestor: a }).await;
    let holder = Pubkey::new_unique();
    let o = run(&mut fx, &attestor, Op::ShowAttestation { holder, attestor: None }).await;
    assert_eq!(value(&o, "status"), "none (never attested)");
    assert_eq!(value(&o, "attestor status"), "Approved");

    let attest = Op::Attest {
        holder,
        jurisdiction: ops::jurisdiction("de").unwrap(),
        expires: ops::Expiry::parse("+30d").unwrap(),
    };
    run(&mut fx, &attestor, attest).await;
    let o = run(&mut fx, &admin, Op::ShowAttestation { holder, attestor: Some(a) }).await;
    assert_eq!((value(&o, "status"), value(&o, "jurisdiction")), ("valid", "DE"));
    let now = fx.env().clock().await.unix_timestamp;
    let stored: transfer_hook::state::Attestation =
        fx.env().anchor_account(rwa_sdk::transfer_hook::attestation_pda(&a, &holder)).await;
    assert_eq!(stored.expires_at, now + 30 * 86_400);

    run(&mut fx, &attestor, Op::Revoke { holder }).await;
    let o = run(&mut fx, &attestor, Op::ShowAttestation { holder, attestor: None }).await;
    assert_eq!(value(&o, "status"), "revoked");
    // a renewal clears the revocation
    let renew = Op::Attest { holder, jurisdiction: *b"DE", expires: ops::Expiry::InDays(31) };
    run(&mut fx, &attestor, renew).await;

    let guardian = fx.a.p.r.guardian.insecure_clone();
    let suspended = transfer_hook::state::AttestorStatus::Suspended;
    run(&mut fx, &guardian, Op::SetAttestorStatus { attestor: a, status: suspended }).await;
    let o = run(&mut fx, &attestor, Op::ShowAttestation { holder, attestor: None }).await;
    assert_eq!(value(&o, "status"), "not counting (attestor suspended)");
    let approved = transfer_hook::state::AttestorStatus::Approved;
    run(&mut fx, &admin, Op::SetAttestorStatus { attestor: a, status: approved }).await;

    // a permissioned pool trusting the attestor, activated: the issuer holds every unit
    let issuer = fx.a.p.r.issuer.insecure_clone();
    let day = 86_400;
    let start = fx.a.p.r.now - fx.a.p.r.now.rem_euclid(day) + day;
    let op = Op::CreatePool {
        index: 1,
        servicer: fx.a.p.r.servicer.pubkey(),
        currency: fx.stable_mint(),
        grade: 1,
        asset_class: receivables::state::AssetClass::TradeReceivable,
        face_value: None,
        unit_size: 1,
        uri: "https://issuer.example/pools/2".into(),
        doc_hash: [3; 32],
        flows: vec![(start + 30 * day, 1_000_000_000)],
        units: Some(ops::UnitChoice {
            name: "Invoices 2".into(),
            symbol: "INV2".into(),
            attestor: Some(a),
        }),
    };
    let o = run(&mut fx, &issuer, op).await;
    assert_eq!(value(&o, "units"), format!("Token-2022, permissioned (attestor {a})"));
    let pool = rwa_testkit::registry::pool_pda(&issuer.pubkey(), 1);
    // the mint runs no hook: activation refuses an issuer the pool's attestor has not attested
    let sdk = fx.env().sdk();
    let err = ops::run(&sdk, &issuer, &Op::ActivatePool { pool }).await.expect_err("unattested");
    assert!(err.to_string().contains("UnitHolderNotAllowed"), "{err}");
    let me = issuer.pubkey();
    let attest_issuer =
        Op::Attest { holder: me, jurisdiction: *b"DE", expires: ops::Expiry::InDays(30) };
    run(&mut fx, &attestor, attest_issuer).await;
    fx.env().next_blockhash().await; // the same activation again, not a replay of the refused one
    run(&mut fx, &issuer, Op::ActivatePool { pool }).await;
    let mint = rwa_testkit::registry::unit_mint_pda(&pool);
    let gate = fx.env().sdk().mint_gate(&mint).await.unwrap().expect("gated");
    assert_eq!(gate.attestor, a);

    // the admin rebinds the units to another approved attestor, naming the pool, then back,
    // naming the mint; a key that is neither a pool nor a gated mint is refused
    let next = Pubkey::new_unique();
    run(&mut fx, &admin, Op::ApproveAttestor { attestor: next }).await;
    let o = run(&mut fx, &admin, Op::SetMintAttestor { pool_or_mint: pool, attestor: next }).await;
    assert_eq!(
        (value(&o, "mint"), value(&o, "attestor")),
        (&*mint.to_string(), &*next.to_string())
    );
    let gate = fx.env().sdk().mint_gate(&mint).await.unwrap().expect("gated");
    assert_eq!(gate.attestor, next);
    run(&mut fx, &admin, Op::SetMintAttestor { pool_or_mint: mint, attestor: a }).await;
    let gate = fx.env().sdk().mint_gate(&mint).await.unwrap().expect("gated");
    assert_eq!(gate.attestor, a);
    let open = Op::SetMintAttestor { pool_or_mint: fx.pool(), attestor: next };
    let sdk = fx.env().sdk();
    assert!(ops::run(&sdk, &admin, &open).await.is_err(), "an open pool has no gate");
    let units =
        rwa_sdk::associated_token_address(&issuer.pubkey(), &mint, &TokenProgram::Token2022.id());
    assert_eq!(fx.env().token_balance(units).await, 1_000_000_000);
}

/// Units of the permissioned pool the fixture's holder receives.
const HOOKED_UNITS: u64 = 1_000_000_000;

/// A permissioned pool (index 1, grade 1) beside the fixture's classic pool: priced, accepted
/// by value-anchor, listed by the reserve; its attestor attests the fixture's holder, who
/// receives `HOOKED_UNITS` into its associated unit account. Returns the pool and attestor.
async fn permissioned_pool(fx: &mut ReserveFixture) -> (Pubkey, Keypair) {
    use rwa_testkit::{anchor_token as va, pricer, transfer_hook as hook};
    let attestor = fx.a.p.r.init_hook().await;
    let (pool, issuer_units) = fx.a.p.r.active_token_2022_pool(1, Some(&attestor)).await;
    let admin = fx.a.p.r.admin.insecure_clone();
    let accept = [
        pricer::create_pool_pricing_ix(
            &admin.pubkey(),
            &pool,
            &rwa_testkit::oracle::grade_pda(1),
            &rwa_testkit::oracle::feed_pda(&BENCHMARK),
            pricer::PRICING,
        ),
        va::accept_pool_with_ix(&admin.pubkey(), &pool, TokenProgram::Token2022, va::POOL_PARAMS),
        list_pool_with_ix(&admin.pubkey(), &pool, &TokenProgram::Token2022.id(), POOL_CAP),
    ];
    fx.env().send_ok(&accept, &[&admin]).await;
    fx.a.accepted.push(pool);

    let holder = fx.a.holder.pubkey();
    let mint = rwa_testkit::registry::unit_mint_pda(&pool);
    let units = fx.env().create_ata(TokenProgram::Token2022, &mint, &holder).await;
    fx.a.p.r.attest(&attestor, &holder).await;
    let issuer = fx.a.p.r.issuer.insecure_clone();
    let give = hook::hooked_transfer_ix(
        &mint,
        &issuer_units,
        &units,
        &holder,
        &issuer.pubkey(),
        &attestor.pubkey(),
        HOOKED_UNITS,
    );
    fx.env().send_ok(&[give], &[&issuer]).await;
    (pool, attestor)
}

/// An attested holder of a permissioned pool exchanges and sells its units and redeems anchor
/// tokens in kind from the CLI (the SDK appends the hook's accounts: value-anchor's collateral
/// and the reserve's vault are protocol accounts, the claim pays the attested holder); an
/// unattested holder's in-kind claim is refused by the hook by name and pays once attested.
#[tokio::test]
async fn an_attested_holder_exchanges_sells_and_redeems_permissioned_units_in_kind() {
    use value_anchor::state::InKindClaim;
    let mut fx = ReserveFixture::new().await;
    let (pool, attestor) = permissioned_pool(&mut fx).await;
    let holder = fx.a.holder.insecure_clone();
    let hk = holder.pubkey();
    let mint = rwa_testkit::registry::unit_mint_pda(&pool);
    let units = rwa_sdk::associated_token_address(&hk, &mint, &TokenProgram::Token2022.id());
    let collateral = rwa_testkit::anchor_token::collateral_pda(&pool);

    let anchor_before = fx.holder_anchor().await;
    let exchanged = HOOKED_UNITS / 2;
    let o = run(&mut fx, &holder, Op::Exchange { pool, units: exchanged, slippage_bps: 0 }).await;
    let minted = fx.holder_anchor().await - anchor_before;
    assert_eq!(value(&o, "quoted").replace([',', '.'], "").parse::<u64>().unwrap(), minted);
    assert_eq!(fx.env().token_balance(collateral).await, exchanged);

    let sold = HOOKED_UNITS / 4;
    let stable = fx.holder_stable().await;
    run(&mut fx, &holder, Op::Sell { pool, units: sold, slippage_bps: 0 }).await;
    assert!(fx.holder_stable().await > stable);
    assert_eq!(fx.env().token_balance(units_vault_pda(&pool)).await, sold);
    assert_eq!(fx.book().await.holdings[1].units, sold);
    assert_eq!(fx.env().token_balance(units).await, HOOKED_UNITS - exchanged - sold);

    // in kind: a claim on the collateral, then the permissioned units to the attested holder
    let amount = minted / 4;
    run(&mut fx, &holder, Op::RedeemInKind { amount, nonce: 0 }).await;
    let claim_pda = rwa_testkit::anchor_token::claim_pda(&hk, 0);
    let claim: InKindClaim = fx.env().anchor_account(claim_pda).await;
    let owed = claim.units_owed[1];
    assert!(owed > 0, "{:?}", claim.units_owed);
    let held = fx.env().token_balance(units).await;
    run(&mut fx, &holder, Op::ClaimInKind { pool, nonce: 0 }).await;
    assert_eq!(fx.env().token_balance(units).await, held + owed);

    // an unattested holder of anchor tokens: its claim cannot pay it the units
    let eve = fx.env().funded_keypair(1_000_000_000).await;
    let ek = eve.pubkey();
    let anchor_mint = rwa_testkit::anchor_token::anchor_mint_pda();
    let eve_anchor = fx.env().create_ata(TokenProgram::Token2022, &anchor_mint, &ek).await;
    let currency = fx.stable_mint();
    fx.env().create_ata(TokenProgram::Classic, &currency, &ek).await;
    let holder_anchor = fx.a.holder_anchor;
    fx.env().transfer_tokens(&holder_anchor, &eve_anchor, &holder, amount).await;
    run(&mut fx, &eve, Op::RedeemInKind { amount, nonce: 0 }).await;
    let claim: InKindClaim =
        fx.env().anchor_account(rwa_testkit::anchor_token::claim_pda(&ek, 0)).await;
    let owed = claim.units_owed[1];
    assert!(owed > 0, "{:?}", claim.units_owed);
    let sdk = fx.env().sdk();
    let op = Op::ClaimInKind { pool, nonce: 0 };
    let err = ops::run(&sdk, &eve, &op).await.expect_err("unattested");
    assert!(err.to_string().contains("NotAttested"), "{err}");
    let eve_units = rwa_sdk::associated_token_address(&ek, &mint, &TokenProgram::Token2022.id());
    assert!(fx.env().account(eve_units).await.is_none(), "nothing happened");

    fx.a.p.r.attest(&attestor, &ek).await;
    fx.env().next_blockhash().await; // the same claim again, not a replay of the refused one
    run(&mut fx, &eve, op).await;
    assert_eq!(fx.env().token_balance(eve_units).await, owed);
}

/// The SDK's exits of classic units carry no hook accounts: the instructions are those of the
/// low-level builders, account for account.
#[tokio::test]
async fn classic_pools_exits_carry_no_hook_accounts() {
    let mut fx = ReserveFixture::new().await;
    let pool = fx.pool();
    let holder = fx.a.holder.pubkey();
    let sdk = fx.env().sdk();
    let exchange = sdk.exchange(&holder, &pool, 1, 0).await.unwrap();
    let expected = sdk.exchange_accounts(&holder, &pool).await.unwrap().ix(1, 0);
    assert_eq!(exchange, expected);
    let sell = sdk.sell_to_reserve(&holder, &pool, 1, 0).await.unwrap();
    assert_eq!(sell, sdk.sell_accounts(&holder, &pool).await.unwrap().ix(1, 0));
    let claim = sdk.claim_in_kind(&holder, &pool, 0).await.unwrap();
    let units = rwa_sdk::associated_token_address(
        &holder,
        &rwa_testkit::registry::unit_mint_pda(&pool),
        &TokenProgram::Classic.id(),
    );
    let expected = rwa_sdk::anchor_token::claim_in_kind_with_ix(
        &holder,
        &pool,
        0,
        &units,
        &TokenProgram::Classic.id(),
    );
    assert_eq!(claim, expected);
    assert!(sdk
        .unit_hook_accounts(&rwa_testkit::registry::unit_mint_pda(&pool), &holder)
        .await
        .unwrap()
        .is_empty());
}

#[test]
fn expiries_and_jurisdictions_parse_or_are_refused() {
    assert_eq!(ops::Expiry::parse("1800000000"), Ok(ops::Expiry::At(1_800_000_000)));
    assert_eq!(ops::Expiry::parse("+365d"), Ok(ops::Expiry::InDays(365)));
    assert!(ops::Expiry::parse("+365").is_err() && ops::Expiry::parse("soon").is_err());
    assert_eq!(ops::jurisdiction("FR"), Ok(*b"FR"));
    assert!(ops::jurisdiction("FRA").is_err() && ops::jurisdiction("F1").is_err());
}
