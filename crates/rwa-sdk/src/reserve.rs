//! Instruction builders and PDAs of the buyback-reserve program (exit curve, reserve capital,
//! insurance, the anchor-token bid, protocol token).
//!
//! The free functions assume classic SPL Token mints and the Token-2022 anchor token
//! ([`ANCHOR_TOKEN_PROGRAM`]), as the test fixtures use; the `*_with` forms take the token
//! programs, which [`crate::Sdk`] reads from the reserve's config and
//! listed pools.
use anchor_lang::prelude::Pubkey;
use buyback_reserve::{
    instruction, seeds,
    state::{PositionKind, ReserveParams},
    InitializeParams,
};
use solana_sdk::instruction::Instruction;

use crate::{
    anchor_ix,
    anchor_token::{self as va},
    pricer,
    registry::{self, unit_mint_pda, vault_pda},
};

const CLASSIC: Pubkey = anchor_spl::token::spl_token::ID;
use crate::anchor_token::ANCHOR_TOKEN_PROGRAM;

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &buyback_reserve::ID).0
}

/// The reserve config PDA (owner of every vault; signs every payment and CPI).
pub fn config_pda() -> Pubkey {
    pda(&[seeds::CONFIG])
}
/// The `ReserveBook` PDA.
pub fn book_pda() -> Pubkey {
    pda(&[seeds::BOOK])
}
/// The reserve capital's stable vault.
pub fn stable_vault_pda() -> Pubkey {
    pda(&[seeds::STABLE_VAULT])
}
/// The insurance pool's vault.
pub fn insurance_vault_pda() -> Pubkey {
    pda(&[seeds::INSURANCE_VAULT])
}
/// The fee vault (value-anchor's swept PSM fees).
pub fn fee_vault_pda() -> Pubkey {
    pda(&[seeds::FEE_VAULT])
}
/// The rewards vault (stable owed to protocol-token stakers).
pub fn rewards_vault_pda() -> Pubkey {
    pda(&[seeds::REWARDS_VAULT])
}
/// The anchor vault (anchor tokens the bid bought).
pub fn anchor_vault_pda() -> Pubkey {
    pda(&[seeds::ANCHOR_VAULT])
}
/// The protocol-token mint.
pub fn protocol_mint_pda() -> Pubkey {
    pda(&[seeds::PROTOCOL_MINT])
}
/// The protocol-token treasury.
pub fn treasury_pda() -> Pubkey {
    pda(&[seeds::TREASURY])
}
/// The protocol-token stake vault.
pub fn stake_vault_pda() -> Pubkey {
    pda(&[seeds::STAKE_VAULT])
}
/// The `ListedPool` PDA of `pool`.
pub fn listed_pool_pda(pool: &Pubkey) -> Pubkey {
    pda(&[seeds::LISTED_POOL, pool.as_ref()])
}
/// The reserve's unit account of `pool`.
pub fn units_vault_pda(pool: &Pubkey) -> Pubkey {
    pda(&[seeds::UNITS, pool.as_ref()])
}
/// `owner`'s `Position` of `kind` (deposit, insurance, protocol).
pub fn position_pda(kind: PositionKind, owner: &Pubkey) -> Pubkey {
    pda(&[seeds::POSITION, &[kind as u8], owner.as_ref()])
}

/// Appends read-only `pools` as remaining accounts.
pub fn with_pools(ix: Instruction, pools: &[Pubkey]) -> Instruction {
    crate::append_readonly(ix, pools)
}

/// `initialize` signed by `admin` with `program_data`, on value-anchor's reserve mint (classic
/// SPL Token).
pub fn initialize_ix(
    admin: &Pubkey,
    program_data: &Pubkey,
    stable_mint: &Pubkey,
    params: InitializeParams,
) -> Instruction {
    initialize_with_ix(admin, program_data, stable_mint, &CLASSIC, &ANCHOR_TOKEN_PROGRAM, params)
}

