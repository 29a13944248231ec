//! Fuzzed accounting invariants across the whole protocol (issue #16), through the real programs:
//! random operation sequences over one bank holding all five programs (oracle, receivables,
//! pricer, value-anchor, buyback-reserve; `ReserveFixture`), plus a protocol-token staker.
//! The pure model layer over the programs' own state-transition code, which runs thousands of
//! sequences, is [`crate::fuzz_model`].
//!
//! Operations (chosen by a seeded `Lcg`; sizes random, one in ten of them one base unit,
//! `u64::MAX` or beyond what the actor holds): oracle publications with every input
//! moved by up to 2% of itself (inside the feeds' deviation bound) after minutes or days;
//! `refresh_rate`, `refresh_backing`, `mark_holding`; value-anchor `exchange`,
//! `mint_with_stable`, `redeem_for_stable`, `redeem_in_kind` + `claim_in_kind`, `sweep_fees`
//! (into the reserve's fee vault) then `distribute_fees`; reserve `sell_to_reserve`,
//! `sell_anchor_to_reserve`, `redeem_anchor`, `deposit`, `request_exit`, `withdraw`,
//! `stake_insurance`, `unstake_insurance`, `cover_shortfall`, `claim_rewards`; the servicer's
//! repayments, `mark_late`, `declare_default`, `write_down`, recoveries; and both programs'
//! `collect` (refused until the pool matures or closes, which repayments can bring about).
//!
//! A refused operation must be one of the programs' named errors (`decode_transaction_error`)
//! or the token program's (a transfer beyond a balance),
//! is recorded by that name and must
//! leave every tracked account (every vault, book, backing, pool, pricing, position, mint and
//! every actor's token account) byte-for-byte unchanged. After EVERY operation:
//!
//! 1. value-anchor: `stable_reserve` equals the stable reserve vault (the PSM fees are part of
//!    it, as backing, until swept: `fees_accrued` is not a separate claim and may exceed the
//!    reserve once redemptions below par have paid the backing out, which is why `sweep_fees`
//!    takes `min(fees_accrued, surplus, stable_reserve)`), `anchor_supply` equals the mint's supply,
//!    `total_backing = stable_reserve + sum(value)`, the collateral vault holds
//!    `units + reserved` and `reserved` is what the open claims owe; after every successful
//!    mint (`exchange`, `mint_with_stable`) `math::is_backed(total_backing, supply,
//!    overcollateral_bps)`, i.e. backing >= supply x (1 + ratio) (SPEC: the mint check).
//! 2. units conserved: the unit mint's supply equals the sum of every account of that mint
//!    (issuer, holder, value-anchor collateral, reserve units vault); value-anchor's and the
//!    reserve's books of units equal their vaults. Stable is conserved too: the stable mint's
//!    supply equals the sum of every stable account (actors, servicer, pool vault, all vaults).
//! 3. all funds claimable (Liquity's `invariant_AllFundsClaimable`): every reserve vault equals
//!    its book field; the depositors' positions sum to `book.shares` and what they can claim
//!    (`assets_for_shares` at net assets, anchor at par) sums to at most the net assets; the
//!    insurance positions (current generation) sum to `insurance_shares` and claim at most
//!    `insurance_cash`; the protocol stakers' rewards owed (settled to `reward_per_token`) sum
//!    to at most `rewards_cash`; the anchor holders' balances sum to the supply.
//! 4. nobody gets more than they put in plus the price changes they were exposed to:
//!    - every exit is at most its pro-rata share: a withdrawal `<= shares x net_assets / shares
//!      + 1` (pre-exit book), an unstake `<= shares x insurance_cash / insurance_shares + 1`, a
//!      PSM redemption `<= amount x min(backing, supply) / supply + 1` and `<= amount`, an
//!      in-kind redemption (stable + units at the entry's price) `<= amount + 1`, a claim of
//!      rewards `<=` the rewards owed, a sale `< units x price`, an anchor sale `<= amount`;
//!    - the holder (who trades units, stable and anchor with both programs) never receives more
//!      than it gives, valuing units at the program's price at the moment of each trade and
//!      anchor at par. Exposure bound: at a fixed reference price `P0` instead, its gain is at
//!      most `sum over its unit trades of units x (P_trade - P0)`, the price change it was
//!      exposed to: the per-trade valuation is exactly that bound and is checked, with no
//!      rounding allowance, on the running totals after every operation;
//!    - depositors, insurance stakers and protocol stakers together: what they received plus
//!      what they can still claim is at most what they paid in plus the reserve's income as
//!      observed from outside the book (sale discounts at the sale's price, bid bands, fees
//!      distributed, what a collection paid above the units' book value) plus the positive
//!      revaluations of the units it held (its price exposure: any operation that re-marks the
//!      holding), plus one base unit per operation of rounding. Losses (covers, the crank's PSM
//!      fee, marks down) only lower the left side. The same bound holds for each LP alone (its
//!      own payments, plus the whole income): no LP takes another's money.
//! 5. no instruction panics: the programs run natively in the bank, so a panic aborts the test.
//!
//! Counts: `RWA_FUZZ_PROGRAM_SEQUENCES` sequences (default 32) of `RWA_FUZZ_PROGRAM_OPS`
//! operations (default 48), seeds from `RWA_FUZZ_SEED` (default 1). The test prints and
//! asserts the counts it ran.
use std::collections::BTreeMap;

