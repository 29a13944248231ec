//! Instruction builders for the value-anchor program and a fixture: the pricer fixture's pool
//! accepted as collateral, value-anchor initialised on the registry's currency (the reserve
//! stablecoin), and a holder with units, stable and an anchor account.
use value_anchor::{
    instruction, seeds,
    state::{AnchorParams, Backing, PoolParams},
    InitializeParams,
};

use crate::{
    authority::program_data_address,
    prelude::*,
    pricer::{self, PricedPool, INPUTS_BPS},
    registry::{self, unit_mint_pda, vault_pda, FACE},
};

pub fn config_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::CONFIG], &value_anchor::ID).0
}

pub fn anchor_mint_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::ANCHOR_MINT], &value_anchor::ID).0
}

pub fn stable_reserve_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::STABLE_RESERVE], &value_anchor::ID).0
}

pub fn backing_pda() -> Pubkey {
    Pubkey::find_program_address(&[seeds::BACKING], &value_anchor::ID).0
}

pub fn accepted_pool_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::ACCEPTED_POOL, pool.as_ref()], &value_anchor::ID).0
}

pub fn collateral_pda(pool: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[seeds::COLLATERAL, pool.as_ref()], &value_anchor::ID).0
}

pub fn claim_pda(holder: &Pubkey, nonce: u64) -> Pubkey {
    Pubkey::find_program_address(
        &[seeds::CLAIM, holder.as_ref(), &nonce.to_le_bytes()],
        &value_anchor::ID,
    )
    .0
}

/// `initialize` signed by `admin`, with `program_data` as the program's ProgramData account
/// (`program_data_address(&value_anchor::ID)` unless a test spoofs it), binding
/// `reserve_mint` and creating the anchor mint and stable reserve under `token_program`.
pub fn initialize_ix(
    admin: &Pubkey,
    program_data: &Pubkey,
    reserve_mint: &Pubkey,
    token_program: TokenProgram,
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
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params },
    )
}

crate::authority::admin_instructions!(value_anchor);

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

/// The fixture pool's parameters: 3% haircut, ceiling at face value, capacity of a fifth of
/// it per day.
pub const POOL_PARAMS: PoolParams = PoolParams {
    haircut_bps: 300,
    ceiling: FACE,
    capacity: FACE / 5,
    capacity_window_secs: 86_400,
};

pub fn set_params_ix(admin: &Pubkey, params: AnchorParams) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::SetParams { admin: *admin, config: config_pda() },
        instruction::SetParams { params },
    )
}

pub fn set_paused_ix(authority: &Pubkey, paused: bool) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::SetPaused { authority: *authority, config: config_pda() },
        instruction::SetPaused { paused },
    )
}

pub fn accept_pool_ix(admin: &Pubkey, pool: &Pubkey, params: PoolParams) -> Instruction {
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
            unit_token_program: TokenProgram::Classic.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::AcceptPool { params },
    )
}

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
pub fn with_pools(mut ix: Instruction, accepted: &[Pubkey]) -> Instruction {
    ix.accounts.extend(
        accepted.iter().map(|p| solana_sdk::instruction::AccountMeta::new_readonly(*p, false)),
    );
    ix
}

/// The accounts of an exchange of `pool`'s units (classic SPL Token everywhere).
#[derive(Clone, Debug)]
pub struct ExchangeAccounts {
    pub holder: Pubkey,
    pub pool: Pubkey,
    pub holder_units: Pubkey,
    pub holder_anchor: Pubkey,
    pub collateral: Pubkey,
    pub unit_mint: Pubkey,
    /// Every accepted pool, in backing-slot order (the remaining accounts).
    pub accepted: Vec<Pubkey>,
}

impl ExchangeAccounts {
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
        }
    }

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
                unit_token_program: TokenProgram::Classic.id(),
                token_program: TokenProgram::Classic.id(),
            },
            instruction::Exchange { units, min_out },
        );
        with_pools(ix, &self.accepted)
    }
}

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
        token_program: TokenProgram::Classic.id(),
    }
}

/// The holder's PSM accounts: stable and anchor token accounts, and every accepted pool.
#[derive(Clone, Debug)]
pub struct PsmAccounts {
    pub holder: Pubkey,
    pub reserve_mint: Pubkey,
    pub holder_stable: Pubkey,
    pub holder_anchor: Pubkey,
    pub accepted: Vec<Pubkey>,
}

impl PsmAccounts {
    fn ix(&self, data: impl anchor_lang::InstructionData) -> Instruction {
        let accounts = psm_accounts(
            &self.holder,
            &self.reserve_mint,
            &self.holder_stable,
            &self.holder_anchor,
        );
        with_pools(anchor_ix(value_anchor::ID, accounts, data), &self.accepted)
    }

    pub fn mint_ix(&self, amount: u64, min_out: u64) -> Instruction {
        self.ix(instruction::MintWithStable { amount, min_out })
    }

    pub fn redeem_ix(&self, amount: u64, min_out: u64) -> Instruction {
        self.ix(instruction::RedeemForStable { amount, min_out })
    }
}

/// `holder`'s in-kind redemption of `amount` into claim `nonce`, whose rent `payer` pays (the
/// holder itself, or anyone: both sign).
pub fn redeem_in_kind_ix(
    holder: &Pubkey,
    reserve_mint: &Pubkey,
    holder_stable: &Pubkey,
    holder_anchor: &Pubkey,
    payer: &Pubkey,
    nonce: u64,
    amount: u64,
) -> Instruction {
    anchor_ix(
        value_anchor::ID,
        value_anchor::accounts::RedeemInKind {
            psm: psm_accounts(holder, reserve_mint, holder_stable, holder_anchor),
            payer: *payer,
            claim: claim_pda(holder, nonce),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::RedeemInKind { amount, nonce },
    )
}

pub fn claim_in_kind_ix(
    holder: &Pubkey,
    pool: &Pubkey,
    nonce: u64,
    holder_units: &Pubkey,
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
            unit_token_program: TokenProgram::Classic.id(),
        },
        instruction::ClaimInKind {},
    )
}

pub fn collect_ix(pool: &Pubkey, reserve_mint: &Pubkey) -> Instruction {
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
            unit_token_program: TokenProgram::Classic.id(),
            token_program: TokenProgram::Classic.id(),
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
}

/// Units and stable the fixture's holder starts with.
pub const HOLDER_UNITS: u64 = FACE / 4;
pub const HOLDER_STABLE: u64 = FACE / 10;

impl AnchorFixture {
    pub async fn new() -> Self {
        let mut p = PricedPool::new().await;
        let admin = p.r.admin.insecure_clone();
        p.r.env.set_upgrade_authority(&value_anchor::ID, &admin.pubkey());
        let init = InitializeParams { guardian: p.r.guardian.pubkey(), params: PARAMS };
        let currency = p.r.currency;
        let pool = p.pool;
        let ixs = [
            initialize_ix(
                &admin.pubkey(),
                &program_data_address(&value_anchor::ID),
                &currency,
                TokenProgram::Classic,
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
            p.r.env.create_ata(TokenProgram::Classic, &anchor_mint_pda(), &holder.pubkey()).await;
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
        let (currency, stable, anchor) =
            (self.p.r.currency, self.holder_stable, self.holder_anchor);
        redeem_in_kind_ix(&h, &currency, &stable, &anchor, &h, nonce, amount)
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