/// `initialize` on value-anchor's reserve mint under `token_program` and its anchor mint under
/// `anchor_token_program`.
pub fn initialize_with_ix(
    admin: &Pubkey,
    program_data: &Pubkey,
    stable_mint: &Pubkey,
    token_program: &Pubkey,
    anchor_token_program: &Pubkey,
    params: InitializeParams,
) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::Initialize {
            admin: *admin,
            program_data: *program_data,
            config: config_pda(),
            book: book_pda(),
            anchor_config: va::config_pda(),
            stable_mint: *stable_mint,
            anchor_mint: va::anchor_mint_pda(),
            stable_vault: stable_vault_pda(),
            insurance_vault: insurance_vault_pda(),
            fee_vault: fee_vault_pda(),
            rewards_vault: rewards_vault_pda(),
            anchor_vault: anchor_vault_pda(),
            token_program: *token_program,
            anchor_token_program: *anchor_token_program,
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params },
    )
}

crate::admin_instructions!(buyback_reserve);

/// `set_params(params)` by `admin`.
pub fn set_params_ix(admin: &Pubkey, params: ReserveParams) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::SetParams { admin: *admin, config: config_pda() },
        instruction::SetParams { params },
    )
}

/// `set_paused(paused)` by the guardian or admin `authority`.
pub fn set_paused_ix(authority: &Pubkey, paused: bool) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::SetPaused { authority: *authority, config: config_pda() },
        instruction::SetPaused { paused },
    )
}

/// `list_pool(cap)` of `pool` (classic SPL Token units) by `admin`.
pub fn list_pool_ix(admin: &Pubkey, pool: &Pubkey, cap: u64) -> Instruction {
    list_pool_with_ix(admin, pool, &CLASSIC, cap)
}

/// `list_pool(cap)` of `pool`, whose units live under `unit_token_program`, by `admin`.
pub fn list_pool_with_ix(
    admin: &Pubkey,
    pool: &Pubkey,
    unit_token_program: &Pubkey,
    cap: u64,
) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::ListPool {
            admin: *admin,
            config: config_pda(),
            book: book_pda(),
            pool: *pool,
            pricing: pricer::pool_pricing_pda(pool),
            unit_mint: unit_mint_pda(pool),
            listed_pool: listed_pool_pda(pool),
            units_vault: units_vault_pda(pool),
            unit_token_program: *unit_token_program,
            system_program: anchor_lang::system_program::ID,
        },
        instruction::ListPool { cap },
    )
}

/// `set_pool_cap(cap)` of `pool` by `admin`.
pub fn set_pool_cap_ix(admin: &Pubkey, pool: &Pubkey, cap: u64) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::SetPoolCap {
            admin: *admin,
            config: config_pda(),
            listed_pool: listed_pool_pda(pool),
        },
        instruction::SetPoolCap { cap },
    )
}

/// The accounts of a sale of `pool`'s units to the reserve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SellAccounts {
    /// The seller (signer).
    pub seller: Pubkey,
    /// The receivables pool.
    pub pool: Pubkey,
    /// The seller's unit account (the units come from it).
    pub seller_units: Pubkey,
    /// Where the payout goes (any account of the reserve stablecoin).
    pub seller_stable: Pubkey,
    /// The reserve stablecoin mint.
    pub stable_mint: Pubkey,
    /// The token program of the pool's units (the listed pool names it).
    pub unit_token_program: Pubkey,
    /// The token program of the reserve stablecoin (the reserve's config names it).
    pub token_program: Pubkey,
}

