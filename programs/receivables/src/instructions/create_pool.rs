use anchor_lang::prelude::*;
use anchor_spl::{
    token_2022::spl_token_2022::{self, extension::ExtensionType},
    token_2022_extensions::{
        spl_token_metadata_interface::state::TokenMetadata, transfer_hook_initialize,
        TransferHookInitialize,
    },
    token_interface::{Mint, TokenAccount, TokenInterface},
};
use rwa_guard::new_mint::NewMint;

use crate::{
    errors::ReceivablesError,
    seeds,
    state::{
        validate_schedule_shape, ApprovalStatus, AssetClass, CashFlow, Issuer, Pool, PoolStatus,
        RegistryConfig, Servicer, UnitAccess, MAX_UNIT_NAME_LEN, MAX_UNIT_SYMBOL_LEN,
    },
};

/// One scheduled payment as the issuer submits it.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScheduledPayment {
    pub due_ts: i64,
    pub amount: u64,
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct CreatePoolParams {
    pub asset_class: AssetClass,
    pub grade: u8,
    pub face_value: u64,
    pub unit_size: u64,
    pub doc_hash: [u8; 32],
    pub uri: String,
    pub schedule: Vec<ScheduledPayment>,
    /// Token-2022 units: the metadata name (1..=32 bytes) and symbol (1..=10 bytes) wallets
    /// show; the metadata URI is `uri`. Ignored for SPL Token units (no metadata).
    pub name: String,
    pub symbol: String,
    /// Open units move freely; permissioned units (Token-2022 only) move only to holders the
    /// chosen attestor attested, through the protocol's transfer hook.
    pub unit_access: UnitAccess,
}

#[derive(Accounts)]
pub struct CreatePool<'info> {
    #[account(mut)]
    pub issuer_authority: Signer<'info>,
    #[account(
        mut,
        seeds = [seeds::CONFIG],
        bump = config.bump,
        constraint = !config.paused @ ReceivablesError::Paused,
    )]
    pub config: Box<Account<'info, RegistryConfig>>,
    #[account(
        mut,
        seeds = [seeds::ISSUER, issuer_authority.key().as_ref()],
        bump = issuer.bump,
    )]
    pub issuer: Box<Account<'info, Issuer>>,
    #[account(
        init,
        payer = issuer_authority,
        space = 8 + Pool::INIT_SPACE,
        seeds = [
            seeds::POOL,
            issuer_authority.key().as_ref(),
            issuer.pools_created.to_le_bytes().as_ref(),
        ],
        bump,
    )]
    pub pool: Box<Account<'info, Pool>>,
    #[account(
        seeds = [seeds::SERVICER, servicer.authority.as_ref()],
        bump = servicer.bump,
        constraint = servicer.status == ApprovalStatus::Approved @ ReceivablesError::ServicerNotApproved,
    )]
    pub servicer: Box<Account<'info, Servicer>>,
    #[account(
        mint::token_program = currency_token_program,
        constraint = config.accepts_currency(&currency_mint.key()) @ ReceivablesError::CurrencyNotAccepted,
    )]
    pub currency_mint: Box<InterfaceAccount<'info, Mint>>,
    /// CHECK: created by the handler (`create_unit_mint`) at this PDA under
    /// `unit_token_program`, mint authority the pool, the currency's decimals.
    #[account(mut, seeds = [seeds::UNIT_MINT, pool.key().as_ref()], bump)]
    pub unit_mint: UncheckedAccount<'info>,
    #[account(
        init,
        payer = issuer_authority,
        seeds = [seeds::VAULT, pool.key().as_ref()],
        bump,
        token::mint = currency_mint,
        token::authority = pool,
        token::token_program = currency_token_program,
    )]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,
    pub currency_token_program: Interface<'info, TokenInterface>,
    pub unit_token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
    // Permissioned units only, as remaining accounts: the protocol's transfer-hook program,
    // the approved attestor (`Attestor` PDA) the mint will trust, and the mint gate and
    // extra-account-metas PDAs (writable) its `gate_mint` creates and checks.
}

#[event]
pub struct PoolCreated {
    pub pool: Pubkey,
    pub issuer: Pubkey,
    pub servicer: Pubkey,
    pub currency_mint: Pubkey,
    pub unit_mint: Pubkey,
    pub face_value: u64,
    pub grade: u8,
    pub cash_flows: u16,
    pub doc_hash: [u8; 32],
    pub unit_access: UnitAccess,
}

/// Validates the submitted (first chunk of the) schedule against `now` and returns it as stored.
/// (Grade, URI and unit size are checked by `Pool::invariant` once the pool is built; that the
/// whole schedule covers the face value, at activation.)
pub fn calculate_schedule(params: &CreatePoolParams, now: i64) -> Result<Vec<CashFlow>> {
    let schedule: Vec<CashFlow> = params
        .schedule
        .iter()
        .map(|p| CashFlow { due_ts: p.due_ts, amount: p.amount, paid: 0, written_off: 0 })
        .collect();
    validate_schedule_shape(&schedule)?;
    require!(schedule[0].due_ts > now, ReceivablesError::ScheduleNotSorted);
    Ok(schedule)
}