use buyback_reserve::state::{Position, PositionKind, ReserveBook};
use rwa_math::{shares, Fixed};
use rwa_testkit::{
    anchor_token::{self as va, anchor_mint_pda, backing_pda, claim_pda, collateral_pda},
    oracle::{bps, submit_ix},
    prelude::*,
    pricer::{BENCHMARK, GRADE_FEEDS, INPUTS_BPS},
    registry::{self as reg, unit_mint_pda, vault_pda, FACE},
    reserve::*,
    rwa_sdk::errors::decode_transaction_error,
};
use value_anchor::{
    math as vam,
    state::{Backing, InKindClaim},
};

use rwa_integration_tests::Lcg;

/// An environment variable as a number, or `default`.
pub fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The stable paid to and received by one group of actors, in base units.
#[derive(Default, Debug)]
struct Flows {
    given: u128,
    received: u128,
}

struct World {
    fx: ReserveFixture,
    rng: Lcg,
    seed: u64,
    depositors: Vec<Actor>,
    stakers: Vec<Actor>,
    /// Protocol-token stakers (stable account for rewards).
    pstakers: Vec<Actor>,
    /// Every account a refused operation must leave unchanged.
    tracked: Vec<Pubkey>,
    /// Every account of the unit mint, and of the stable mint.
    unit_accounts: Vec<Pubkey>,
    stable_accounts: Vec<Pubkey>,
    open_claims: Vec<u64>,
    nonce: u64,
    inputs: [u64; 4],
    /// The holder's trades at the program's prices (units at the trade's price, anchor at par).
    holder: Flows,
    /// Depositors, insurance and protocol stakers together, and each of them.
    lps: Flows,
    per_lp: BTreeMap<Pubkey, Flows>,
    /// The reserve's income observed from outside its book, and its marks' revaluations.
    income: u128,
    ops: u64,
    ok: BTreeMap<&'static str, u32>,
    refused: BTreeMap<String, u32>,
}

impl World {
    async fn new(seed: u64) -> Self {
        let mut fx = ReserveFixture::new().await;
        let admin = fx.a.p.r.admin.insecure_clone();
        let ix = va::set_fee_recipient_ix(&admin.pubkey(), &fee_vault_pda());
        fx.env().send_ok(&[ix], &[&admin]).await;
        let second = fx.actor(DEPOSIT).await;
        let second_staker = fx.actor(STAKE).await;
        // a protocol-token staker, with a stable account for its rewards
        fx.create_protocol_token(1_000_000_000_000).await;
        let (key, tokens) = fx.protocol_holder(1_000_000_000).await;
        fx.env()
            .send_ok(&[stake_protocol_ix(&key.pubkey(), &tokens, 1_000_000_000)], &[&key])
            .await;
        let currency = fx.stable_mint();
        let stable = fx.env().create_ata(TokenProgram::Classic, &currency, &key.pubkey()).await;
        let pstaker = Actor { key, stable };

        let pool = fx.pool();
        let h = &fx.a;
        let depositors = vec![fx.depositor.clone(), second];
        let stakers = vec![fx.staker.clone(), second_staker];
        let unit_accounts = vec![
            fx.a.p.issuer_units,
            h.holder_units,
            collateral_pda(&pool),
            units_vault_pda(&pool),
        ];
        let mut stable_accounts = vec![
            h.holder_stable,
            fx.a.p.r.servicer_funds,
            vault_pda(&pool),
            va::stable_reserve_pda(),
            stable_vault_pda(),
            insurance_vault_pda(),
            rewards_vault_pda(),
            fee_vault_pda(),
            pstaker.stable,
        ];
        stable_accounts.extend(depositors.iter().chain(&stakers).map(|a| a.stable));
        let mut tracked = unit_accounts.clone();
        tracked.extend(&stable_accounts);
        tracked.extend([
            h.holder_anchor,
            anchor_vault_pda(),
            anchor_mint_pda(),
            unit_mint_pda(&pool),
            currency,
            backing_pda(),
            va::config_pda(),
            va::accepted_pool_pda(&pool),
            book_pda(),
            config_pda(),
            listed_pool_pda(&pool),
            pool,
            rwa_testkit::pricer::pool_pricing_pda(&pool),
            stake_vault_pda(),
            tokens,
        ]);
        for a in &depositors {
            tracked.push(position_pda(PositionKind::Deposit, &a.key.pubkey()));
        }
        for a in &stakers {
            tracked.push(position_pda(PositionKind::Insurance, &a.key.pubkey()));
        }
        tracked.push(position_pda(PositionKind::Protocol, &pstaker.key.pubkey()));
        let mut w = World {
            fx,
            rng: Lcg(seed),
            seed,
            depositors,
            stakers,
            pstakers: vec![pstaker],
            tracked,
            unit_accounts,
            stable_accounts,
            open_claims: vec![],
            nonce: 0,
            inputs: INPUTS_BPS,
            holder: Flows::default(),
            lps: Flows::default(),
            per_lp: BTreeMap::new(),
            income: 0,
            ops: 0,
            ok: BTreeMap::new(),
            refused: BTreeMap::new(),
        };
        // what the fixture's depositor and staker paid in
        let (d, st) = (w.depositors[0].key.pubkey(), w.stakers[0].key.pubkey());
        w.pay_in(d, DEPOSIT);
        w.pay_in(st, STAKE);
        w
    }

    fn env(&mut self) -> &mut TestEnv {
        self.fx.env()
    }

