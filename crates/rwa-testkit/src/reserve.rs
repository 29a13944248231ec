//! Instruction builders for the buyback-reserve program and a fixture: value-anchor's fixture
//! (a priced pool accepted as collateral, a holder with units, stable and anchor accounts) plus
//! the reserve initialised over it, the pool listed, a depositor's capital and an insurance
//! staker's stake.
use buyback_reserve::{
    instruction, seeds,
    state::{PositionKind, ReserveBook, ReserveConfig, ReserveParams},
    InitializeParams,
};
use solana_sdk::instruction::AccountMeta;

use crate::{
    anchor_token::{self as va, AnchorFixture},
    authority::program_data_address,
    prelude::*,
    pricer,
    registry::{self, unit_mint_pda, vault_pda, FACE},
};

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &buyback_reserve::ID).0
}

pub fn config_pda() -> Pubkey {
    pda(&[seeds::CONFIG])
}
pub fn book_pda() -> Pubkey {
    pda(&[seeds::BOOK])
}
pub fn stable_vault_pda() -> Pubkey {
    pda(&[seeds::STABLE_VAULT])
}
pub fn insurance_vault_pda() -> Pubkey {
    pda(&[seeds::INSURANCE_VAULT])
}
pub fn fee_vault_pda() -> Pubkey {
    pda(&[seeds::FEE_VAULT])
}
pub fn rewards_vault_pda() -> Pubkey {
    pda(&[seeds::REWARDS_VAULT])
}
pub fn anchor_vault_pda() -> Pubkey {
    pda(&[seeds::ANCHOR_VAULT])
}
pub fn protocol_mint_pda() -> Pubkey {
    pda(&[seeds::PROTOCOL_MINT])
}
pub fn treasury_pda() -> Pubkey {
    pda(&[seeds::TREASURY])
}
pub fn stake_vault_pda() -> Pubkey {
    pda(&[seeds::STAKE_VAULT])
}
pub fn listed_pool_pda(pool: &Pubkey) -> Pubkey {
    pda(&[seeds::LISTED_POOL, pool.as_ref()])
}
pub fn units_vault_pda(pool: &Pubkey) -> Pubkey {
    pda(&[seeds::UNITS, pool.as_ref()])
}
pub fn position_pda(kind: PositionKind, owner: &Pubkey) -> Pubkey {
    pda(&[seeds::POSITION, &[kind as u8], owner.as_ref()])
}

/// Appends read-only `pools` as remaining accounts.
pub fn with_pools(mut ix: Instruction, pools: &[Pubkey]) -> Instruction {
    ix.accounts.extend(pools.iter().map(|p| AccountMeta::new_readonly(*p, false)));
    ix
}

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

/// `initialize` signed by `admin` with `program_data`, on value-anchor's reserve mint (classic
/// SPL Token).
pub fn initialize_ix(
    admin: &Pubkey,
    program_data: &Pubkey,
    stable_mint: &Pubkey,
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
            token_program: TokenProgram::Classic.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Initialize { params },
    )
}

crate::authority::admin_instructions!(buyback_reserve);

pub fn set_params_ix(admin: &Pubkey, params: ReserveParams) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::SetParams { admin: *admin, config: config_pda() },
        instruction::SetParams { params },
    )
}

pub fn set_paused_ix(authority: &Pubkey, paused: bool) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::SetPaused { authority: *authority, config: config_pda() },
        instruction::SetPaused { paused },
    )
}

pub fn list_pool_ix(admin: &Pubkey, pool: &Pubkey, cap: u64) -> Instruction {
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
            unit_token_program: TokenProgram::Classic.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::ListPool { cap },
    )
}

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

/// `sell_to_reserve` of `pool`'s units from `seller_units`, paid into `seller_stable`.
pub fn sell_ix(
    seller: &Pubkey,
    pool: &Pubkey,
    seller_units: &Pubkey,
    seller_stable: &Pubkey,
    stable_mint: &Pubkey,
    units: u64,
    min_out: u64,
) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::SellToReserve {
            seller: *seller,
            seller_units: *seller_units,
            seller_stable: *seller_stable,
            config: config_pda(),
            book: book_pda(),
            listed_pool: listed_pool_pda(pool),
            pool: *pool,
            pricing: pricer::pool_pricing_pda(pool),
            pricer_config: pricer::config_pda(),
            unit_mint: unit_mint_pda(pool),
            units_vault: units_vault_pda(pool),
            stable_mint: *stable_mint,
            stable_vault: stable_vault_pda(),
            insurance_vault: insurance_vault_pda(),
            unit_token_program: TokenProgram::Classic.id(),
            token_program: TokenProgram::Classic.id(),
        },
        instruction::SellToReserve { units, min_out },
    )
}

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

pub fn collect_ix(pool: &Pubkey, stable_mint: &Pubkey) -> Instruction {
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
            unit_token_program: TokenProgram::Classic.id(),
            token_program: TokenProgram::Classic.id(),
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
#[derive(Clone, Debug, Default)]
pub struct Valuation {
    pub listed: Vec<Pubkey>,
    pub accepted: Vec<Pubkey>,
}

impl Valuation {
    fn apply(&self, ix: Instruction) -> Instruction {
        with_pools(with_pools(ix, &self.listed), &self.accepted)
    }
}

pub fn deposit_ix(
    depositor: &Pubkey,
    depositor_stable: &Pubkey,
    stable_mint: &Pubkey,
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
            token_program: TokenProgram::Classic.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::Deposit { amount, min_shares },
    );
    pools.apply(ix)
}