impl SellAccounts {
    /// `sell_to_reserve(units, min_out)`.
    pub fn ix(&self, units: u64, min_out: u64) -> Instruction {
        let pool = &self.pool;
        anchor_ix(
            buyback_reserve::ID,
            buyback_reserve::accounts::SellToReserve {
                seller: self.seller,
                seller_units: self.seller_units,
                seller_stable: self.seller_stable,
                config: config_pda(),
                book: book_pda(),
                listed_pool: listed_pool_pda(pool),
                pool: *pool,
                pricing: pricer::pool_pricing_pda(pool),
                pricer_config: pricer::config_pda(),
                unit_mint: unit_mint_pda(pool),
                units_vault: units_vault_pda(pool),
                stable_mint: self.stable_mint,
                stable_vault: stable_vault_pda(),
                insurance_vault: insurance_vault_pda(),
                unit_token_program: self.unit_token_program,
                token_program: self.token_program,
            },
            instruction::SellToReserve { units, min_out },
        )
    }
}

/// `sell_to_reserve` of `pool`'s units from `seller_units`, paid into `seller_stable` (classic
/// SPL Token).
pub fn sell_ix(
    seller: &Pubkey,
    pool: &Pubkey,
    seller_units: &Pubkey,
    seller_stable: &Pubkey,
    stable_mint: &Pubkey,
    units: u64,
    min_out: u64,
) -> Instruction {
    SellAccounts {
        seller: *seller,
        pool: *pool,
        seller_units: *seller_units,
        seller_stable: *seller_stable,
        stable_mint: *stable_mint,
        unit_token_program: CLASSIC,
        token_program: CLASSIC,
    }
    .ix(units, min_out)
}

/// `mark_holding()`: re-prices the reserve's holding of `pool` at the pricer's fresh price.
pub fn mark_holding_ix(pool: &Pubkey) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::MarkHolding {
            config: config_pda(),
            book: book_pda(),
            listed_pool: listed_pool_pda(pool),
            pool: *pool,
            pricing: pricer::pool_pricing_pda(pool),
            pricer_config: pricer::config_pda(),
        },
        instruction::MarkHolding {},
    )
}

/// `collect()` of the reserve's holding of a settled `pool` (classic SPL Token).
pub fn collect_ix(pool: &Pubkey, stable_mint: &Pubkey) -> Instruction {
    collect_with_ix(pool, stable_mint, &CLASSIC, &CLASSIC)
}

/// `collect()` with the pool's `unit_token_program` and the reserve's `token_program`.
pub fn collect_with_ix(
    pool: &Pubkey,
    stable_mint: &Pubkey,
    unit_token_program: &Pubkey,
    token_program: &Pubkey,
) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::Collect {
            config: config_pda(),
            book: book_pda(),
            listed_pool: listed_pool_pda(pool),
            pool: *pool,
            receivables_config: registry::config_pda(),
            unit_mint: unit_mint_pda(pool),
            units_vault: units_vault_pda(pool),
            pool_vault: vault_pda(pool),
            stable_mint: *stable_mint,
            stable_vault: stable_vault_pda(),
            unit_token_program: *unit_token_program,
            token_program: *token_program,
            receivables_program: receivables::ID,
        },
        instruction::Collect {},
    )
}

fn reserve_assets() -> buyback_reserve::accounts::ReserveAssets {
    buyback_reserve::accounts::ReserveAssets {
        config: config_pda(),
        book: book_pda(),
        anchor_config: va::config_pda(),
        anchor_backing: va::backing_pda(),
    }
}

/// The remaining accounts of a share valuation: the reserve's listed pools in slot order,
/// then value-anchor's accepted pools (needed while the reserve holds anchor tokens).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Valuation {
    /// Every listed pool, in holding-slot order.
    pub listed: Vec<Pubkey>,
    /// Every pool value-anchor accepts, in backing-slot order (empty while the reserve holds
    /// no anchor tokens).
    pub accepted: Vec<Pubkey>,
}

impl Valuation {
    /// `ix` with the valuation's pools appended.
    pub fn apply(&self, ix: Instruction) -> Instruction {
        with_pools(with_pools(ix, &self.listed), &self.accepted)
    }
}