    fn pool(&self) -> Pubkey {
        self.fx.pool()
    }

    async fn bal(&mut self, account: Pubkey) -> u64 {
        self.env().token_balance(account).await
    }

    async fn snapshot(&mut self) -> Vec<Option<rwa_testkit::solana_sdk::account::Account>> {
        let mut out = vec![];
        for k in self.tracked.clone() {
            out.push(self.env().account(k).await);
        }
        for k in self.open_claims.clone() {
            let h = self.fx.a.holder.pubkey();
            out.push(self.env().account(claim_pda(&h, k)).await);
        }
        out
    }

    /// Sends `ixs`; on a refusal records its error's name and checks that no tracked account
    /// changed. Returns whether it succeeded.
    async fn attempt(
        &mut self,
        name: &'static str,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> bool {
        let before = self.snapshot().await;
        match self.env().send(ixs, signers).await {
            Ok(_) => {
                *self.ok.entry(name).or_default() += 1;
                true
            }
            Err(f) => {
                let programs: Vec<Pubkey> = ixs.iter().map(|i| i.program_id).collect();
                let decoded = decode_transaction_error(&f.error, &programs, &f.logs)
                    .map(|d| format!("{}::{}", d.program, d.name))
                    .or_else(|| token_error(&f));
                let named = decoded.clone().unwrap_or_else(|| format!("{:?}", f.error));
                // every refusal is one of the programs' named errors
                assert!(
                    decoded.is_some(),
                    "seed {}: {name} refused without a named error: {named}; logs:\n{}",
                    self.seed,
                    f.logs.join("\n")
                );
                let after = self.snapshot().await;
                for (i, (b, a)) in before.iter().zip(&after).enumerate() {
                    assert!(
                        b == a,
                        "seed {}: refused {name} ({named}) changed account #{i} {:?}",
                        self.seed,
                        self.tracked.get(i)
                    );
                }
                *self.refused.entry(format!("{name}: {named}")).or_default() += 1;
                false
            }
        }
    }

    async fn backing(&mut self) -> Backing {
        self.env().anchor_account(backing_pda()).await
    }

    async fn book(&mut self) -> ReserveBook {
        self.fx.book().await
    }

    async fn position(&mut self, kind: PositionKind, owner: &Pubkey) -> Option<Position> {
        let address = position_pda(kind, owner);
        self.env().account(address).await?;
        Some(self.env().anchor_account(address).await)
    }

    /// The unit price the pricer last published.
    async fn price(&mut self) -> Fixed {
        Fixed::from_raw(self.fx.a.p.pricing().await.rate.unit_price)
    }

    fn refresh_ixs(&self) -> Vec<Instruction> {
        vec![self.fx.a.p.refresh_ix(), va::refresh_backing_ix(&self.pool())]
    }

    /// Time passes (`secs`) and every publisher submits every input, each moved by up to 2%.
    async fn publish(&mut self, secs: i64) {
        self.env().warp_seconds(secs).await;
        let now = self.env().clock().await.unix_timestamp;
        let ids = [BENCHMARK, GRADE_FEEDS.spread, GRADE_FEEDS.pd, GRADE_FEEDS.lgd];
        let bounds = [(300, 600), (200, 500), (150, 450), (3_500, 5_500)];
        for (i, id) in ids.iter().enumerate() {
            let cur = self.inputs[i];
            let step = self.rng.next(cur * 2 / 100 + 1);
            let next = if self.rng.next(2) == 0 { cur + step } else { cur.saturating_sub(step) };
            let next = next.clamp(bounds[i].0, bounds[i].1);
            self.inputs[i] = next;
            let value = bps(next);
            for p in self.fx.a.p.publishers.iter().map(|p| p.insecure_clone()).collect::<Vec<_>>() {
                let ix = submit_ix(&p.pubkey(), id, value, value / 10_000, now);
                self.attempt("publish", &[ix], &[&p]).await;
            }
        }
    }

