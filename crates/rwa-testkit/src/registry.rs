//! The receivables program's builders (from `rwa_sdk::registry`, re-exported) and a registry
//! fixture with one approved issuer, shared by the integration tests and the smoke scenario.
use crate::{authority::program_data_address, prelude::*};
use receivables::{
    instruction,
    state::{AssetClass, IssuerLimits, UnitAccess},
    CreatePoolParams, ScheduledPayment,
};

pub use rwa_sdk::registry::*;

pub const DAY: i64 = 86_400;
pub const FACE: u64 = 1_000_000_000_000; // 1,000,000.000000 currency units
pub const LIMITS: IssuerLimits = IssuerLimits { max_pools: 2, max_face_value: 3 * FACE };

/// Twelve monthly payments of face/12 (plus interest in the last), starting in 30 days.
pub fn pool_params(now: i64) -> CreatePoolParams {
    let schedule = (1..=12)
        .map(|m| ScheduledPayment {
            due_ts: now + 30 * DAY * m,
            amount: FACE / 12 + if m == 12 { FACE % 12 + 50_000_000_000 } else { 0 },
        })
        .collect();
    CreatePoolParams {
        asset_class: AssetClass::TradeReceivable,
        grade: 1,
        face_value: FACE,
        unit_size: 1,
        doc_hash: [7; 32],
        uri: "https://issuer.example/pools/1/bundle.json".to_string(),
        schedule,
        name: "Trade receivables pool 1".to_string(),
        symbol: "RWAU".to_string(),
        unit_access: UnitAccess::Open,
    }
}

/// A started bank with the registry initialised by its upgrade authority, `admin`, one
/// approved issuer, one approved servicer (funded with `SERVICER_FUNDS` of the currency) and an
/// accepted 6-decimal currency whose mint authority is the admin.
pub struct Registry {
    pub env: TestEnv,
    pub admin: Keypair,
    pub guardian: Keypair,
    pub issuer: Keypair,
    pub servicer: Keypair,
    /// The servicer's currency account.
    pub servicer_funds: Pubkey,
    pub currency: Pubkey,
    pub currency_program: TokenProgram,
    pub now: i64,
}

/// Currency the fixture's servicer starts with.
pub const SERVICER_FUNDS: u64 = 10 * FACE;

impl Registry {
    pub async fn new(currency_program: TokenProgram) -> Self {
        let mut env = TestEnv::start().await;
        let admin = env.funded_keypair(10_000_000_000).await;
        let issuer = env.funded_keypair(10_000_000_000).await;
        let servicer = env.funded_keypair(1_000_000_000).await;
        let guardian = env.funded_keypair(1_000_000_000).await;
        env.set_upgrade_authority(&receivables::ID, &admin.pubkey());
        let program_data = program_data_address(&receivables::ID);
        let init = initialize_ix(&admin.pubkey(), &program_data, guardian.pubkey());
        env.send_ok(&[init], &[&admin]).await;
        env.send_ok(&[approve_issuer_ix(&admin.pubkey(), &issuer.pubkey(), LIMITS)], &[&admin])
            .await;
        env.send_ok(&[approve_servicer_ix(&admin.pubkey(), &servicer.pubkey())], &[&admin]).await;
        let currency = env.create_mint(currency_program, 6, &admin.pubkey()).await;
        env.send_ok(&[add_currency_ix(&admin.pubkey(), &currency, currency_program)], &[&admin])
            .await;
        let servicer_funds = env.create_ata(currency_program, &currency, &servicer.pubkey()).await;
        env.mint_tokens(currency_program, &currency, &servicer_funds, &admin, SERVICER_FUNDS).await;
        let now = env.clock().await.unix_timestamp;
        Registry {
            env,
            admin,
            guardian,
            issuer,
            servicer,
            servicer_funds,
            currency,
            currency_program,
            now,
        }
    }

    /// The fixture's currency and its token program.
    pub fn currency(&self) -> Currency {
        Currency { mint: self.currency, program: self.currency_program }
    }

    /// Creates pool `index` with `params` in the fixture's currency (classic SPL Token units).
    pub async fn create_pool(&mut self, index: u32, params: CreatePoolParams) -> Pubkey {
        let ix = self.create_pool_ix(index, params);
        self.env.send_ok(&[ix], &[&self.issuer]).await;
        pool_pda(&self.issuer.pubkey(), index)
    }

    /// Creates and activates pool `index`; returns the pool and the issuer's unit account.
    pub async fn active_pool(&mut self, index: u32) -> (Pubkey, Pubkey) {
        let pool = self.create_pool(index, pool_params(self.now)).await;
        let issuer = self.issuer.pubkey();
        let units =
            self.env.create_ata(TokenProgram::Classic, &unit_mint_pda(&pool), &issuer).await;
        let ix = activate_pool_ix(&issuer, &pool, &units, TokenProgram::Classic);
        self.env.send_ok(&[ix], &[&self.issuer]).await;
        (pool, units)
    }

    /// The servicer repays `amount` into `pool` from its funds.
    pub fn repay_ix(&self, pool: &Pubkey, amount: u64) -> Instruction {
        let data = instruction::RecordRepayment { amount };
        payment_ix(&self.servicer.pubkey(), pool, self.currency(), &self.servicer_funds, data)
    }

    /// The servicer records a recovery of `amount` into `pool` from its funds.
    pub fn recover_ix(&self, pool: &Pubkey, amount: u64) -> Instruction {
        let data = instruction::RecordRecovery { amount };
        payment_ix(&self.servicer.pubkey(), pool, self.currency(), &self.servicer_funds, data)
    }

    /// `create_pool` of pool `index` by the fixture's issuer and servicer, in the fixture's
    /// currency, classic SPL Token units.
    pub fn create_pool_ix(&self, index: u32, params: CreatePoolParams) -> Instruction {
        create_pool_ix(
            &self.issuer.pubkey(),
            &self.servicer.pubkey(),
            index,
            &self.currency,
            self.currency_program,
            TokenProgram::Classic,
            params,
        )
    }

    /// `redeem` of `units` from the holder's unit account into its currency account.
    pub fn redeem_ix(
        &self,
        holder: &Pubkey,
        pool: &Pubkey,
        holder_units: &Pubkey,
        destination: &Pubkey,
        units: u64,
    ) -> Instruction {
        redeem_ix(holder, pool, self.currency(), holder_units, destination, units)
    }
}