/// `deposit(amount, min_shares)` of `depositor`'s stable (classic SPL Token).
pub fn deposit_ix(
    depositor: &Pubkey,
    depositor_stable: &Pubkey,
    stable_mint: &Pubkey,
    pools: &Valuation,
    amount: u64,
    min_shares: u64,
) -> Instruction {
    deposit_with_ix(depositor, depositor_stable, stable_mint, &CLASSIC, pools, amount, min_shares)
}

/// `deposit(amount, min_shares)` with the reserve's `token_program`.
pub fn deposit_with_ix(
    depositor: &Pubkey,
    depositor_stable: &Pubkey,
    stable_mint: &Pubkey,
    token_program: &Pubkey,
    pools: &Valuation,
    amount: u64,
    min_shares: u64,
) -> Instruction {
    let ix = anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::Deposit {
            depositor: *depositor,
            assets: reserve_assets(),
            position: position_pda(PositionKind::Deposit, depositor),
            depositor_stable: *depositor_stable,
            stable_mint: *stable_mint,
            stable_vault: stable_vault_pda(),
            token_program: *token_program,
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Deposit { amount, min_shares },
    );
    pools.apply(ix)
}

/// `withdraw(shares, min_out)` of `owner`'s deposit into `owner_stable` (classic SPL Token).
pub fn withdraw_ix(
    owner: &Pubkey,
    owner_stable: &Pubkey,
    stable_mint: &Pubkey,
    pools: &Valuation,
    shares: u64,
    min_out: u64,
) -> Instruction {
    withdraw_with_ix(owner, owner_stable, stable_mint, &CLASSIC, pools, shares, min_out)
}

/// `withdraw(shares, min_out)` with the reserve's `token_program`.
pub fn withdraw_with_ix(
    owner: &Pubkey,
    owner_stable: &Pubkey,
    stable_mint: &Pubkey,
    token_program: &Pubkey,
    pools: &Valuation,
    shares: u64,
    min_out: u64,
) -> Instruction {
    let ix = anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::Withdraw {
            owner: *owner,
            assets: reserve_assets(),
            position: position_pda(PositionKind::Deposit, owner),
            owner_stable: *owner_stable,
            stable_mint: *stable_mint,
            stable_vault: stable_vault_pda(),
            token_program: *token_program,
        },
        instruction::Withdraw { shares, min_out },
    );
    pools.apply(ix)
}

/// `request_exit(shares)` of `owner`'s position of `kind` (0 cancels).
pub fn request_exit_ix(owner: &Pubkey, kind: PositionKind, shares: u64) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::RequestExit {
            owner: *owner,
            config: config_pda(),
            book: book_pda(),
            position: position_pda(kind, owner),
        },
        instruction::RequestExit { shares },
    )
}

/// `stake_insurance(amount, min_shares)` of `staker`'s stable (classic SPL Token).
pub fn stake_insurance_ix(
    staker: &Pubkey,
    staker_stable: &Pubkey,
    stable_mint: &Pubkey,
    amount: u64,
    min_shares: u64,
) -> Instruction {
    stake_insurance_with_ix(staker, staker_stable, stable_mint, &CLASSIC, amount, min_shares)
}

/// `stake_insurance(amount, min_shares)` with the reserve's `token_program`.
pub fn stake_insurance_with_ix(
    staker: &Pubkey,
    staker_stable: &Pubkey,
    stable_mint: &Pubkey,
    token_program: &Pubkey,
    amount: u64,
    min_shares: u64,
) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::StakeInsurance {
            staker: *staker,
            config: config_pda(),
            book: book_pda(),
            position: position_pda(PositionKind::Insurance, staker),
            staker_stable: *staker_stable,
            stable_mint: *stable_mint,
            insurance_vault: insurance_vault_pda(),
            token_program: *token_program,
            system_program: anchor_lang::system_program::ID,
        },
        instruction::StakeInsurance { amount, min_shares },
    )
}