    /// Checks invariants 1-3 after every operation.
    async fn check(&mut self, op: &str) {
        let seed = self.seed;
        let ctx = format!("seed {seed}, after {op} (op {})", self.ops);
        let pool = self.pool();
        // 1. value-anchor's backing
        let b = self.backing().await;
        let e = b.entries[0];
        assert_eq!(self.bal(va::stable_reserve_pda()).await, b.stable_reserve, "{ctx}: reserve");
        let supply = self.env().mint_supply(anchor_mint_pda()).await;
        assert_eq!(supply, b.anchor_supply, "{ctx}: anchor supply");
        assert_eq!(b.pools_value, b.entries.iter().map(|e| e.value).sum::<u64>(), "{ctx}");
        assert_eq!(b.total_backing, b.stable_reserve + b.pools_value, "{ctx}: total backing");
        assert_eq!(self.bal(collateral_pda(&pool)).await, e.units + e.reserved, "{ctx}: coll.");
        let h = self.fx.a.holder.pubkey();
        let mut owed = 0;
        for n in self.open_claims.clone() {
            let c: InKindClaim = self.env().anchor_account(claim_pda(&h, n)).await;
            owed += c.units_owed[0];
        }
        assert_eq!(owed, e.reserved, "{ctx}: claims owe the reserved units");
        // 2. units and stable conserved
        let mut units = 0;
        for a in self.unit_accounts.clone() {
            units += self.bal(a).await;
        }
        assert_eq!(self.env().mint_supply(unit_mint_pda(&pool)).await, units, "{ctx}: units");
        let mut stable = 0;
        for a in self.stable_accounts.clone() {
            stable += self.bal(a).await;
        }
        let currency = self.fx.stable_mint();
        assert_eq!(self.env().mint_supply(currency).await, stable, "{ctx}: stable");
        // 3. the reserve's vaults are its book; everything owed is held
        let book = self.book().await;
        assert_eq!(self.bal(stable_vault_pda()).await, book.cash, "{ctx}: stable vault");
        assert_eq!(self.bal(insurance_vault_pda()).await, book.insurance_cash, "{ctx}: ins.");
        assert_eq!(self.bal(rewards_vault_pda()).await, book.rewards_cash, "{ctx}: rewards");
        assert_eq!(self.bal(anchor_vault_pda()).await, book.anchor_held, "{ctx}: anchor vault");
        assert_eq!(self.bal(units_vault_pda(&pool)).await, book.holdings[0].units, "{ctx}: u.");
        let anchor_held = self.bal(self.fx.a.holder_anchor).await + book.anchor_held;
        assert_eq!(anchor_held, supply, "{ctx}: every anchor token is someone's");
        let na = net_assets(&book);
        let (mut dep_shares, mut dep_claim) = (0u64, 0u128);
        for a in self.depositors.clone() {
            if let Some(p) = self.position(PositionKind::Deposit, &a.key.pubkey()).await {
                dep_shares += p.shares;
                dep_claim += shares::assets_for_shares(p.shares, na, book.shares).unwrap() as u128;
            }
        }
        assert_eq!(dep_shares, book.shares, "{ctx}: deposit positions");
        assert!(dep_claim <= na as u128, "{ctx}: depositors claim {dep_claim} > {na}");
        let (mut ins_shares, mut ins_claim) = (0u64, 0u128);
        for a in self.stakers.clone() {
            if let Some(mut p) = self.position(PositionKind::Insurance, &a.key.pubkey()).await {
                p.sync_generation(book.insurance_generation);
                ins_shares += p.shares;
                ins_claim +=
                    shares::assets_for_shares(p.shares, book.insurance_cash, book.insurance_shares)
                        .unwrap() as u128;
            }
        }
        assert_eq!(ins_shares, book.insurance_shares, "{ctx}: insurance positions");
        assert!(ins_claim <= book.insurance_cash as u128, "{ctx}: insurance claims");
        let owed = self.rewards_owed(&book).await;
        assert!(owed <= book.rewards_cash as u128, "{ctx}: rewards {owed} owed");
    }

    /// The protocol stakers' rewards owed, settled to the book's accumulator.
    async fn rewards_owed(&mut self, book: &ReserveBook) -> u128 {
        let mut owed = 0u128;
        for a in self.pstakers.clone() {
            if let Some(mut p) = self.position(PositionKind::Protocol, &a.key.pubkey()).await {
                p.settle_rewards(Fixed::from_raw(book.reward_per_token)).unwrap();
                owed += p.rewards_owed as u128;
            }
        }
        owed
    }

    fn pay_in(&mut self, who: Pubkey, amount: u64) {
        self.lps.given += amount as u128;
        self.per_lp.entry(who).or_default().given += amount as u128;
    }

    fn pay_out(&mut self, who: Pubkey, amount: u64) {
        self.lps.received += amount as u128;
        self.per_lp.entry(who).or_default().received += amount as u128;
    }

    /// What the depositors, insurance and protocol stakers can still claim: in total, and each.
    async fn lp_claimable(&mut self) -> (u128, BTreeMap<Pubkey, u128>) {
        let book = self.book().await;
        let na = net_assets(&book);
        let mut each = BTreeMap::new();
        for a in self.depositors.clone() {
            let k = a.key.pubkey();
            if let Some(p) = self.position(PositionKind::Deposit, &k).await {
                let v = shares::assets_for_shares(p.shares, na, book.shares).unwrap();
                *each.entry(k).or_default() += v as u128;
            }
        }
        for a in self.stakers.clone() {
            let k = a.key.pubkey();
            if let Some(mut p) = self.position(PositionKind::Insurance, &k).await {
                p.sync_generation(book.insurance_generation);
                let (cash, total) = (book.insurance_cash, book.insurance_shares);
                let v = shares::assets_for_shares(p.shares, cash, total).unwrap();
                *each.entry(k).or_default() += v as u128;
            }
        }
        for a in self.pstakers.clone() {
            let k = a.key.pubkey();
            if let Some(mut p) = self.position(PositionKind::Protocol, &k).await {
                p.settle_rewards(Fixed::from_raw(book.reward_per_token)).unwrap();
                *each.entry(k).or_default() += p.rewards_owed as u128;
            }
        }
        (each.values().sum(), each)
    }

