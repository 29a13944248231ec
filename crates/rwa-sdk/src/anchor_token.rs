//! Instruction builders and PDAs of the value-anchor program (the asset-backed stable token:
//! exchange, PSM, in-kind redemption, backing, cover, fees).
//!
//! The free functions and [`ExchangeAccounts::new`] assume classic SPL Token for the reserve
//! stablecoin and the units, and the Token-2022 anchor token ([`ANCHOR_TOKEN_PROGRAM`], the
//! protocol's default: it carries metadata), as the test fixtures use; the `*_with` forms and
//! the accounts structs take the token programs, which [`crate::Sdk`] reads from value-anchor's
//! config and accepted pools.
use anchor_lang::prelude::Pubkey;
use solana_sdk::instruction::Instruction;
use value_anchor::{
    instruction, seeds,
    state::{AnchorParams, PoolParams},
    InitializeParams,
};

use crate::{
    anchor_ix, pricer,
    registry::{self, unit_mint_pda, vault_pda},
    TokenProgram,
};

const CLASSIC: Pubkey = anchor_spl::token::spl_token::ID;

/// The anchor token's program the free builders assume: Token-2022, so that the anchor mint
/// carries its metadata (value-anchor's config names the one chosen at `initialize`).
pub const ANCHOR_TOKEN_PROGRAM: Pubkey = anchor_spl::token_2022::spl_token_2022::ID;

/// The value-anchor config PDA (mint authority of the anchor token, owner of the stable
/// reserve and every collateral account).
pub fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::CONFIG], &value_anchor::ID).0
}

/// The anchor-token mint PDA.
pub fn anchor_mint_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::ANCHOR_MINT], &value_anchor::ID).0
}

/// The stable reserve PDA (a reserve-stablecoin account).
pub fn stable_reserve_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::STABLE_RESERVE], &value_anchor::ID).0
}

/// The `Backing` PDA (the public proof of reserve).
pub fn backing_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::BACKING], &value_anchor::ID).0
}

/// The `AcceptedPool` PDA of `pool`.
pub fn accepted_pool_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::ACCEPTED_POOL, pool.as_ref()], &value_anchor::ID).0
}

/// The collateral account PDA of `pool` (its units held as backing).
pub fn collateral_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::COLLATERAL, pool.as_ref()], &value_anchor::ID).0
}

/// The `InKindClaim` PDA of `holder` at `nonce`.
pub fn claim_pda(holder: &Pubkey, nonce: u64) -> Pubkey {
    Pubkey::find_program_address(
        &[seeds::CLAIM, holder.as_ref(), &nonce.to_le_bytes()],
        &value_anchor::ID,
    )
    .0
}

/// `initialize` signed by `admin`, with `program_data` as the program's ProgramData account
/// (`program_data_address(&value_anchor::ID)`), binding `reserve_mint` and creating the stable
/// reserve under `token_program` and the anchor mint under `anchor_program` (Token-2022: with
/// the metadata of `params`; SPL Token: bare, `params`' name, symbol and URI empty).
pub fn initialize_ix(
    admin: &Pubkey,
    program_data: &Pubkey,
    reserve_mint: &Pubkey,
    token_program: TokenProgram,
    anchor_program: TokenProgram,
    params: InitializeParams,
) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::Initialize {
            admin: *admin,
            program_data: *program_data,
            config: config_pda(),
            reserve_mint: *reserve_mint,
            anchor_mint: anchor_mint_pda(),
            stable_reserve: stable_reserve_pda(),
            backing: backing_pda(),
            token_program: token_program.id(),
            anchor_token_program: anchor_program.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params },
    )
}

crate::admin_instructions!(value_anchor);

/// `set_params(params)` by `admin`.
pub fn set_params_ix(admin: &Pubkey, params: AnchorParams) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::SetParams { admin: *admin, config: config_pda() },
        instruction::SetParams { params },
    )
}

/// `set_paused(paused)` (minting) by the guardian or admin `authority`.
pub fn set_paused_ix(authority: &Pubkey, paused: bool) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::SetPaused { authority: *authority, config: config_pda() },
        instruction::SetPaused { paused },
    )
}

/// `accept_pool(params)` of `pool` (classic SPL Token units) by `admin`.
pub fn accept_pool_ix(admin: &Pubkey, pool: &Pubkey, params: PoolParams) -> Instruction {
    accept_pool_with_ix(admin, pool, TokenProgram::Classic, params)
}

