//! Instruction builders and PDAs of the receivables program (issuer registry, pools, unit
//! mints, servicing, redemption).
use anchor_lang::prelude::Pubkey;
use receivables::{
    instruction, seeds,
    state::{ApprovalStatus, IssuerLimits},
    CreatePoolParams, InitializeParams, ScheduledPayment,
};
use solana_sdk::instruction::{AccountMeta, Instruction};

use crate::{anchor_ix, TokenProgram};

/// The registry config PDA.
pub fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::CONFIG], &receivables::ID).0
}

/// The `Issuer` record of `authority`.
pub fn issuer_pda(authority: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::ISSUER, authority.as_ref()], &receivables::ID).0
}

/// Pool `index` of the issuer `authority`.
pub fn pool_pda(authority: &Pubkey, index: u32) -> Pubkey {
    Pubkey::find_program_address(
        &[seeds::POOL, authority.as_ref(), &index.to_le_bytes()],
        &receivables::ID,
    )
    .0
}

/// The `Servicer` record of `authority`.
pub fn servicer_pda(authority: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::SERVICER, authority.as_ref()], &receivables::ID).0
}

/// The unit mint of `pool`.
pub fn unit_mint_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::UNIT_MINT, pool.as_ref()], &receivables::ID).0
}

/// The currency vault of `pool`.
pub fn vault_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::VAULT, pool.as_ref()], &receivables::ID).0
}

/// `initialize` signed by `admin`, with `program_data` as the program's ProgramData account
/// (`program_data_address(&receivables::ID)`).
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

crate::admin_instructions!(receivables);

/// `approve_issuer(limits)` of `issuer` by `admin`.
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

/// `approve_servicer()` of `servicer` by `admin`.
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

/// `set_issuer_status(status)` of `issuer` by `admin`.
pub fn set_issuer_status_ix(
    admin: &Pubkey,
    issuer: &Pubkey,
    status: ApprovalStatus,
) -> Instruction {
    let accounts = issuer_admin_accounts(admin, issuer);
    anchor_ix(receivables::ID, accounts, instruction::SetIssuerStatus { status })
}

/// `set_issuer_limits(limits)` of `issuer` by `admin`.
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

/// `remove_currency(mint)` by `admin`.
pub fn remove_currency_ix(admin: &Pubkey, mint: &Pubkey) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::RemoveCurrency { admin: *admin, config: config_pda() },
        instruction::RemoveCurrency { mint: *mint },
    )
}

/// `replace_servicer()`: `admin` hands `pool` to the approved servicer `new_servicer`.
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

/// `cancel_pool()` of a Draft `pool` by its issuer.
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

/// `admin_close_pool()` of a long-Defaulted `pool` of `issuer`, by `admin`.
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

/// `set_servicer_status(status)` of `servicer` by `admin`.
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

/// `set_paused(paused)` by the guardian or admin `authority`.
pub fn set_paused_ix(authority: &Pubkey, paused: bool) -> Instruction {
    anchor_ix(
        receivables::ID,
        receivables::accounts::SetPaused { authority: *authority, config: config_pda() },
        instruction::SetPaused { paused },
    )
}

/// `create_pool(params)`: pool `index` of `issuer`, serviced by `servicer`, in
/// `currency_mint` (under `currency_program`), its units under `unit_program`; open units
/// (for permissioned ones, [`create_permissioned_pool_ix`]).
pub fn create_pool_ix(
    issuer: &Pubkey,
    servicer: &Pubkey,
    index: u32,
    currency_mint: &Pubkey,
    currency_program: TokenProgram,
    unit_program: TokenProgram,
    params: CreatePoolParams,
) -> Instruction {
    create_pool_with_ix(
        issuer,
        servicer,
        index,
        currency_mint,
        currency_program,
        unit_program,
        None,
        params,
    )
}

/// `create_pool(params)` of a pool with permissioned units (`params.unit_access` =
/// `Permissioned`, Token-2022 units) whose holders `attestor` (an approved attestor's
/// authority key) attests: the hook program, attestor, mint gate and validation accounts.
pub fn create_permissioned_pool_ix(
    issuer: &Pubkey,
    servicer: &Pubkey,
    index: u32,
    currency_mint: &Pubkey,
    currency_program: TokenProgram,
    attestor: &Pubkey,
    params: CreatePoolParams,
) -> Instruction {
    create_pool_with_ix(
        issuer,
        servicer,
        index,
        currency_mint,
        currency_program,
        TokenProgram::Token2022,
        Some(attestor),
        params,
    )
}