    /// One random operation; returns its name.
    async fn step(&mut self) -> &'static str {
        let holder = self.fx.a.holder.insecure_clone();
        let pool = self.pool();
        let currency = self.fx.stable_mint();
        let op = self.rng.next(22);
        let name = match op {
            0 => {
                let secs = 60 + self.rng.next(3_000) as i64;
                self.publish(secs).await;
                "publish"
            }
            1 => {
                let secs = 86_400 * (1 + self.rng.next(3) as i64);
                self.publish(secs).await;
                "publish after days"
            }
            2 => {
                let ixs = self.refresh_ixs();
                for (name, ix) in ["refresh_rate", "refresh_backing"].into_iter().zip(ixs) {
                    self.attempt(name, &[ix], &[]).await;
                }
                self.attempt("mark_holding", &[mark_holding_ix(&pool)], &[]).await;
                "refresh"
            }
            3 => {
                let units = self.bal(self.fx.a.holder_units).await;
                if units == 0 {
                    return "exchange (no units)";
                }
                let n = self.size(units.min(FACE / 40), units);
                let a0 = self.bal(self.fx.a.holder_anchor).await;
                let ixs = self.fx.a.exchange_ixs(n, 0);
                if self.attempt("exchange", &ixs, &[&holder]).await {
                    let got = self.bal(self.fx.a.holder_anchor).await - a0;
                    let price = self.price().await;
                    let value = price.mul_u64_floor(n).unwrap();
                    assert!(got <= value, "seed {}: exchange paid {got} > {value}", self.seed);
                    self.holder.given += value as u128;
                    self.holder.received += got as u128;
                    self.check_backed("exchange").await;
                }
                "exchange"
            }
            4 => {
                let stable = self.bal(self.fx.a.holder_stable).await;
                if stable == 0 {
                    return "mint_with_stable (no stable)";
                }
                let n = self.size(stable.min(FACE / 100), stable);
                let a0 = self.bal(self.fx.a.holder_anchor).await;
                let mut ixs = self.refresh_ixs();
                ixs.push(self.fx.a.mint_ix(n, 0));
                if self.attempt("mint_with_stable", &ixs, &[&holder]).await {
                    let got = self.bal(self.fx.a.holder_anchor).await - a0;
                    assert!(got <= n);
                    self.holder.given += n as u128;
                    self.holder.received += got as u128;
                    self.check_backed("mint_with_stable").await;
                }
                "mint_with_stable"
            }
            5 => {
                let anchor = self.bal(self.fx.a.holder_anchor).await;
                if anchor == 0 {
                    return "redeem_for_stable (no anchor)";
                }
                let n = self.size(anchor / 2, anchor);
                let s0 = self.bal(self.fx.a.holder_stable).await;
                let mut ixs = self.refresh_ixs();
                ixs.push(self.fx.a.redeem_ix(n, 0));
                if self.attempt("redeem_for_stable", &ixs, &[&holder]).await {
                    let got = self.bal(self.fx.a.holder_stable).await - s0;
                    let b = self.backing().await;
                    // the backing and supply the redemption saw (after the refreshes)
                    let (back, supply) = (b.total_backing + got, b.anchor_supply + n);
                    let fair = n as u128 * back.min(supply) as u128 / supply as u128 + 1;
                    assert!(got <= n && got as u128 <= fair, "seed {}: redeemed {got}", self.seed);
                    self.holder.given += n as u128;
                    self.holder.received += got as u128;
                }
                "redeem_for_stable"
            }
            6 => {
                let anchor = self.bal(self.fx.a.holder_anchor).await;
                if anchor == 0 {
                    return "redeem_in_kind (no anchor)";
                }
                let n = self.size(anchor / 2, anchor);
                let s0 = self.bal(self.fx.a.holder_stable).await;
                let nonce = self.nonce;
                let mut ixs = self.refresh_ixs();
                ixs.push(self.fx.a.in_kind_ix(nonce, n));
                if self.attempt("redeem_in_kind", &ixs, &[&holder]).await {
                    self.nonce += 1;
                    let got = self.bal(self.fx.a.holder_stable).await - s0;
                    let h = holder.pubkey();
                    // no claim account when nothing in kind is owed
                    let owed = match self.env().account(claim_pda(&h, nonce)).await {
                        None => 0,
                        Some(_) => {
                            let c: InKindClaim =
                                self.env().anchor_account(claim_pda(&h, nonce)).await;
                            c.units_owed[0]
                        }
                    };
                    let b = self.backing().await;
                    let worth = Fixed::from_raw(b.entries[0].price).mul_u64_floor(owed).unwrap();
                    assert!(
                        got + worth <= n + 1,
                        "seed {}: in kind {got}+{worth} > {n}",
                        self.seed
                    );
                    self.holder.given += n as u128;
                    self.holder.received += (got + worth) as u128;
                    if owed > 0 {
                        self.open_claims.push(nonce);
                    }
                }
                "redeem_in_kind"
            }
            7 => {
                if self.open_claims.is_empty() {
                    return "claim_in_kind (none open)";
                }
                let i = self.rng.next(self.open_claims.len() as u64) as usize;
                let nonce = self.open_claims[i];
                let h = holder.pubkey();
                let ix = va::claim_in_kind_ix(&h, &pool, nonce, &self.fx.a.holder_units);
                if self.attempt("claim_in_kind", &[ix], &[&holder]).await {
                    let c = self.env().account(claim_pda(&h, nonce)).await;
                    let settled = match c {
                        None => true,
                        Some(_) => {
                            let c: InKindClaim =
                                self.env().anchor_account(claim_pda(&h, nonce)).await;
                            c.is_settled()
                        }
                    };
                    if settled {
                        self.open_claims.remove(i);
                    }
                }
                "claim_in_kind"
            }
            8 => {
                let units = self.bal(self.fx.a.holder_units).await;
                if units == 0 {
                    return "sell_to_reserve (no units)";
                }
                let n = self.size(units.min(FACE / 50), units);
                let s0 = self.bal(self.fx.a.holder_stable).await;
                let ixs = self.fx.refresh_and_sell_ixs(n, 0);
                if self.attempt("sell_to_reserve", &ixs, &[&holder]).await {
                    let paid = self.bal(self.fx.a.holder_stable).await - s0;
                    let value = self.price().await.mul_u64_floor(n).unwrap();
                    assert!(paid < value, "seed {}: sale paid {paid} >= {value}", self.seed);
                    self.holder.given += value as u128;
                    self.holder.received += paid as u128;
                    self.income += (value - paid) as u128;
                }
                "sell_to_reserve"
            }
            9 => {
                let anchor = self.bal(self.fx.a.holder_anchor).await;
                if anchor == 0 {
                    return "sell_anchor_to_reserve (no anchor)";
                }
                let n = self.size(anchor.min(FACE / 50), anchor);
                let s0 = self.bal(self.fx.a.holder_stable).await;
                let mut ixs = self.refresh_ixs();
                ixs.push(self.fx.sell_anchor_ix(n, 0));
                if self.attempt("sell_anchor_to_reserve", &ixs, &[&holder]).await {
                    let paid = self.bal(self.fx.a.holder_stable).await - s0;
                    assert!(paid <= n, "seed {}: bid paid {paid} > {n}", self.seed);
                    self.holder.given += n as u128;
                    self.holder.received += paid as u128;
                    self.income += (n - paid) as u128;
                }
                "sell_anchor_to_reserve"
            }
            10 => {
                let mut ixs = self.refresh_ixs();
                ixs.push(self.fx.redeem_anchor_ix());
                self.attempt("redeem_anchor", &ixs, &[]).await;
                "redeem_anchor"
            }
            11 => {
                let a = self.depositors[self.rng.next(2) as usize].clone();
                let balance = self.bal(a.stable).await;
                let n = self.size(balance.min(DEPOSIT / 4), balance);
                let mut ixs = vec![self.fx.a.p.refresh_ix(), mark_holding_ix(&pool)];
                ixs.push(self.fx.deposit_ix(&a, n));
                if self.attempt("deposit", &ixs, &[&a.key]).await {
                    self.pay_in(a.key.pubkey(), n);
                }
                "deposit"
            }
            12 => {
                let (kind, a) = if self.rng.next(2) == 0 {
                    (PositionKind::Deposit, self.depositors[self.rng.next(2) as usize].clone())
                } else {
                    (PositionKind::Insurance, self.stakers[self.rng.next(2) as usize].clone())
                };
                let Some(p) = self.position(kind, &a.key.pubkey()).await else {
                    return "request_exit (no position)";
                };
                let shares = self.rng.next(p.shares + 1);
                let ix = request_exit_ix(&a.key.pubkey(), kind, shares);
                self.attempt("request_exit", &[ix], &[&a.key]).await;
                "request_exit"
            }
            13 => {
                let a = self.depositors[self.rng.next(2) as usize].clone();
                let Some(p) = self.position(PositionKind::Deposit, &a.key.pubkey()).await else {
                    return "withdraw (no position)";
                };
                self.wait_for_window(&p, PARAMS.deposit_cooldown_secs).await;
                let shares = self.size(p.exiting, p.exiting);
                let s0 = self.bal(a.stable).await;
                let ixs = [
                    self.fx.a.p.refresh_ix(),
                    va::refresh_backing_ix(&pool),
                    mark_holding_ix(&pool),
                    self.fx.withdraw_ix(&a, shares),
                ];
                if self.attempt("withdraw", &ixs, &[&a.key]).await {
                    let out = self.bal(a.stable).await - s0;
                    let book = self.book().await;
                    let (na, total) = (net_assets(&book) + out, book.shares + shares);
                    let fair = shares as u128 * na as u128 / total as u128 + 1;
                    assert!(out as u128 <= fair, "seed {}: withdrew {out} > {fair}", self.seed);
                    self.pay_out(a.key.pubkey(), out);
                }
                "withdraw"
            }
            14 => {
                let a = self.stakers[self.rng.next(2) as usize].clone();
                let balance = self.bal(a.stable).await;
                let n = self.size(balance.min(STAKE / 2), balance);
                let ix = self.fx.stake_ix(&a, n, 0);
                if self.attempt("stake_insurance", &[ix], &[&a.key]).await {
                    self.pay_in(a.key.pubkey(), n);
                }
                "stake_insurance"
            }
            15 => {
                let a = self.stakers[self.rng.next(2) as usize].clone();
                let Some(p) = self.position(PositionKind::Insurance, &a.key.pubkey()).await else {
                    return "unstake_insurance (no position)";
                };
                self.wait_for_window(&p, PARAMS.stake_cooldown_secs).await;
                let shares = self.size(p.exiting, p.exiting);
                let s0 = self.bal(a.stable).await;
                let mut ixs = self.refresh_ixs();
                ixs.push(self.fx.unstake_insurance_ix(&a, shares));
                if self.attempt("unstake_insurance", &ixs, &[&a.key]).await {
                    let out = self.bal(a.stable).await - s0;
                    let book = self.book().await;
                    let (cash, total) = (book.insurance_cash + out, book.insurance_shares + shares);
                    let fair = shares as u128 * cash as u128 / total as u128 + 1;
                    assert!(out as u128 <= fair, "seed {}: unstaked {out} > {fair}", self.seed);
                    self.pay_out(a.key.pubkey(), out);
                }
                "unstake_insurance"
            }
            16 => {
                let mut ixs = self.refresh_ixs();
                ixs.push(self.fx.cover_ix());
                let i0 = self.book().await.insurance_cash;
                if self.attempt("cover_shortfall", &ixs, &[]).await {
                    // the cover leaves the insurance pool for value-anchor: the LPs' loss
                    let moved = i0 - self.book().await.insurance_cash;
                    let _ = moved;
                }
                "cover_shortfall"
            }
            17 => {
                let mut ixs = self.refresh_ixs();
                ixs.push(self.fx.a.sweep_ix(&fee_vault_pda()));
                self.attempt("sweep_fees", &ixs, &[]).await;
                let fees = self.bal(fee_vault_pda()).await;
                if self.attempt("distribute_fees", &[distribute_fees_ix(&currency)], &[]).await {
                    self.income += fees as u128;
                }
                "sweep_fees + distribute_fees"
            }
            18 => {
                let a = self.pstakers[0].clone();
                let book = self.book().await;
                let owed = self.rewards_owed(&book).await;
                let s0 = self.bal(a.stable).await;
                let ix = claim_rewards_ix(&a.key.pubkey(), &a.stable, &currency);
                if self.attempt("claim_rewards", &[ix], &[&a.key]).await {
                    let got = self.bal(a.stable).await - s0;
                    assert!(got as u128 <= owed, "seed {}: rewards {got} > {owed}", self.seed);
                    self.pay_out(a.key.pubkey(), got);
                }
                "claim_rewards"
            }
            19 => {
                let p = self.fx.pool_state().await;
                let outstanding = p.outstanding().unwrap_or(0);
                // now and then everything: the pool matures and can be collected
                let n = if self.rng.next(10) == 0 {
                    outstanding.max(1)
                } else {
                    self.size(outstanding / 6, outstanding)
                };
                let ix = self.fx.a.p.r.repay_ix(&pool, n);
                let servicer = self.fx.a.p.r.servicer.insecure_clone();
                self.attempt("record_repayment", &[ix], &[&servicer]).await;
                "record_repayment"
            }
            20 => {
                // credit events are rare: a default ends most of what the sequence can do
                let servicer = self.fx.a.p.r.servicer.insecure_clone();
                let s = servicer.pubkey();
                let (name, ix) = match self.rng.next(6) {
                    0 => ("mark_late", reg::mark_late_ix(&s, &pool)),
                    1 => ("declare_default", reg::declare_default_ix(&s, &pool)),
                    2 => {
                        let n = self.size(FACE / 20, FACE);
                        ("write_down", reg::write_down_ix(&s, &pool, n))
                    }
                    3 => {
                        let n = self.size(FACE / 20, FACE);
                        ("record_recovery", self.fx.a.p.r.recover_ix(&pool, n))
                    }
                    4 => {
                        // time runs to past the next unpaid due date (up to 40 days late)
                        let p = self.fx.pool_state().await;
                        let now = self.env().clock().await.unix_timestamp;
                        let due = p.schedule.iter().find(|c| c.outstanding() > 0).map(|c| c.due_ts);
                        let late = 1 + self.rng.next(40 * 86_400) as i64;
                        let to = due.map_or(now + late, |d| (d + late).max(now + 60));
                        self.publish(to - now).await;
                        // and, mostly, the servicer acts on it
                        match self.rng.next(3) {
                            0 => ("mark_late", reg::mark_late_ix(&s, &pool)),
                            1 => ("declare_default", reg::declare_default_ix(&s, &pool)),
                            _ => return "past a due date",
                        }
                    }
                    _ => return "credit event (skipped)",
                };
                self.attempt(name, &[ix], &[&servicer]).await;
                name
            }
            _ => {
                let ix = va::collect_ix(&pool, &currency);
                self.attempt("value-anchor collect", &[ix], &[]).await;
                // the reserve's collection: what it gets above the units' book value is income
                let (v0, c0) =
                    (self.book().await.holdings[0].value, self.bal(stable_vault_pda()).await);
                let ix = collect_ix(&pool, &currency);
                if self.attempt("reserve collect", &[ix], &[]).await {
                    let proceeds = self.bal(stable_vault_pda()).await - c0;
                    self.income += proceeds.saturating_sub(v0) as u128;
                }
                "collect"
            }
        };
        name
    }

    /// A random amount: mostly `1..=typical`, and now and then one base unit, `u64::MAX`, or
    /// more than the `have` the actor holds (refusals, rounding and overflow at the edges).
    fn size(&mut self, typical: u64, have: u64) -> u64 {
        match self.rng.next(20) {
            0 => 1,
            1 => u64::MAX,
            2 => have.saturating_add(1 + self.rng.next(have.max(1))),
            _ => 1 + self.rng.next(typical),
        }
    }

    /// If `p` has an exit in cooldown, time runs into its withdrawal window (inputs republished).
    async fn wait_for_window(&mut self, p: &Position, cooldown: u32) {
        let now = self.env().clock().await.unix_timestamp;
        let opens = p.exit_requested_at + cooldown as i64;
        if p.exiting > 0 && now < opens && self.rng.next(4) != 0 {
            let into = self.rng.next(86_400) as i64;
            self.publish(opens - now + into).await;
        }
    }

    /// Invariant 4 on the running totals: the holder never received more than it gave (at the
    /// trades' prices, anchor at par); the LPs' receipts plus what they can claim are at most
    /// what they paid in plus the reserve's observed income, plus one base unit per operation.
    async fn check_flows(&mut self, op: &str) {
        let seed = self.seed;
        let (got, gave) = (self.holder.received, self.holder.given);
        assert!(got <= gave, "seed {seed}, after {op}: holder received {got} > gave {gave}");
        let (claimable, each) = self.lp_claimable().await;
        let out = self.lps.received + claimable;
        let bound = self.lps.given + self.income + self.ops as u128;
        assert!(out <= bound, "seed {seed}, after {op}: LPs out {out} > bound {bound}");
        // and each of them: nobody takes another LP's money beyond the whole income
        for (k, f) in &self.per_lp {
            let out = f.received + each.get(k).copied().unwrap_or(0);
            let bound = f.given + self.income + self.ops as u128;
            assert!(out <= bound, "seed {seed}, after {op}: LP {k} out {out} > bound {bound}");
        }
    }

    /// After a successful mint: backing >= supply x (1 + overcollateral).
    async fn check_backed(&mut self, op: &str) {
        let b = self.backing().await;
        let over = va::PARAMS.overcollateral_bps;
        assert!(
            vam::is_backed(b.total_backing, b.anchor_supply, over),
            "seed {}: {op} left backing {} for supply {}",
            self.seed,
            b.total_backing,
            b.anchor_supply
        );
    }
}

