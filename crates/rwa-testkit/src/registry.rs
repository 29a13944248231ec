//! Instruction builders for the receivables program and a registry fixture with one approved
//! issuer, shared by the integration tests and the smoke scenario.
use crate::{authority::program_data_address, prelude::*};
use receivables::{
    instruction, seeds,
    state::{ApprovalStatus, AssetClass, IssuerLimits},
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

pub fn servicer_pda(authority: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::SERVICER, authority.as_ref()], &receivables::ID).0
}

pub fn unit_mint_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::UNIT_MINT, pool.as_ref()], &receivables::ID).0
}

pub fn vault_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::VAULT, pool.as_ref()], &receivables::ID).0
}

/// `initialize` signed by `admin`, with `program_data` as the program's ProgramData account
/// (`program_data_address(&receivables::ID)` unless a test spoofs it).
pub fn initialize_ix(admin: &Pubkey, program_data: &Pubkey, guardian: Pubkey) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::Initialize {
            admin: *admin,
            program_data: *program_data,
            config: config_pda(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params: InitializeParams { guardian } },
    )
}

crate::authority::admin_instructions!(receivables);

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

pub fn approve_servicer_ix(admin: &Pubkey, servicer: &Pubkey) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::ApproveServicer {
            admin: *admin,
            config: config_pda(),
            servicer_authority: *servicer,
            servicer: servicer_pda(servicer),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::ApproveServicer {},
    )
}

/// The admin's accounts over one issuer record (`set_issuer_status`, `set_issuer_limits`).
fn issuer_admin_accounts(
    admin: &Pubkey,
    issuer: &Pubkey,
) -> receivables::accounts::SetIssuerStatus {
    receivables::accounts::SetIssuerStatus {
        admin: *admin,
        config: config_pda(),
        issuer: issuer_pda(issuer),
    }
}

pub fn set_issuer_status_ix(
    admin: &Pubkey,
    issuer: &Pubkey,
    status: ApprovalStatus,
) -> Instruction {
    let accounts = issuer_admin_accounts(admin, issuer);
    anchor_ix(receivables::ID, accounts, instruction::SetIssuerStatus { status })
}

pub fn set_issuer_limits_ix(admin: &Pubkey, issuer: &Pubkey, limits: IssuerLimits) -> Instruction {
    let accounts = issuer_admin_accounts(admin, issuer);
    anchor_ix(receivables::ID, accounts, instruction::SetIssuerLimits { limits })
}

/// `add_currency` of `mint` (under `program`) by `admin`.
pub fn add_currency_ix(admin: &Pubkey, mint: &Pubkey, program: TokenProgram) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::AddCurrency {
            admin: *admin,
            config: config_pda(),
            currency_mint: *mint,
            currency_token_program: program.id(),
        },
        instruction::AddCurrency {},
    )
}

pub fn remove_currency_ix(admin: &Pubkey, mint: &Pubkey) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::RemoveCurrency { admin: *admin, config: config_pda() },
        instruction::RemoveCurrency { mint: *mint },
    )
}

pub fn replace_servicer_ix(admin: &Pubkey, pool: &Pubkey, new_servicer: &Pubkey) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::ReplaceServicer {
            admin: *admin,
            config: config_pda(),
            pool: *pool,
            new_servicer: servicer_pda(new_servicer),
        },
        instruction::ReplaceServicer {},
    )
}

pub fn cancel_pool_ix(issuer: &Pubkey, pool: &Pubkey) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::CancelPool {
            issuer_authority: *issuer,
            issuer: issuer_pda(issuer),
            pool: *pool,
        },
        instruction::CancelPool {},
    )
}

pub fn admin_close_pool_ix(admin: &Pubkey, pool: &Pubkey, issuer: &Pubkey) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::AdminClosePool {
            admin: *admin,
            config: config_pda(),
            pool: *pool,
            issuer: issuer_pda(issuer),
        },
        instruction::AdminClosePool {},
    )
}

pub fn set_servicer_status_ix(
    admin: &Pubkey,
    servicer: &Pubkey,
    status: ApprovalStatus,
) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::SetServicerStatus {
            admin: *admin,
            config: config_pda(),
            servicer: servicer_pda(servicer),
        },
        instruction::SetServicerStatus { status },
    )
}

pub fn set_paused_ix(authority: &Pubkey, paused: bool) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::SetPaused { authority: *authority, config: config_pda() },
        instruction::SetPaused { paused },
    )
}

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
    }
}

pub fn create_pool_ix(
    issuer: &Pubkey,
    servicer: &Pubkey,
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
            servicer: servicer_pda(servicer),
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

pub fn append_schedule_ix(
    issuer: &Pubkey,
    pool: &Pubkey,
    payments: Vec<ScheduledPayment>,
) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::AppendSchedule { issuer_authority: *issuer, pool: *pool },
        instruction::AppendSchedule { payments },
    )
}

/// A currency mint and the token program it lives under.
#[derive(Clone, Copy, Debug)]
pub struct Currency {
    pub mint: Pubkey,
    pub program: TokenProgram,
}

/// `record_repayment` or `record_recovery` (pass `instruction::RecordRepayment { amount }` or
/// `instruction::RecordRecovery { amount }`) from the servicer's `source` account.
pub fn payment_ix(
    servicer: &Pubkey,
    pool: &Pubkey,
    currency: Currency,
    source: &Pubkey,
    data: impl anchor_lang::InstructionData,
) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::ReceivePayment {
            service: service_accounts(servicer, pool),
            vault: vault_pda(pool),
            currency_mint: currency.mint,
            source: *source,
            currency_token_program: currency.program.id(),
        },
        data,
    )
}

fn service_accounts(servicer: &Pubkey, pool: &Pubkey) -> receivables::accounts::ServicePool {
    receivables::accounts::ServicePool {
        servicer: *servicer,
        config: config_pda(),
        pool: *pool,
        servicer_record: servicer_pda(servicer),
    }
}

pub fn mark_late_ix(servicer: &Pubkey, pool: &Pubkey) -> Instruction {
    anchor_ix(receivables::ID, service_accounts(servicer, pool), instruction::MarkLate {})
}

pub fn declare_default_ix(servicer: &Pubkey, pool: &Pubkey) -> Instruction {
    anchor_ix(receivables::ID, service_accounts(servicer, pool), instruction::DeclareDefault {})
}

pub fn write_down_ix(servicer: &Pubkey, pool: &Pubkey, amount: u64) -> Instruction {
    anchor_ix(receivables::ID, service_accounts(servicer, pool), instruction::WriteDown { amount })
}

pub fn close_pool_ix(servicer: &Pubkey, pool: &Pubkey, issuer: &Pubkey) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::ClosePool {
            service: service_accounts(servicer, pool),
            issuer: issuer_pda(issuer),
        },
        instruction::ClosePool {},
    )
}

pub fn redeem_ix(
    holder: &Pubkey,
    pool: &Pubkey,
    currency: Currency,
    holder_units: &Pubkey,
    destination: &Pubkey,
    units: u64,
) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::Redeem {
            holder: *holder,
            config: config_pda(),
            pool: *pool,
            unit_mint: unit_mint_pda(pool),
            holder_units: *holder_units,
            vault: vault_pda(pool),
            currency_mint: currency.mint,
            destination: *destination,
            unit_token_program: TokenProgram::Classic.id(),
            currency_token_program: currency.program.id(),
        },
        instruction::Redeem { units },
    )
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
