//! Instruction builders for the receivables program and a registry fixture with one approved
//! issuer, shared by the integration tests and the smoke scenario.
use crate::prelude::*;
use receivables::{
    instruction, seeds,
    state::{AssetClass, IssuerLimits},
    CreatePoolParams, InitializeParams, ScheduledPayment,
};

pub const DAY: i64 = 86_400;
pub const FACE: u64 = 1_000_000_000_000; // 1,000,000.000000 currency units
pub const LIMITS: IssuerLimits = IssuerLimits { max_pools: 2, max_face_value: 3 * FACE };

pub fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::CONFIG], &receivables::ID).0
}

pub fn issuer_pda(authority: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::ISSUER, authority.as_ref()], &receivables::ID).0
}

pub fn pool_pda(authority: &Pubkey, index: u32) -> Pubkey {
    Pubkey::find_program_address(
        &[seeds::POOL, authority.as_ref(), &index.to_le_bytes()],
        &receivables::ID,
    )
    .0
}

pub fn unit_mint_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::UNIT_MINT, pool.as_ref()], &receivables::ID).0
}

pub fn vault_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::VAULT, pool.as_ref()], &receivables::ID).0
}

pub fn initialize_ix(admin: &Pubkey, guardian: Pubkey) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::Initialize {
            admin: *admin,
            config: config_pda(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params: InitializeParams { guardian } },
    )
}

pub fn approve_issuer_ix(admin: &Pubkey, issuer: &Pubkey, limits: IssuerLimits) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::ApproveIssuer {
            admin: *admin,
            config: config_pda(),
            issuer_authority: *issuer,
            issuer: issuer_pda(issuer),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::ApproveIssuer { params: limits },
    )
}

/// Twelve monthly payments of face/12 (plus interest in the last), starting in 30 days.
pub fn pool_params(now: i64, servicer: Pubkey) -> CreatePoolParams {
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
        servicer,
        doc_hash: [7; 32],
        uri: "https://issuer.example/pools/1/bundle.json".to_string(),
        schedule,
    }
}

pub fn create_pool_ix(
    issuer: &Pubkey,
    index: u32,
    currency_mint: &Pubkey,
    currency_program: TokenProgram,
    unit_program: TokenProgram,
    params: CreatePoolParams,
) -> Instruction {
    let pool = pool_pda(issuer, index);
    anchor_ix(
        receivables::ID,
        receivables::accounts::CreatePool {
            issuer_authority: *issuer,
            config: config_pda(),
            issuer: issuer_pda(issuer),
            pool,
            currency_mint: *currency_mint,
            unit_mint: unit_mint_pda(&pool),
            vault: vault_pda(&pool),
            currency_token_program: currency_program.id(),
            unit_token_program: unit_program.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::CreatePool { params },
    )
}

pub fn activate_pool_ix(
    issuer: &Pubkey,
    pool: &Pubkey,
    destination: &Pubkey,
    unit_program: TokenProgram,
) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::ActivatePool {
            issuer_authority: *issuer,
            config: config_pda(),
            issuer: issuer_pda(issuer),
            pool: *pool,
            unit_mint: unit_mint_pda(pool),
            destination: *destination,
            unit_token_program: unit_program.id(),
        },
        instruction::ActivatePool {},
    )
}

/// A started bank with the registry initialised, one approved issuer and a 6-decimal currency.
pub struct Registry {
    pub env: TestEnv,
    pub admin: Keypair,
    pub issuer: Keypair,
    pub servicer: Pubkey,
    pub currency: Pubkey,
    pub now: i64,
}

impl Registry {
    pub async fn new(currency_program: TokenProgram) -> Self {
        let mut env = TestEnv::start().await;
        let admin = env.funded_keypair(10_000_000_000).await;
        let issuer = env.funded_keypair(10_000_000_000).await;
        env.send_ok(&[initialize_ix(&admin.pubkey(), Pubkey::new_unique())], &[&admin]).await;
        env.send_ok(&[approve_issuer_ix(&admin.pubkey(), &issuer.pubkey(), LIMITS)], &[&admin])
            .await;
        let currency = env.create_mint(currency_program, 6, &admin.pubkey()).await;
        let now = env.clock().await.unix_timestamp;
        Registry { env, admin, issuer, servicer: Pubkey::new_unique(), currency, now }
    }

    /// Creates pool `index` with `params` under classic SPL Token for both mints.
    pub async fn create_pool(&mut self, index: u32, params: CreatePoolParams) -> Pubkey {
        let ix = create_pool_ix(
            &self.issuer.pubkey(),
            index,
            &self.currency,
            TokenProgram::Classic,
            TokenProgram::Classic,
            params,
        );
        self.env.send_ok(&[ix], &[&self.issuer]).await;
        pool_pda(&self.issuer.pubkey(), index)
    }
}