/// A refusal by the SPL Token program (a transfer or burn beyond a balance), by its name.
fn token_error(f: &TxFailure) -> Option<String> {
    use rwa_testkit::solana_sdk::transaction::TransactionError;
    let TransactionError::InstructionError(_, InstructionError::Custom(code)) = f.error else {
        return None;
    };
    let program = rwa_testkit::failing_program(&f.logs)?;
    let token = [rwa_testkit::spl_token::ID, rwa_testkit::spl_token_2022::ID];
    token.contains(&program).then(|| {
        let name = match code {
            0 => "NotRentExempt".to_string(),
            1 => "InsufficientFunds".to_string(),
            4 => "OwnerMismatch".to_string(),
            other => format!("error {other}"),
        };
        format!("spl-token::{name}")
    })
}

/// The reserve's net assets as its shares are priced, with held anchor tokens at par (an upper
/// bound of what the program counts).
fn net_assets(book: &ReserveBook) -> u64 {
    book.cash + book.holdings[0].value + book.anchor_held
}

/// One sequence of `ops` operations; returns (successes, refusals) by name.
async fn run(seed: u64, ops: u64) -> World {
    let mut w = World::new(seed).await;
    // the haircut's surplus lets PSM mints pass the overcollateral check from the start
    let ixs = w.fx.a.exchange_ixs(va::HOLDER_UNITS / 8, 0);
    let holder = w.fx.a.holder.insecure_clone();
    if w.attempt("exchange", &ixs, &[&holder]).await {
        let n = va::HOLDER_UNITS / 8;
        let value = w.price().await.mul_u64_floor(n).unwrap();
        w.holder.given += value as u128;
        w.holder.received += (w.bal(w.fx.a.holder_anchor).await) as u128;
    }
    w.check("setup").await;
    let (claimable0, _) = w.lp_claimable().await;
    // the LPs' claims at the start are what they paid in, less the virtual shares' rounding
    assert!(claimable0 <= w.lps.given);
    for _ in 0..ops {
        w.ops += 1;
        let h0 = w.book().await.holdings[0];
        let name = w.step().await;
        w.check(name).await;
        // the revaluation of the units the reserve held before the operation (a mark, or the
        // price a sale or a share valuation re-marked them at): the LPs' price exposure
        let h1 = w.book().await.holdings[0];
        let at = |price: u128| Fixed::from_raw(price).mul_u64_floor(h0.units).unwrap();
        w.income += at(h1.price).saturating_sub(at(h0.price)) as u128;
        w.check_flows(name).await;
    }
    w
}

