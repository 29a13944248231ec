//! The buyback-reserve program's builders (from `rwa_sdk::reserve`, re-exported) and a fixture:
//! value-anchor's fixture (a priced pool accepted as collateral, a holder with units, stable and
//! anchor accounts) plus the reserve initialised over it, the pool listed, a depositor's capital
//! and an insurance staker's stake.
use buyback_reserve::{
    state::{PositionKind, ReserveBook, ReserveConfig, ReserveParams},
    InitializeParams,
};

use crate::{
    anchor_token::AnchorFixture, authority::program_data_address, prelude::*, registry::FACE,
};

pub use rwa_sdk::reserve::*;

/// The fixture's parameters: daily epochs with a budget of a tenth of the pool's face value,
/// a curve from 0.5-3% (by grade; 1% for the fixture's grade 1) to 10% with k = 2, a 30 bps
/// bid for up to 5% of face a day, prices 15 minutes fresh, 20% of discounts and 30% of fees
/// to insurance and 20% of fees to stakers, deposits 7 days + 2, stakes 10 days + 2 (Aave).
pub const PARAMS: ReserveParams = ReserveParams {
    epoch_secs: 86_400,
    sale_budget: FACE / 10,
    min_discount_bps: [50, 100, 150, 200, 300],
    max_discount_bps: 1_000,
    curve_exponent: 2,
    bid_band_bps: 30,
    bid_budget: FACE / 20,
    max_price_age_secs: 900,
    discount_to_insurance_bps: 2_000,
    fee_to_insurance_bps: 3_000,
    fee_to_stakers_bps: 2_000,
    deposit_cooldown_secs: 7 * 86_400,
    deposit_window_secs: 2 * 86_400,
    stake_cooldown_secs: 10 * 86_400,
    stake_window_secs: 2 * 86_400,
};
/// The fixture pool's cap: a fifth of its face value.
pub const POOL_CAP: u64 = FACE / 5;
/// The depositor's capital and the insurance staker's stake.
pub const DEPOSIT: u64 = FACE / 5;
pub const STAKE: u64 = FACE / 50;

/// A funded keypair with a stable account holding `stable`.
pub struct Actor {
    pub key: Keypair,
    pub stable: Pubkey,
}

/// value-anchor's fixture plus the reserve over the same pool: initialised by the shared
/// admin with `PARAMS`, the pool listed with `POOL_CAP`, `DEPOSIT` of capital from
/// `depositor` and `STAKE` in the insurance pool from `staker`. The value-anchor holder
/// (`a.holder`, with units) is the seller.
pub struct ReserveFixture {
    pub a: AnchorFixture,
    pub depositor: Actor,
    pub staker: Actor,
}

impl ReserveFixture {
    /// The fixture over a Token-2022 anchor token (the protocol's default).
    pub async fn new() -> Self {
        Self::with_anchor_program(TokenProgram::Token2022).await
    }

    /// The fixture over an anchor mint under `anchor_program`.
    pub async fn with_anchor_program(anchor_program: TokenProgram) -> Self {
        let mut fx = Self::over(AnchorFixture::with_anchor_program(anchor_program).await).await;
        let currency = fx.stable_mint();
        let (d, s) = (fx.depositor.key.insecure_clone(), fx.staker.key.insecure_clone());
        let deposit = fx.deposit_ix(&fx.depositor, DEPOSIT);
        let stake = stake_insurance_ix(&s.pubkey(), &fx.staker.stable, &currency, STAKE, 0);
        fx.env().send_ok(&[deposit], &[&d]).await;
        fx.env().send_ok(&[stake], &[&s]).await;
        fx
    }

    pub fn env(&mut self) -> &mut TestEnv {
        &mut self.a.p.r.env
    }

    pub fn stable_mint(&self) -> Pubkey {
        self.a.p.r.currency
    }

    pub fn pool(&self) -> Pubkey {
        self.a.p.pool
    }