/// `accept_pool(params)` of `pool`, whose units live under `unit_program`, by `admin`.
pub fn accept_pool_with_ix(
    admin: &Pubkey,
    pool: &Pubkey,
    unit_program: TokenProgram,
    params: PoolParams,
) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::AcceptPool {
            admin: *admin,
            config: config_pda(),
            backing: backing_pda(),
            pool: *pool,
            pricing: pricer::pool_pricing_pda(pool),
            unit_mint: unit_mint_pda(pool),
            accepted_pool: accepted_pool_pda(pool),
            collateral: collateral_pda(pool),
            unit_token_program: unit_program.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::AcceptPool { params },
    )
}

/// `set_pool_params(params, intake_open)` of `pool` by `admin`.
pub fn set_pool_params_ix(
    admin: &Pubkey,
    pool: &Pubkey,
    params: PoolParams,
    intake_open: bool,
) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::SetPoolParams {
            admin: *admin,
            config: config_pda(),
            accepted_pool: accepted_pool_pda(pool),
        },
        instruction::SetPoolParams { params, intake_open },
    )
}

fn pool_price(pool: &Pubkey) -> value_anchor::accounts::PoolPrice {
    value_anchor::accounts::PoolPrice {
        accepted_pool: accepted_pool_pda(pool),
        pricing: pricer::pool_pricing_pda(pool),
        pool: *pool,
        pricer_config: pricer::config_pda(),
    }
}

/// `ix` with every accepted pool's account appended (read-only, in backing-slot order), as
/// value-anchor's mints and stable redemptions take them.
pub fn with_pools(ix: Instruction, accepted: &[Pubkey]) -> Instruction {
    crate::append_readonly(ix, accepted)
}

/// The accounts of an exchange of `pool`'s units.
#[derive(Clone, Debug)]
pub struct ExchangeAccounts {
    /// The unit holder (signer).
    pub holder: Pubkey,
    /// The receivables pool.
    pub pool: Pubkey,
    /// The holder's unit account (the units come from it).
    pub holder_units: Pubkey,
    /// The holder's anchor-token account (the minted tokens go to it).
    pub holder_anchor: Pubkey,
    /// value-anchor's collateral account of the pool.
    pub collateral: Pubkey,
    /// The pool's unit mint.
    pub unit_mint: Pubkey,
    /// Every accepted pool, in backing-slot order (the remaining accounts).
    pub accepted: Vec<Pubkey>,
    /// The token program of the unit mint.
    pub unit_token_program: Pubkey,
    /// The token program of the anchor mint (value-anchor's config names it).
    pub anchor_token_program: Pubkey,
}

impl ExchangeAccounts {
    /// The accounts of `holder`'s exchange of `pool`'s units, classic SPL Token units and the
    /// [`ANCHOR_TOKEN_PROGRAM`], with `pool` as the only accepted pool (set `accepted`
    /// otherwise).
    pub fn new(
        holder: &Pubkey,
        pool: &Pubkey,
        holder_units: &Pubkey,
        holder_anchor: &Pubkey,
    ) -> Self {
        ExchangeAccounts {
            holder: *holder,
            pool: *pool,
            holder_units: *holder_units,
            holder_anchor: *holder_anchor,
            collateral: collateral_pda(pool),
            unit_mint: unit_mint_pda(pool),
            accepted: vec![*pool],
            unit_token_program: CLASSIC,
            anchor_token_program: ANCHOR_TOKEN_PROGRAM,
        }
    }

    /// `exchange(units, min_out)`.
    pub fn ix(&self, units: u64, min_out: u64) -> Instruction {
        let ix = anchor_ix(
            value_anchor::ID,
            value_anchor::accounts::Exchange {
                holder: self.holder,
                config: config_pda(),
                backing: backing_pda(),
                price: pool_price(&self.pool),
                unit_mint: self.unit_mint,
                holder_units: self.holder_units,
                collateral: self.collateral,
                anchor_mint: anchor_mint_pda(),
                holder_anchor: self.holder_anchor,
                stable_reserve: stable_reserve_pda(),
                unit_token_program: self.unit_token_program,
                anchor_token_program: self.anchor_token_program,
            },
            instruction::Exchange { units, min_out },
        );
        with_pools(ix, &self.accepted)
    }
}

/// `refresh_backing()`: re-prices `pool`'s backing entry at the pricer's fresh price.
pub fn refresh_backing_ix(pool: &Pubkey) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::RefreshBacking {
            config: config_pda(),
            backing: backing_pda(),
            price: pool_price(pool),
            anchor_mint: anchor_mint_pda(),
            stable_reserve: stable_reserve_pda(),
        },
        instruction::RefreshBacking {},
    )
}