/// `unstake_insurance(shares, min_out)` into `owner_stable` (classic SPL Token); `accepted`
/// is value-anchor's accepted pools in backing-slot order.
pub fn unstake_insurance_ix(
    owner: &Pubkey,
    owner_stable: &Pubkey,
    stable_mint: &Pubkey,
    accepted: &[Pubkey],
    shares: u64,
    min_out: u64,
) -> Instruction {
    unstake_insurance_with_ix(owner, owner_stable, stable_mint, &CLASSIC, accepted, shares, min_out)
}

/// `unstake_insurance(shares, min_out)` with the reserve's `token_program`.
pub fn unstake_insurance_with_ix(
    owner: &Pubkey,
    owner_stable: &Pubkey,
    stable_mint: &Pubkey,
    token_program: &Pubkey,
    accepted: &[Pubkey],
    shares: u64,
    min_out: u64,
) -> Instruction {
    let ix = anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::UnstakeInsurance {
            owner: *owner,
            config: config_pda(),
            book: book_pda(),
            position: position_pda(PositionKind::Insurance, owner),
            owner_stable: *owner_stable,
            stable_mint: *stable_mint,
            insurance_vault: insurance_vault_pda(),
            anchor_config: va::config_pda(),
            anchor_backing: va::backing_pda(),
            token_program: *token_program,
        },
        instruction::UnstakeInsurance { shares, min_out },
    );
    with_pools(ix, accepted)
}

/// `cover_shortfall()` (classic SPL Token); `accepted` is value-anchor's accepted pools in
/// backing-slot order.
pub fn cover_shortfall_ix(stable_mint: &Pubkey, accepted: &[Pubkey]) -> Instruction {
    cover_shortfall_with_ix(stable_mint, &CLASSIC, accepted)
}

/// `cover_shortfall()` with the reserve's `token_program`.
pub fn cover_shortfall_with_ix(
    stable_mint: &Pubkey,
    token_program: &Pubkey,
    accepted: &[Pubkey],
) -> Instruction {
    let ix = anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::CoverShortfall {
            config: config_pda(),
            book: book_pda(),
            insurance_vault: insurance_vault_pda(),
            anchor_config: va::config_pda(),
            anchor_backing: va::backing_pda(),
            stable_mint: *stable_mint,
            anchor_stable_reserve: va::stable_reserve_pda(),
            anchor_mint: va::anchor_mint_pda(),
            token_program: *token_program,
            value_anchor_program: value_anchor::ID,
        },
        instruction::CoverShortfall {},
    );
    with_pools(ix, accepted)
}

/// `sell_anchor_to_reserve(amount, min_out)`: `seller`'s anchor tokens to the bid, paid into
/// `seller_stable` (classic SPL Token stablecoin, the [`ANCHOR_TOKEN_PROGRAM`] anchor token);
/// `accepted` is value-anchor's accepted pools.
#[allow(clippy::too_many_arguments)]
pub fn sell_anchor_ix(
    seller: &Pubkey,
    seller_anchor: &Pubkey,
    seller_stable: &Pubkey,
    stable_mint: &Pubkey,
    accepted: &[Pubkey],
    amount: u64,
    min_out: u64,
) -> Instruction {
    sell_anchor_with_ix(
        seller,
        seller_anchor,
        seller_stable,
        stable_mint,
        &CLASSIC,
        &ANCHOR_TOKEN_PROGRAM,
        accepted,
        amount,
        min_out,
    )
}

/// `sell_anchor_to_reserve(amount, min_out)` with the reserve's `token_program` and the anchor
/// mint's `anchor_token_program`.
#[allow(clippy::too_many_arguments)]
pub fn sell_anchor_with_ix(
    seller: &Pubkey,
    seller_anchor: &Pubkey,
    seller_stable: &Pubkey,
    stable_mint: &Pubkey,
    token_program: &Pubkey,
    anchor_token_program: &Pubkey,
    accepted: &[Pubkey],
    amount: u64,
    min_out: u64,
) -> Instruction {
    let ix = anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::SellAnchorToReserve {
            seller: *seller,
            seller_anchor: *seller_anchor,
            seller_stable: *seller_stable,
            config: config_pda(),
            book: book_pda(),
            anchor_config: va::config_pda(),
            anchor_backing: va::backing_pda(),
            anchor_mint: va::anchor_mint_pda(),
            anchor_vault: anchor_vault_pda(),
            stable_mint: *stable_mint,
            stable_vault: stable_vault_pda(),
            token_program: *token_program,
            anchor_token_program: *anchor_token_program,
        },
        instruction::SellAnchorToReserve { amount, min_out },
    );
    with_pools(ix, accepted)
}