pub fn handler<'info>(
    ctx: Context<'info, CreatePool<'info>>,
    params: CreatePoolParams,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let schedule = calculate_schedule(&params, now)?;
    check_unit_metadata(&params, &ctx.accounts.unit_token_program.key())?;
    // Screened when accepted; extensions are fixed at mint creation, checked again for depth.
    rwa_guard::mint::check_mint(&ctx.accounts.currency_mint.to_account_info())?;

    let issuer = &mut ctx.accounts.issuer;
    let index = issuer.pools_created;
    issuer.reserve_pool(params.face_value)?;
    issuer.invariant()?;

    let config = &mut ctx.accounts.config;
    config.pool_count = config.pool_count.checked_add(1).ok_or(ReceivablesError::MathOverflow)?;

    let pool = &mut ctx.accounts.pool;
    pool.set_inner(Pool {
        issuer: issuer.authority,
        servicer: ctx.accounts.servicer.authority,
        currency_mint: ctx.accounts.currency_mint.key(),
        unit_mint: ctx.accounts.unit_mint.key(),
        vault: ctx.accounts.vault.key(),
        index,
        asset_class: params.asset_class,
        grade: params.grade,
        status: PoolStatus::Draft,
        face_value: params.face_value,
        unit_size: params.unit_size,
        units_minted: 0,
        total_repaid: 0,
        total_recovered: 0,
        doc_hash: params.doc_hash,
        uri: params.uri.clone(),
        schedule,
        bump: ctx.bumps.pool,
        unit_mint_bump: ctx.bumps.unit_mint,
        vault_bump: ctx.bumps.vault,
        defaulted_at: 0,
        version: 0,
    });
    pool.invariant()?;
    pool.check_schedule_bound()?;
    create_unit_mint(ctx.accounts, &params, ctx.bumps.unit_mint, ctx.remaining_accounts)?;
    let pool = &ctx.accounts.pool;

    emit!(PoolCreated {
        pool: pool.key(),
        issuer: pool.issuer,
        servicer: pool.servicer,
        currency_mint: pool.currency_mint,
        unit_mint: pool.unit_mint,
        face_value: pool.face_value,
        grade: pool.grade,
        cash_flows: pool.schedule.len() as u16,
        doc_hash: pool.doc_hash,
        unit_access: params.unit_access,
    });
    Ok(())
}

/// Metadata bounds (Token-2022 units), and permissioned units only under Token-2022.
pub fn check_unit_metadata(params: &CreatePoolParams, unit_program: &Pubkey) -> Result<()> {
    let token_2022 = *unit_program == spl_token_2022::ID;
    require!(
        token_2022 || params.unit_access == UnitAccess::Open,
        ReceivablesError::PermissionedUnitsNeedToken2022
    );
    if token_2022 {
        require!(
            (1..=MAX_UNIT_NAME_LEN).contains(&params.name.len())
                && (1..=MAX_UNIT_SYMBOL_LEN).contains(&params.symbol.len()),
            ReceivablesError::InvalidUnitMetadata
        );
    }
    Ok(())
}

/// Grade index as the letter wallets show (0 = A ... 4 = E).
pub fn grade_letter(grade: u8) -> String {
    char::from(b'A'.saturating_add(grade)).to_string()
}

/// Lower-case hex of the document hash.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[(b >> 4) as usize] as char, DIGITS[(b & 15) as usize] as char])
        .collect()
}

/// The Token-2022 metadata the unit mint carries: name, symbol, URI, and the pool's document
/// hash and grade as additional fields.
pub fn unit_metadata(params: &CreatePoolParams, mint: Pubkey) -> TokenMetadata {
    TokenMetadata {
        mint,
        name: params.name.clone(),
        symbol: params.symbol.clone(),
        uri: params.uri.clone(),
        additional_metadata: vec![
            ("doc_hash".to_string(), hex(&params.doc_hash)),
            ("grade".to_string(), grade_letter(params.grade)),
        ],
        ..Default::default()
    }
}