pub fn withdraw_ix(
    owner: &Pubkey,
    owner_stable: &Pubkey,
    stable_mint: &Pubkey,
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
            token_program: TokenProgram::Classic.id(),
        },
        instruction::Withdraw { shares, min_out },
    );
    pools.apply(ix)
}

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

pub fn stake_insurance_ix(
    staker: &Pubkey,
    staker_stable: &Pubkey,
    stable_mint: &Pubkey,
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
            token_program: TokenProgram::Classic.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::StakeInsurance { amount, min_shares },
    )
}

pub fn unstake_insurance_ix(
    owner: &Pubkey,
    owner_stable: &Pubkey,
    stable_mint: &Pubkey,
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
            token_program: TokenProgram::Classic.id(),
        },
        instruction::UnstakeInsurance { shares, min_out },
    );
    with_pools(ix, accepted)
}

pub fn cover_shortfall_ix(stable_mint: &Pubkey, accepted: &[Pubkey]) -> Instruction {
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
            token_program: TokenProgram::Classic.id(),
            value_anchor_program: value_anchor::ID,
        },
        instruction::CoverShortfall {},
    );
    with_pools(ix, accepted)
}

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
            token_program: TokenProgram::Classic.id(),
        },
        instruction::SellAnchorToReserve { amount, min_out },
    );
    with_pools(ix, accepted)
}

fn anchor_holder(stable_mint: &Pubkey) -> buyback_reserve::accounts::AnchorHolder {
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
        token_program: TokenProgram::Classic.id(),
        value_anchor_program: value_anchor::ID,
    }
}

pub fn redeem_anchor_ix(stable_mint: &Pubkey, accepted: &[Pubkey]) -> Instruction {
    let ix = anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::RedeemAnchor { holder: anchor_holder(stable_mint) },
        instruction::RedeemAnchor {},
    );
    with_pools(ix, accepted)
}

/// The in-kind crank at the reserve's claim `nonce` (its `claims_opened`), rent paid by `payer`,
/// with value-anchor's `accepted` pools.
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
            holder: anchor_holder(stable_mint),
            claim: va::claim_pda(&config_pda(), nonce),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::RedeemAnchorInKind {},
    );
    with_pools(ix, accepted)
}

pub fn claim_anchor_units_ix(pool: &Pubkey, nonce: u64) -> Instruction {
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
            unit_token_program: TokenProgram::Classic.id(),
            value_anchor_program: value_anchor::ID,
        },
        instruction::ClaimAnchorUnits {},
    )
}

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
            token_program: TokenProgram::Classic.id(),
        },
        instruction::DistributeFees {},
    )
}

pub fn create_protocol_token_ix(admin: &Pubkey, supply: u64) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::CreateProtocolToken {
            admin: *admin,
            config: config_pda(),
            protocol_mint: protocol_mint_pda(),
            treasury: treasury_pda(),
            stake_vault: stake_vault_pda(),
            token_program: TokenProgram::Classic.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::CreateProtocolToken { supply },
    )
}

pub fn transfer_treasury_ix(admin: &Pubkey, destination: &Pubkey, amount: u64) -> Instruction {
    anchor_ix(
        buyback_reserve::ID,
        buyback_reserve::accounts::TransferTreasury {
            admin: *admin,
            config: config_pda(),
            protocol_mint: protocol_mint_pda(),
            treasury: treasury_pda(),
            destination: *destination,
            token_program: TokenProgram::Classic.id(),
        },
        instruction::TransferTreasury { amount },
    )
}

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
            token_program: TokenProgram::Classic.id(),
            system_program: anchor_lang::system_program::ID,
        },
        instruction::StakeProtocol { amount },
    )
}

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
            token_program: TokenProgram::Classic.id(),
        },
        instruction::UnstakeProtocol { amount },
    )
}

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
            token_program: TokenProgram::Classic.id(),
        },
        instruction::ClaimRewards {},
    )
}

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
    pub async fn new() -> Self {
        let mut fx = Self::without_capital().await;
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
        sell_anchor_ix(
            &holder,
            &h.holder_anchor,
            &h.holder_stable,
            &currency,
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
        let mut a = AnchorFixture::new().await;
        let admin = a.p.r.admin.insecure_clone();
        a.p.r.env.set_upgrade_authority(&buyback_reserve::ID, &admin.pubkey());
        let currency = a.p.r.currency;
        let pool = a.p.pool;
        let init = InitializeParams { guardian: a.p.r.guardian.pubkey(), params: PARAMS };
        let program_data = program_data_address(&buyback_reserve::ID);
        let ixs = [
            initialize_ix(&admin.pubkey(), &program_data, &currency, init),
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
        redeem_anchor_ix(&self.stable_mint(), &self.a.accepted)
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