fn anchor_holder(
    stable_mint: &Pubkey,
    token_program: &Pubkey,
    anchor_token_program: &Pubkey,
) -> buyback_reserve::accounts::AnchorHolder {
    buyback_reserve::accounts::AnchorHolder {
        config: config_pda(),
        book: book_pda(),
        anchor_config: va::config_pda(),
        anchor_backing: va::backing_pda(),
        anchor_mint: va::anchor_mint_pda(),
        stable_mint: *stable_mint,
        anchor_stable_reserve: va::stable_reserve_pda(),
        stable_vault: stable_vault_pda(),
        anchor_vault: anchor_vault_pda(),
        token_program: *token_program,
        anchor_token_program: *anchor_token_program,
        value_anchor_program: value_anchor::ID,
    }
}

/// The crank `redeem_anchor()` (classic SPL Token stablecoin, the [`ANCHOR_TOKEN_PROGRAM`]
/// anchor token), with value-anchor's `accepted` pools.
pub fn redeem_anchor_ix(stable_mint: &Pubkey, accepted: &[Pubkey]) -> Instruction {
    redeem_anchor_with_ix(stable_mint, &CLASSIC, &ANCHOR_TOKEN_PROGRAM, accepted)
}

/// The crank `redeem_anchor()` with the reserve's `token_program` and the anchor mint's
/// `anchor_token_program`.
pub fn redeem_anchor_with_ix(
    stable_mint: &Pubkey,
    token_program: &Pubkey,
    anchor_token_program: &Pubkey,
    accepted: &[Pubkey],
) -> Instruction {
    let ix = anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::RedeemAnchor {
            holder: anchor_holder(stable_mint, token_program, anchor_token_program),
        },
        instruction::RedeemAnchor {},
    );
    with_pools(ix, accepted)
}

/// The in-kind crank at the reserve's claim `nonce` (its `claims_opened`), rent paid by `payer`,
/// with value-anchor's `accepted` pools (classic SPL Token).
pub fn redeem_anchor_in_kind_ix(
    payer: &Pubkey,
    stable_mint: &Pubkey,
    accepted: &[Pubkey],
    nonce: u64,
) -> Instruction {
    let ix = anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::RedeemAnchorInKind {
            payer: *payer,
            holder: anchor_holder(stable_mint, &CLASSIC, &ANCHOR_TOKEN_PROGRAM),
            claim: va::claim_pda(&config_pda(), nonce),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::RedeemAnchorInKind {},
    );
    with_pools(ix, accepted)
}

/// `claim_anchor_units()`: `pool`'s units of the reserve's claim `nonce` into its holding
/// (classic SPL Token units).
pub fn claim_anchor_units_ix(pool: &Pubkey, nonce: u64) -> Instruction {
    claim_anchor_units_with_ix(pool, nonce, &CLASSIC)
}

