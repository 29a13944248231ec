//! The value-anchor program's builders (from `rwa_sdk::anchor_token`, re-exported) and a
//! fixture: the pricer fixture's pool accepted as collateral, value-anchor initialised on the
//! registry's currency (the reserve stablecoin), its anchor token a Token-2022 mint with
//! metadata (or, [`AnchorFixture::with_anchor_program`], a bare SPL Token mint), and a holder with
//! units, stable and an anchor account.
use value_anchor::{
    state::{AnchorParams, Backing, PoolParams},
    InitializeParams,
};

use crate::{
    authority::program_data_address,
    prelude::*,
    pricer::{self, PricedPool, INPUTS_BPS},
    registry::{unit_mint_pda, FACE},
};

pub use rwa_sdk::anchor_token::*;

/// The fixture's parameters: 5 bps PSM fees, 1% overcollateral, entries and prices 15 minutes
/// fresh, a global ceiling of twice the pool's face value.
pub const PARAMS: AnchorParams = AnchorParams {
    fee_in_bps: 5,
    fee_out_bps: 5,
    overcollateral_bps: 100,
    max_entry_age_secs: 900,
    max_price_age_secs: 900,
    global_ceiling: 2 * FACE,
};

/// The anchor token's metadata in the fixture (Token-2022 anchor mint).
pub const ANCHOR_NAME: &str = "RWA Anchor Dollar";
pub const ANCHOR_SYMBOL: &str = "RWAD";
pub const ANCHOR_URI: &str = "https://rwa.example/anchor.json";

/// value-anchor's `initialize` parameters for an anchor mint under `anchor_program`: the
/// fixture's metadata under Token-2022, none (empty strings) under SPL Token.
pub fn init_params(guardian: Pubkey, anchor_program: TokenProgram) -> InitializeParams {
    let text =
        |s: &str| if anchor_program == TokenProgram::Token2022 { s.into() } else { String::new() };
    InitializeParams {
        guardian,
        params: PARAMS,
        name: text(ANCHOR_NAME),
        symbol: text(ANCHOR_SYMBOL),
        uri: text(ANCHOR_URI),
    }
}

/// The fixture pool's parameters: 3% haircut, ceiling at face value, capacity of a fifth of
/// it per day.
pub const POOL_PARAMS: PoolParams = PoolParams {
    haircut_bps: 300,
    ceiling: FACE,
    capacity: FACE / 5,
    capacity_window_secs: 86_400,
};

/// The pricer fixture plus value-anchor over its pool, and a holder.
pub struct AnchorFixture {
    pub p: PricedPool,
    /// Every accepted pool, in backing-slot order.
    pub accepted: Vec<Pubkey>,
    pub holder: Keypair,
    /// The holder's unit, stable and anchor accounts.
    pub holder_units: Pubkey,
    pub holder_stable: Pubkey,
    pub holder_anchor: Pubkey,
    /// The anchor mint's token program.
    pub anchor_program: TokenProgram,
}

/// Units and stable the fixture's holder starts with.
pub const HOLDER_UNITS: u64 = FACE / 4;
pub const HOLDER_STABLE: u64 = FACE / 10;

impl AnchorFixture {
    /// The fixture with a Token-2022 anchor token carrying metadata (the protocol's default).
    pub async fn new() -> Self {
        Self::with_anchor_program(TokenProgram::Token2022).await
    }

    /// The fixture with the anchor mint under `anchor_program` (SPL Token: a bare mint).
    pub async fn with_anchor_program(anchor_program: TokenProgram) -> Self {
        let mut p = PricedPool::new().await;
        let admin = p.r.admin.insecure_clone();
        p.r.env.set_upgrade_authority(&value_anchor::ID, &admin.pubkey());
        let init = init_params(p.r.guardian.pubkey(), anchor_program);
        let currency = p.r.currency;
        let pool = p.pool;
        let ixs = [
            initialize_ix(
                &admin.pubkey(),
                &program_data_address(&value_anchor::ID),
                &currency,
                TokenProgram::Classic,
                anchor_program,
                init,
            ),
            accept_pool_ix(&admin.pubkey(), &pool, POOL_PARAMS),
        ];
        p.r.env.send_ok(&ixs, &[&admin]).await;
        let holder = p.r.env.funded_keypair(1_000_000_000).await;
        let holder_units =
            p.r.env
                .create_ata(TokenProgram::Classic, &unit_mint_pda(&pool), &holder.pubkey())
                .await;
        let holder_stable =
            p.r.env.create_ata(TokenProgram::Classic, &currency, &holder.pubkey()).await;
        let holder_anchor =
            p.r.env.create_ata(anchor_program, &anchor_mint_pda(), &holder.pubkey()).await;
        let issuer = p.r.issuer.insecure_clone();
        let issuer_units = p.issuer_units;
        p.r.env.transfer_tokens(&issuer_units, &holder_units, &issuer, HOLDER_UNITS).await;
        p.r.env
            .mint_tokens(TokenProgram::Classic, &currency, &holder_stable, &admin, HOLDER_STABLE)
            .await;
        AnchorFixture {
            p,
            accepted: vec![pool],
            holder,
            holder_units,
            holder_stable,
            holder_anchor,
            anchor_program,
        }
    }