#[tokio::test]
async fn fuzz_random_sequences_through_the_real_programs_keep_every_invariant() {
    let sequences = env_u64("RWA_FUZZ_PROGRAM_SEQUENCES", 32);
    let ops = env_u64("RWA_FUZZ_PROGRAM_OPS", 48);
    let seed0 = env_u64("RWA_FUZZ_SEED", 1);
    let started = std::time::Instant::now();
    let (mut ran, mut ops_run) = (0u64, 0u64);
    let mut ok: BTreeMap<&'static str, u32> = BTreeMap::new();
    let mut refused: BTreeMap<String, u32> = BTreeMap::new();
    for i in 0..sequences {
        let seed = seed0.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(i);
        let w = run(seed, ops).await;
        ran += 1;
        ops_run += w.ops;
        for (k, v) in w.ok {
            *ok.entry(k).or_default() += v;
        }
        for (k, v) in w.refused {
            *refused.entry(k).or_default() += v;
        }
    }
    eprintln!(
        "fuzz (programs): {ran} sequences, {ops_run} operations in {:.1?}\nsucceeded: {ok:?}\nrefused: {refused:#?}",
        started.elapsed()
    );
    assert_eq!(ran, sequences);
    assert_eq!(ops_run, sequences * ops);
    // the sequences reach the protocol's flows, not just refusals
    for name in ["exchange", "mint_with_stable", "deposit", "sell_to_reserve", "publish"] {
        assert!(ok.get(name).copied().unwrap_or(0) > 0 || sequences < 4, "{name} never succeeded");
    }
}