fn psm_accounts(
    holder: &Pubkey,
    reserve_mint: &Pubkey,
    holder_stable: &Pubkey,
    holder_anchor: &Pubkey,
    token_program: &Pubkey,
    anchor_token_program: &Pubkey,
) -> value_anchor::accounts::Psm {
    value_anchor::accounts::Psm {
        holder: *holder,
        config: config_pda(),
        backing: backing_pda(),
        anchor_mint: anchor_mint_pda(),
        reserve_mint: *reserve_mint,
        stable_reserve: stable_reserve_pda(),
        holder_stable: *holder_stable,
        holder_anchor: *holder_anchor,
        token_program: *token_program,
        anchor_token_program: *anchor_token_program,
    }
}

/// The holder's PSM accounts: stable and anchor token accounts, and every accepted pool.
#[derive(Clone, Debug)]
pub struct PsmAccounts {
    /// The holder (signer).
    pub holder: Pubkey,
    /// The reserve stablecoin mint.
    pub reserve_mint: Pubkey,
    /// The holder's reserve-stablecoin account.
    pub holder_stable: Pubkey,
    /// The holder's anchor-token account.
    pub holder_anchor: Pubkey,
    /// Every accepted pool, in backing-slot order.
    pub accepted: Vec<Pubkey>,
    /// The anchor mint's token program (value-anchor's config names it).
    pub anchor_token_program: Pubkey,
}

impl PsmAccounts {
    fn ix(&self, token_program: &Pubkey, data: impl anchor_lang::InstructionData) -> Instruction {
        let accounts = psm_accounts(
            &self.holder,
            &self.reserve_mint,
            &self.holder_stable,
            &self.holder_anchor,
            token_program,
            &self.anchor_token_program,
        );
        with_pools(anchor_ix(value_anchor::ID, accounts, data), &self.accepted)
    }

    /// `mint_with_stable(amount, min_out)` (classic SPL Token reserve stablecoin).
    pub fn mint_ix(&self, amount: u64, min_out: u64) -> Instruction {
        self.mint_with_ix(&CLASSIC, amount, min_out)
    }

    /// `redeem_for_stable(amount, min_out)` (classic SPL Token reserve stablecoin).
    pub fn redeem_ix(&self, amount: u64, min_out: u64) -> Instruction {
        self.redeem_with_ix(&CLASSIC, amount, min_out)
    }

    /// `mint_with_stable(amount, min_out)` with value-anchor's `token_program`.
    pub fn mint_with_ix(&self, token_program: &Pubkey, amount: u64, min_out: u64) -> Instruction {
        self.ix(token_program, instruction::MintWithStable { amount, min_out })
    }

    /// `redeem_for_stable(amount, min_out)` with value-anchor's `token_program`.
    pub fn redeem_with_ix(&self, token_program: &Pubkey, amount: u64, min_out: u64) -> Instruction {
        self.ix(token_program, instruction::RedeemForStable { amount, min_out })
    }

    /// `redeem_in_kind(amount, nonce)` into claim `nonce`, whose rent `payer` pays, with
    /// value-anchor's `token_program` (the accepted pools are not needed).
    pub fn redeem_in_kind_with_ix(
        &self,
        token_program: &Pubkey,
        payer: &Pubkey,
        nonce: u64,
        amount: u64,
    ) -> Instruction {
        anchor_ix(
            value_anchor::ID,
            value_anchor::accounts::RedeemInKind {
                psm: psm_accounts(
                    &self.holder,
                    &self.reserve_mint,
                    &self.holder_stable,
                    &self.holder_anchor,
                    token_program,
                    &self.anchor_token_program,
                ),
                payer: *payer,
                claim: claim_pda(&self.holder, nonce),
                system_program: anchor_lang::system_program::ID,
            },
            instruction::RedeemInKind { amount, nonce },
        )
    }
}

/// `holder`'s in-kind redemption of `amount` into claim `nonce`, whose rent `payer` pays (the
/// holder itself, or anyone: both sign). Classic SPL Token stablecoin, the
/// [`ANCHOR_TOKEN_PROGRAM`] anchor token.
pub fn redeem_in_kind_ix(
    holder: &Pubkey,
    reserve_mint: &Pubkey,
    holder_stable: &Pubkey,
    holder_anchor: &Pubkey,
    payer: &Pubkey,
    nonce: u64,
    amount: u64,
) -> Instruction {
    let psm = PsmAccounts {
        holder: *holder,
        reserve_mint: *reserve_mint,
        holder_stable: *holder_stable,
        holder_anchor: *holder_anchor,
        accepted: vec![],
        anchor_token_program: ANCHOR_TOKEN_PROGRAM,
    };
    psm.redeem_in_kind_with_ix(&CLASSIC, payer, nonce, amount)
}