    pub fn exchange_accounts(&self) -> ExchangeAccounts {
        let mut a = ExchangeAccounts::new(
            &self.holder.pubkey(),
            &self.p.pool,
            &self.holder_units,
            &self.holder_anchor,
        );
        a.accepted = self.accepted.clone();
        a.anchor_token_program = self.anchor_program.id();
        a
    }

    /// The fixture holder's PSM accounts.
    pub fn psm(&self) -> PsmAccounts {
        PsmAccounts {
            holder: self.holder.pubkey(),
            reserve_mint: self.p.r.currency,
            holder_stable: self.holder_stable,
            holder_anchor: self.holder_anchor,
            accepted: self.accepted.clone(),
            anchor_token_program: self.anchor_program.id(),
        }
    }

    /// `refresh_rate` then `exchange` in one transaction, as the SDK sends them.
    pub fn exchange_ixs(&self, units: u64, min_out: u64) -> [Instruction; 2] {
        [self.p.refresh_ix(), self.exchange_accounts().ix(units, min_out)]
    }

    pub fn mint_ix(&self, amount: u64, min_out: u64) -> Instruction {
        self.psm().mint_ix(amount, min_out)
    }

    pub fn redeem_ix(&self, amount: u64, min_out: u64) -> Instruction {
        self.psm().redeem_ix(amount, min_out)
    }

    /// The fixture holder's in-kind redemption of `amount` into claim `nonce` (the holder pays
    /// the claim's rent).
    pub fn in_kind_ix(&self, nonce: u64, amount: u64) -> Instruction {
        let h = self.holder.pubkey();
        self.psm().redeem_in_kind_with_ix(&TokenProgram::Classic.id(), &h, nonce, amount)
    }

    /// `receive_cover(max_amount)` by `payer` from `payer_stable`, with the fixture's pools.
    pub fn cover_ix(&self, payer: &Pubkey, payer_stable: &Pubkey, max_amount: u64) -> Instruction {
        receive_cover_ix(payer, payer_stable, &self.p.r.currency, &self.accepted, max_amount)
    }

    /// `sweep_fees()` into `fee_recipient`, with the fixture's pools.
    pub fn sweep_ix(&self, fee_recipient: &Pubkey) -> Instruction {
        sweep_fees_ix(fee_recipient, &self.p.r.currency, &self.accepted)
    }

    /// Accepts another active pool of the registry (grade 1) for pricing and as collateral.
    pub async fn accept_another_pool(&mut self, pool: &Pubkey) {
        let admin = self.p.r.admin.insecure_clone();
        let ixs = [
            pricer::create_pool_pricing_ix(
                &admin.pubkey(),
                pool,
                &crate::oracle::grade_pda(1),
                &crate::oracle::feed_pda(&pricer::BENCHMARK),
                pricer::PRICING,
            ),
            accept_pool_ix(&admin.pubkey(), pool, POOL_PARAMS),
        ];
        self.p.r.env.send_ok(&ixs, &[&admin]).await;
        self.accepted.push(*pool);
    }

    pub async fn backing(&mut self) -> Backing {
        self.p.r.env.anchor_account(backing_pda()).await
    }

    /// The pool defaults at its first due date, and rate and backing are refreshed with it.
    pub async fn default_and_refresh(&mut self) {
        self.p.at_first_due().await;
        self.p.declare_default().await;
        let ixs = [self.p.refresh_ix(), refresh_backing_ix(&self.p.pool)];
        self.p.r.env.send_ok(&ixs, &[]).await;
    }

    /// Republishes the oracle inputs and refreshes rate and backing of the fixture's pool.
    pub async fn refresh_all(&mut self, seconds: i64) {
        self.p.advance(seconds, INPUTS_BPS).await;
        let ixs = [self.p.refresh_ix(), refresh_backing_ix(&self.p.pool)];
        self.p.r.env.send_ok(&ixs, &[]).await;
    }
}