#[allow(clippy::too_many_arguments)]
fn create_pool_with_ix(
    issuer: &Pubkey,
    servicer: &Pubkey,
    index: u32,
    currency_mint: &Pubkey,
    currency_program: TokenProgram,
    unit_program: TokenProgram,
    attestor: Option<&Pubkey>,
    params: CreatePoolParams,
) -> Instruction {
    use crate::transfer_hook as hook;
    let pool = pool_pda(issuer, index);
    let unit_mint = unit_mint_pda(&pool);
    let mut ix = anchor_ix(
        receivables::ID,
        receivables::accounts::CreatePool {
            issuer_authority: *issuer,
            config: config_pda(),
            issuer: issuer_pda(issuer),
            pool,
            servicer: servicer_pda(servicer),
            currency_mint: *currency_mint,
            unit_mint,
            vault: vault_pda(&pool),
            currency_token_program: currency_program.id(),
            unit_token_program: unit_program.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::CreatePool { params },
    );
    if let Some(attestor) = attestor {
        ix.accounts.extend([
            AccountMeta::new_readonly(transfer_hook::ID, false),
            AccountMeta::new_readonly(hook::attestor_pda(attestor), false),
            AccountMeta::new(hook::mint_gate_pda(&unit_mint), false),
            AccountMeta::new(hook::extra_account_metas_pda(&unit_mint), false),
        ]);
    }
    ix
}

/// `activate_pool()` by its issuer: every unit minted into `destination`.
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

/// `append_schedule(payments)` to a Draft `pool` by its issuer.
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
    /// The mint.
    pub mint: Pubkey,
    /// Its token program.
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

/// `record_repayment(amount)` into `pool` from the servicer's `source` account.
pub fn record_repayment_ix(
    servicer: &Pubkey,
    pool: &Pubkey,
    currency: Currency,
    source: &Pubkey,
    amount: u64,
) -> Instruction {
    payment_ix(servicer, pool, currency, source, instruction::RecordRepayment { amount })
}

/// `record_recovery(amount)` into a Defaulted `pool` from the servicer's `source` account.
pub fn record_recovery_ix(
    servicer: &Pubkey,
    pool: &Pubkey,
    currency: Currency,
    source: &Pubkey,
    amount: u64,
) -> Instruction {
    payment_ix(servicer, pool, currency, source, instruction::RecordRecovery { amount })
}

fn service_accounts(servicer: &Pubkey, pool: &Pubkey) -> receivables::accounts::ServicePool {
    receivables::accounts::ServicePool {
        servicer: *servicer,
        config: config_pda(),
        pool: *pool,
        servicer_record: servicer_pda(servicer),
    }
}

/// `mark_late()` of `pool` by its servicer.
pub fn mark_late_ix(servicer: &Pubkey, pool: &Pubkey) -> Instruction {
    anchor_ix(receivables::ID, service_accounts(servicer, pool), instruction::MarkLate {})
}

/// `declare_default()` of `pool` by its servicer.
pub fn declare_default_ix(servicer: &Pubkey, pool: &Pubkey) -> Instruction {
    anchor_ix(receivables::ID, service_accounts(servicer, pool), instruction::DeclareDefault {})
}

/// `write_down(amount)` of `pool` by its servicer.
pub fn write_down_ix(servicer: &Pubkey, pool: &Pubkey, amount: u64) -> Instruction {
    anchor_ix(receivables::ID, service_accounts(servicer, pool), instruction::WriteDown { amount })
}

/// `close_pool()` of `pool` (of `issuer`) by its servicer.
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

/// `redeem(units)` of `pool` (classic SPL Token units) from `holder_units`, paid into
/// `destination`.
pub fn redeem_ix(
    holder: &Pubkey,
    pool: &Pubkey,
    currency: Currency,
    holder_units: &Pubkey,
    destination: &Pubkey,
    units: u64,
) -> Instruction {
    redeem_with_ix(holder, pool, currency, TokenProgram::Classic, holder_units, destination, units)
}

/// `redeem(units)` of `pool`, whose units live under `unit_program`.
pub fn redeem_with_ix(
    holder: &Pubkey,
    pool: &Pubkey,
    currency: Currency,
    unit_program: TokenProgram,
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
            unit_token_program: unit_program.id(),
            currency_token_program: currency.program.id(),
        },
        instruction::Redeem { units },
    )
}