/// Creates the unit mint at its PDA, mint authority the pool, no freeze authority
/// (`rwa_guard::new_mint`). SPL Token: a bare mint. Token-2022: a metadata pointer to the mint
/// itself (no pointer authority) and the token metadata of [`unit_metadata`] (update authority:
/// the pool); permissioned units also name the protocol's transfer hook (no hook authority:
/// nobody can change it) and have the hook's `gate_mint` bind the mint to the attestor, signed
/// by the pool.
fn create_unit_mint<'info>(
    a: &CreatePool<'info>,
    params: &CreatePoolParams,
    mint_bump: u8,
    hook: &[AccountInfo<'info>],
) -> Result<()> {
    let program = a.unit_token_program.to_account_info();
    let mint = a.unit_mint.to_account_info();
    let pool = a.pool.to_account_info();
    let permissioned = params.unit_access == UnitAccess::Permissioned;
    let pool_key = pool.key();
    let mint_seeds: &[&[u8]] = &[seeds::UNIT_MINT, pool_key.as_ref(), &[mint_bump]];
    let index = a.pool.index.to_le_bytes();
    let pool_seeds: &[&[u8]] = &[seeds::POOL, a.pool.issuer.as_ref(), &index, &[a.pool.bump]];
    let new_mint = NewMint {
        payer: a.issuer_authority.to_account_info(),
        system_program: a.system_program.to_account_info(),
        token_program: program.clone(),
        mint: mint.clone(),
        mint_seeds,
        authority: pool.clone(),
        authority_seeds: pool_seeds,
        decimals: a.currency_mint.decimals,
    };
    let metadata = new_mint.is_token_2022().then(|| unit_metadata(params, mint.key()));
    let extensions: &[ExtensionType] =
        if permissioned { &[ExtensionType::TransferHook] } else { &[] };
    new_mint.create(metadata.as_ref(), extensions, || {
        if !permissioned {
            return Ok(());
        }
        transfer_hook_initialize(
            CpiContext::new(
                program.key(),
                TransferHookInitialize { token_program_id: program.clone(), mint: mint.clone() },
            ),
            None,
            Some(transfer_hook::ID),
        )
    })?;
    if permissioned {
        let [hook_program, attestor, mint_gate, extra_account_metas, ..] = hook else {
            return err!(ReceivablesError::TransferHookAccountsMissing);
        };
        require_keys_eq!(
            *hook_program.key,
            transfer_hook::ID,
            ReceivablesError::TransferHookAccountsMissing
        );
        transfer_hook::cpi::gate_mint(CpiContext::new_with_signer(
            transfer_hook::ID,
            transfer_hook::cpi::accounts::GateMint {
                payer: a.issuer_authority.to_account_info(),
                mint_authority: pool.clone(),
                mint: mint.clone(),
                attestor: attestor.clone(),
                mint_gate: mint_gate.clone(),
                extra_account_metas: extra_account_metas.clone(),
                token_program: program.clone(),
                system_program: a.system_program.to_account_info(),
            },
            &[pool_seeds],
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::MAX_SCHEDULE_LEN;

    const NOW: i64 = 1_800_000_000;

    fn params(schedule: Vec<ScheduledPayment>) -> CreatePoolParams {
        CreatePoolParams {
            asset_class: AssetClass::SmeLoan,
            grade: 0,
            face_value: 100,
            unit_size: 1,
            doc_hash: [0; 32],
            uri: String::new(),
            schedule,
            name: String::new(),
            symbol: String::new(),
            unit_access: UnitAccess::Open,
        }
    }

    fn monthly(n: usize, amount: u64) -> Vec<ScheduledPayment> {
        (1..=n as i64).map(|m| ScheduledPayment { due_ts: NOW + m * 2_592_000, amount }).collect()
    }

    #[test]
    fn a_sorted_future_schedule_covering_face_value_is_stored_unpaid() {
        let schedule = calculate_schedule(&params(monthly(4, 25)), NOW).unwrap();
        assert_eq!(schedule.len(), 4);
        assert!(schedule.iter().all(|cf| cf.paid == 0 && cf.amount == 25));
    }

    #[test]
    fn schedules_longer_than_the_maximum_are_refused() {
        let err = calculate_schedule(&params(monthly(MAX_SCHEDULE_LEN + 1, 1)), NOW).unwrap_err();
        assert_eq!(err, ReceivablesError::InvalidScheduleLength.into());
        assert!(calculate_schedule(&params(monthly(MAX_SCHEDULE_LEN, 2)), NOW).is_ok());
    }

    #[test]
    fn unit_metadata_carries_the_doc_hash_in_hex_and_the_grade_as_a_letter() {
        let mut p = params(monthly(1, 100));
        p.doc_hash = [0xab; 32];
        p.grade = 2;
        p.name = "Pool".into();
        p.symbol = "RWAU".into();
        let m = unit_metadata(&p, Pubkey::new_unique());
        assert_eq!(m.additional_metadata[0], ("doc_hash".into(), "ab".repeat(32)));
        assert_eq!(m.additional_metadata[1], ("grade".into(), "C".into()));
        assert!(check_unit_metadata(&p, &spl_token_2022::ID).is_ok());
        p.unit_access = UnitAccess::Permissioned;
        let classic = anchor_spl::token::spl_token::ID;
        let err = check_unit_metadata(&p, &classic).unwrap_err();
        assert_eq!(err, ReceivablesError::PermissionedUnitsNeedToken2022.into());
        p.symbol = "S".repeat(MAX_UNIT_SYMBOL_LEN + 1);
        let err = check_unit_metadata(&p, &spl_token_2022::ID).unwrap_err();
        assert_eq!(err, ReceivablesError::InvalidUnitMetadata.into());
    }

    #[test]
    fn a_schedule_starting_in_the_past_is_refused() {
        let mut payments = monthly(3, 10);
        payments[0].due_ts = NOW;
        let err = calculate_schedule(&params(payments), NOW).unwrap_err();
        assert_eq!(err, ReceivablesError::ScheduleNotSorted.into());
    }
}