    /// A funded actor with `stable` of the reserve stablecoin.
    pub async fn actor(&mut self, stable: u64) -> Actor {
        let admin = self.a.p.r.admin.insecure_clone();
        let currency = self.stable_mint();
        let key = self.env().funded_keypair(1_000_000_000).await;
        let account = self.env().create_ata(TokenProgram::Classic, &currency, &key.pubkey()).await;
        if stable > 0 {
            self.env()
                .mint_tokens(TokenProgram::Classic, &currency, &account, &admin, stable)
                .await;
        }
        Actor { key, stable: account }
    }

    /// The share valuation's remaining accounts as the reserve stands.
    pub fn valuation(&self) -> Valuation {
        Valuation { listed: vec![self.pool()], accepted: self.a.accepted.clone() }
    }

    pub fn deposit_ix(&self, who: &Actor, amount: u64) -> Instruction {
        let currency = self.stable_mint();
        deposit_ix(&who.key.pubkey(), &who.stable, &currency, &self.valuation(), amount, 0)
    }

    pub fn withdraw_ix(&self, who: &Actor, shares: u64) -> Instruction {
        let currency = self.stable_mint();
        withdraw_ix(&who.key.pubkey(), &who.stable, &currency, &self.valuation(), shares, 0)
    }

    /// The value-anchor holder sells `units` of the fixture pool, paid into its stable account.
    pub fn sell_ix(&self, units: u64, min_out: u64) -> Instruction {
        let h = &self.a;
        let (holder, pool, currency) = (h.holder.pubkey(), self.pool(), self.stable_mint());
        sell_ix(&holder, &pool, &h.holder_units, &h.holder_stable, &currency, units, min_out)
    }

    /// `refresh_rate` then the sale, as a client sends them.
    pub fn refresh_and_sell_ixs(&self, units: u64, min_out: u64) -> [Instruction; 2] {
        [self.a.p.refresh_ix(), self.sell_ix(units, min_out)]
    }

    /// The value-anchor holder sells `amount` anchor tokens to the bid.
    pub fn sell_anchor_ix(&self, amount: u64, min_out: u64) -> Instruction {
        let h = &self.a;
        let (holder, currency) = (h.holder.pubkey(), self.stable_mint());
        sell_anchor_with_ix(
            &holder,
            &h.holder_anchor,
            &h.holder_stable,
            &currency,
            &TokenProgram::Classic.id(),
            &h.anchor_program.id(),
            &h.accepted,
            amount,
            min_out,
        )
    }

    pub fn unstake_insurance_ix(&self, who: &Actor, shares: u64) -> Instruction {
        let currency = self.stable_mint();
        unstake_insurance_ix(&who.key.pubkey(), &who.stable, &currency, &self.a.accepted, shares, 0)
    }

    pub fn cover_ix(&self) -> Instruction {
        cover_shortfall_ix(&self.stable_mint(), &self.a.accepted)
    }

    /// Refreshes the pool's rate and marks the reserve's holding.
    pub fn mark_ixs(&self) -> [Instruction; 2] {
        [self.a.p.refresh_ix(), mark_holding_ix(&self.pool())]
    }

    /// Sends `ixs` signed by the value-anchor holder (the seller).
    pub async fn as_holder(&mut self, ixs: &[Instruction]) {
        let holder = self.a.holder.insecure_clone();
        self.env().send_ok(ixs, &[&holder]).await;
    }

    pub async fn book(&mut self) -> ReserveBook {
        self.env().anchor_account(book_pda()).await
    }

    pub async fn config(&mut self) -> ReserveConfig {
        self.env().anchor_account(config_pda()).await
    }

    pub async fn position(
        &mut self,
        kind: PositionKind,
        owner: &Pubkey,
    ) -> buyback_reserve::state::Position {
        self.env().anchor_account(position_pda(kind, owner)).await
    }

    /// The holder's stable balance.
    pub async fn holder_stable(&mut self) -> u64 {
        let account = self.a.holder_stable;
        self.env().token_balance(account).await
    }

    /// As [`new`](Self::new) without the capital: the reserve initialised and the pool listed,
    /// `depositor` and `staker` funded (`2 x DEPOSIT`, `2 x STAKE`) but nothing deposited or
    /// staked (an empty reserve and insurance pool).
    pub async fn without_capital() -> Self {
        Self::over(AnchorFixture::new().await).await
    }