/// `claim_anchor_units()` of a pool whose units live under `unit_token_program` (for
/// permissioned units, append the hook's accounts with
/// `transfer_hook::with_transfer_hook_accounts(ix, mint, attestor, &config_pda())`, or let
/// `Sdk::claim_anchor_units` find them from the chain).
pub fn claim_anchor_units_with_ix(
    pool: &Pubkey,
    nonce: u64,
    unit_token_program: &Pubkey,
) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::ClaimAnchorUnits {
            config: config_pda(),
            book: book_pda(),
            anchor_config: va::config_pda(),
            anchor_backing: va::backing_pda(),
            accepted_pool: va::accepted_pool_pda(pool),
            claim: va::claim_pda(&config_pda(), nonce),
            listed_pool: listed_pool_pda(pool),
            unit_mint: unit_mint_pda(pool),
            collateral: va::collateral_pda(pool),
            units_vault: units_vault_pda(pool),
            unit_token_program: *unit_token_program,
            value_anchor_program: value_anchor::ID,
        },
        instruction::ClaimAnchorUnits {},
    )
}

/// `distribute_fees()`: splits the fee vault (classic SPL Token).
pub fn distribute_fees_ix(stable_mint: &Pubkey) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::DistributeFees {
            config: config_pda(),
            book: book_pda(),
            fee_vault: fee_vault_pda(),
            stable_vault: stable_vault_pda(),
            insurance_vault: insurance_vault_pda(),
            rewards_vault: rewards_vault_pda(),
            stable_mint: *stable_mint,
            token_program: CLASSIC,
        },
        instruction::DistributeFees {},
    )
}

/// `create_protocol_token(supply)` by `admin`.
pub fn create_protocol_token_ix(admin: &Pubkey, supply: u64) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::CreateProtocolToken {
            admin: *admin,
            config: config_pda(),
            protocol_mint: protocol_mint_pda(),
            treasury: treasury_pda(),
            stake_vault: stake_vault_pda(),
            token_program: CLASSIC,
            system_program: anchor_lang::system_program::ID,
        },
        instruction::CreateProtocolToken { supply },
    )
}

/// `transfer_treasury(amount)` by `admin` into `destination`.
pub fn transfer_treasury_ix(admin: &Pubkey, destination: &Pubkey, amount: u64) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::TransferTreasury {
            admin: *admin,
            config: config_pda(),
            protocol_mint: protocol_mint_pda(),
            treasury: treasury_pda(),
            destination: *destination,
            token_program: CLASSIC,
        },
        instruction::TransferTreasury { amount },
    )
}

/// `stake_protocol(amount)` of `staker`'s protocol tokens.
pub fn stake_protocol_ix(staker: &Pubkey, staker_tokens: &Pubkey, amount: u64) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::StakeProtocol {
            staker: *staker,
            config: config_pda(),
            book: book_pda(),
            position: position_pda(PositionKind::Protocol, staker),
            staker_tokens: *staker_tokens,
            protocol_mint: protocol_mint_pda(),
            stake_vault: stake_vault_pda(),
            token_program: CLASSIC,
            system_program: anchor_lang::system_program::ID,
        },
        instruction::StakeProtocol { amount },
    )
}

/// `unstake_protocol(amount)` of `owner`'s stake into `owner_tokens`.
pub fn unstake_protocol_ix(owner: &Pubkey, owner_tokens: &Pubkey, amount: u64) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::UnstakeProtocol {
            owner: *owner,
            config: config_pda(),
            book: book_pda(),
            position: position_pda(PositionKind::Protocol, owner),
            owner_tokens: *owner_tokens,
            protocol_mint: protocol_mint_pda(),
            stake_vault: stake_vault_pda(),
            token_program: CLASSIC,
        },
        instruction::UnstakeProtocol { amount },
    )
}

/// `claim_rewards()` of `owner`'s staking rewards into `owner_stable` (classic SPL Token).
pub fn claim_rewards_ix(
    owner: &Pubkey,
    owner_stable: &Pubkey,
    stable_mint: &Pubkey,
) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::ClaimRewards {
            owner: *owner,
            config: config_pda(),
            book: book_pda(),
            position: position_pda(PositionKind::Protocol, owner),
            owner_stable: *owner_stable,
            stable_mint: *stable_mint,
            rewards_vault: rewards_vault_pda(),
            token_program: CLASSIC,
        },
        instruction::ClaimRewards {},
    )
}