/// `claim_in_kind()`: `holder` collects `pool`'s units owed by claim `nonce` into
/// `holder_units` (classic SPL Token units).
pub fn claim_in_kind_ix(
    holder: &Pubkey,
    pool: &Pubkey,
    nonce: u64,
    holder_units: &Pubkey,
) -> Instruction {
    claim_in_kind_with_ix(holder, pool, nonce, holder_units, &CLASSIC)
}

/// `claim_in_kind()` of a pool whose units live under `unit_token_program`.
pub fn claim_in_kind_with_ix(
    holder: &Pubkey,
    pool: &Pubkey,
    nonce: u64,
    holder_units: &Pubkey,
    unit_token_program: &Pubkey,
) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::ClaimInKind {
            holder: *holder,
            config: config_pda(),
            backing: backing_pda(),
            accepted_pool: accepted_pool_pda(pool),
            claim: claim_pda(holder, nonce),
            unit_mint: unit_mint_pda(pool),
            collateral: collateral_pda(pool),
            holder_units: *holder_units,
            unit_token_program: *unit_token_program,
        },
        instruction::ClaimInKind {},
    )
}

/// `collect()` of a settled `pool`'s backing units into the stable reserve (classic SPL
/// Token everywhere).
pub fn collect_ix(pool: &Pubkey, reserve_mint: &Pubkey) -> Instruction {
    collect_with_ix(pool, reserve_mint, &CLASSIC, &CLASSIC)
}

/// `collect()` with the pool's `unit_token_program` and value-anchor's `token_program`.
pub fn collect_with_ix(
    pool: &Pubkey,
    reserve_mint: &Pubkey,
    unit_token_program: &Pubkey,
    token_program: &Pubkey,
) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::Collect {
            config: config_pda(),
            backing: backing_pda(),
            accepted_pool: accepted_pool_pda(pool),
            pool: *pool,
            receivables_config: registry::config_pda(),
            unit_mint: unit_mint_pda(pool),
            collateral: collateral_pda(pool),
            pool_vault: vault_pda(pool),
            reserve_mint: *reserve_mint,
            stable_reserve: stable_reserve_pda(),
            anchor_mint: anchor_mint_pda(),
            unit_token_program: *unit_token_program,
            token_program: *token_program,
            receivables_program: receivables::ID,
        },
        instruction::Collect {},
    )
}

/// `receive_cover(max_amount)`: `payer` covers the shortfall from `payer_stable` (classic SPL
/// Token); `accepted` is every accepted pool, in backing-slot order.
pub fn receive_cover_ix(
    payer: &Pubkey,
    payer_stable: &Pubkey,
    reserve_mint: &Pubkey,
    accepted: &[Pubkey],
    max_amount: u64,
) -> Instruction {
    let ix = anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::ReceiveCover {
            payer: *payer,
            payer_stable: *payer_stable,
            config: config_pda(),
            backing: backing_pda(),
            reserve_mint: *reserve_mint,
            stable_reserve: stable_reserve_pda(),
            anchor_mint: anchor_mint_pda(),
            token_program: TokenProgram::Classic.id(),
        },
        instruction::ReceiveCover { max_amount },
    );
    with_pools(ix, accepted)
}

/// `set_fee_recipient()` by `admin`: `sweep_fees` pays `fee_recipient`.
pub fn set_fee_recipient_ix(admin: &Pubkey, fee_recipient: &Pubkey) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::SetFeeRecipient {
            admin: *admin,
            config: config_pda(),
            fee_recipient: *fee_recipient,
        },
        instruction::SetFeeRecipient {},
    )
}

/// `sweep_fees()` into `fee_recipient` (classic SPL Token); `accepted` is every accepted pool,
/// in backing-slot order.
pub fn sweep_fees_ix(
    fee_recipient: &Pubkey,
    reserve_mint: &Pubkey,
    accepted: &[Pubkey],
) -> Instruction {
    let ix = anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::SweepFees {
            config: config_pda(),
            backing: backing_pda(),
            reserve_mint: *reserve_mint,
            stable_reserve: stable_reserve_pda(),
            fee_recipient: *fee_recipient,
            anchor_mint: anchor_mint_pda(),
            token_program: TokenProgram::Classic.id(),
        },
        instruction::SweepFees {},
    );
    with_pools(ix, accepted)
}