    /// The reserve initialised over value-anchor's fixture `a`, the pool listed, `depositor`
    /// and `staker` funded.
    async fn over(mut a: AnchorFixture) -> Self {
        let admin = a.p.r.admin.insecure_clone();
        a.p.r.env.set_upgrade_authority(&buyback_reserve::ID, &admin.pubkey());
        let currency = a.p.r.currency;
        let pool = a.p.pool;
        let init = InitializeParams { guardian: a.p.r.guardian.pubkey(), params: PARAMS };
        let program_data = program_data_address(&buyback_reserve::ID);
        let ixs = [
            initialize_with_ix(
                &admin.pubkey(),
                &program_data,
                &currency,
                &TokenProgram::Classic.id(),
                &a.anchor_program.id(),
                init,
            ),
            list_pool_ix(&admin.pubkey(), &pool, POOL_CAP),
        ];
        a.p.r.env.send_ok(&ixs, &[&admin]).await;
        let mut fx = ReserveFixture {
            depositor: Actor { key: Keypair::new(), stable: Pubkey::default() },
            staker: Actor { key: Keypair::new(), stable: Pubkey::default() },
            a,
        };
        fx.depositor = fx.actor(2 * DEPOSIT).await;
        fx.staker = fx.actor(2 * STAKE).await;
        fx
    }

    /// Sends `ixs` signed by `who`.
    pub async fn send_as(&mut self, who: &Actor, ixs: &[Instruction]) {
        let key = who.key.insecure_clone();
        self.env().send_ok(ixs, &[&key]).await;
    }

    /// `who`'s stable balance.
    pub async fn stable_of(&mut self, who: &Actor) -> u64 {
        self.env().token_balance(who.stable).await
    }

    /// `who` stakes `amount` in the insurance pool.
    pub fn stake_ix(&self, who: &Actor, amount: u64, min_shares: u64) -> Instruction {
        let currency = self.stable_mint();
        stake_insurance_ix(&who.key.pubkey(), &who.stable, &currency, amount, min_shares)
    }

    /// The receivables pool as it stands.
    pub async fn pool_state(&mut self) -> receivables::state::Pool {
        let pool = self.pool();
        self.env().anchor_account(pool).await
    }

    /// The servicer repays everything the pool still owes: it matures.
    pub async fn repay_all(&mut self) {
        let outstanding = self.pool_state().await.outstanding().expect("outstanding");
        self.a.p.repay(outstanding).await;
    }

    /// The holder's anchor-token balance.
    pub async fn holder_anchor(&mut self) -> u64 {
        let account = self.a.holder_anchor;
        self.env().token_balance(account).await
    }

    /// The crank `redeem_anchor`, with value-anchor's accepted pools.
    pub fn redeem_anchor_ix(&self) -> Instruction {
        let (classic, anchor) = (TokenProgram::Classic.id(), self.a.anchor_program.id());
        redeem_anchor_with_ix(&self.stable_mint(), &classic, &anchor, &self.a.accepted)
    }

    /// The admin creates the protocol token with `supply` in the treasury.
    pub async fn create_protocol_token(&mut self, supply: u64) {
        let admin = self.a.p.r.admin.insecure_clone();
        let ix = create_protocol_token_ix(&admin.pubkey(), supply);
        self.env().send_ok(&[ix], &[&admin]).await;
    }

    /// A funded keypair and its protocol-token account, holding `tokens` the admin released
    /// from the treasury (the protocol token must exist).
    pub async fn protocol_holder(&mut self, tokens: u64) -> (Keypair, Pubkey) {
        let admin = self.a.p.r.admin.insecure_clone();
        let key = self.env().funded_keypair(1_000_000_000).await;
        let mint = protocol_mint_pda();
        let account = self.env().create_ata(TokenProgram::Classic, &mint, &key.pubkey()).await;
        let ix = transfer_treasury_ix(&admin.pubkey(), &account, tokens);
        self.env().send_ok(&[ix], &[&admin]).await;
        (key, account)
    }
}

impl Clone for Actor {
    fn clone(&self) -> Self {
        Actor { key: self.key.insecure_clone(), stable: self.stable }
    }
}
