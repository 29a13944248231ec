//! [`Sdk`]: account readers, instructions whose accounts come from the programs' state, quotes,
//! and the composed transactions a wallet sends.
use anchor_lang::{prelude::Pubkey, AccountDeserialize, Owner};
use buyback_reserve::state::{ListedPool, Position, PositionKind, ReserveBook, ReserveConfig};
use dcf_pricer::state::{PoolPricing, PricerConfig};
use receivables::state::{Pool, PoolStatus, RegistryConfig};
use rwa_math::Fixed;
use rwa_oracle::state::{Feed, GradeRisk, OracleConfig};
use solana_sdk::{
    account::Account,
    clock::Clock,
    instruction::{AccountMeta, Instruction},
    signature::{Keypair, Signature},
};
use value_anchor::state::{AcceptedPool, AnchorConfig, Backing};

use crate::{
    anchor_token::{self, ExchangeAccounts, PsmAccounts},
    associated_token_address,
    chain::Chain,
    compose::{self, EXIT_CU, MARK_CU, REFRESH_RATE_CU},
    error::SdkError,
    oracle,
    preview::{
        self, ExchangeQuote, ExchangeState, PreviewError, RatePreview, RefreshState, SaleQuote,
    },
    pricer::{self, RefreshAccounts},
    registry,
    reserve::{self, SellAccounts, Valuation},
};

/// Offset of the amount in a token account (SPL Token and Token-2022 base layout).
const TOKEN_AMOUNT_AT: usize = 64;
/// Offset of the supply in a mint (SPL Token and Token-2022 base layout).
const MINT_SUPPLY_AT: usize = 36;

fn u64_at(data: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(data.get(at..at + 8)?.try_into().ok()?))
}

/// The protocol's client over a [`Chain`]: reads the programs' accounts, builds instructions
/// whose accounts it derives from PDAs and from that state (no account lists at call sites),
/// quotes exits, and composes the transactions a wallet signs.
///
/// Token accounts of the user are the associated token accounts of the mint under the token
/// program the programs' state names (the pool's unit token program, value-anchor's and the
/// reserve's `token_program`); the low-level builders in [`crate::anchor_token`] and
/// [`crate::reserve`] take any other accounts.
pub struct Sdk<C> {
    chain: C,
}

impl<C: Chain> Sdk<C> {
    /// An SDK over `chain` (an [`crate::RpcChain`] or a [`crate::BanksChain`]).
    pub fn new(chain: C) -> Self {
        Sdk { chain }
    }

    /// The chain.
    pub fn chain(&self) -> &C {
        &self.chain
    }

    // ---------------------------------------------------------------- readers

    /// The account at `address` (refused when it does not exist).
    pub async fn account(&self, address: &Pubkey) -> Result<Account, SdkError> {
        self.chain.get_account(address).await?.ok_or(SdkError::AccountNotFound(*address))
    }

    /// The Anchor account of type `T` at `address` (owner and discriminator checked: an account
    /// of another program with the same bytes is refused).
    pub async fn anchor_account<T: AccountDeserialize + Owner>(
        &self,
        address: &Pubkey,
    ) -> Result<T, SdkError> {
        let account = self.account(address).await?;
        decode(address, &account)
    }

    /// The Anchor accounts of type `T` at `addresses` (one round trip over RPC).
    pub async fn anchor_accounts<T: AccountDeserialize + Owner>(
        &self,
        addresses: &[Pubkey],
    ) -> Result<Vec<T>, SdkError> {
        let accounts = self.chain.get_multiple_accounts(addresses).await?;
        addresses
            .iter()
            .zip(accounts)
            .map(|(address, account)| match account {
                Some(account) => decode(address, &account),
                None => Err(SdkError::AccountNotFound(*address)),
            })
            .collect()
    }

    /// The cluster's clock.
    pub async fn clock(&self) -> Result<Clock, SdkError> {
        self.chain.clock().await
    }

    /// A token account's balance (SPL Token or Token-2022).
    pub async fn token_balance(&self, token_account: &Pubkey) -> Result<u64, SdkError> {
        let account = self.account(token_account).await?;
        u64_at(&account.data, TOKEN_AMOUNT_AT).ok_or_else(|| SdkError::AccountDecode {
            address: *token_account,
            expected: "token account",
            reason: "too short".into(),
        })
    }

    /// A mint's supply (SPL Token or Token-2022).
    pub async fn mint_supply(&self, mint: &Pubkey) -> Result<u64, SdkError> {
        let account = self.account(mint).await?;
        u64_at(&account.data, MINT_SUPPLY_AT).ok_or_else(|| SdkError::AccountDecode {
            address: *mint,
            expected: "mint",
            reason: "too short".into(),
        })
    }

    /// The receivables registry config.
    pub async fn registry_config(&self) -> Result<RegistryConfig, SdkError> {
        self.anchor_account(&registry::config_pda()).await
    }

    /// A receivables pool.
    pub async fn pool(&self, pool: &Pubkey) -> Result<Pool, SdkError> {
        self.anchor_account(pool).await
    }

    /// The oracle config.
    pub async fn oracle_config(&self) -> Result<OracleConfig, SdkError> {
        self.anchor_account(&oracle::config_pda()).await
    }

    /// An oracle feed by its account address.
    pub async fn feed(&self, feed: &Pubkey) -> Result<Feed, SdkError> {
        self.anchor_account(feed).await
    }

    /// The oracle's `GradeRisk` of `grade`.
    pub async fn grade_risk(&self, grade: u8) -> Result<GradeRisk, SdkError> {
        self.anchor_account(&oracle::grade_pda(grade)).await
    }

    /// The pricer config.
    pub async fn pricer_config(&self) -> Result<PricerConfig, SdkError> {
        self.anchor_account(&pricer::config_pda()).await
    }

    /// `pool`'s pricing (its published rate).
    pub async fn pricing(&self, pool: &Pubkey) -> Result<PoolPricing, SdkError> {
        self.anchor_account(&pricer::pool_pricing_pda(pool)).await
    }

    /// value-anchor's config.
    pub async fn anchor_config(&self) -> Result<AnchorConfig, SdkError> {
        self.anchor_account(&anchor_token::config_pda()).await
    }

    /// value-anchor's backing (the public proof of reserve).
    pub async fn backing(&self) -> Result<Backing, SdkError> {
        self.anchor_account(&anchor_token::backing_pda()).await
    }

    /// value-anchor's `AcceptedPool` of `pool`.
    pub async fn accepted_pool(&self, pool: &Pubkey) -> Result<AcceptedPool, SdkError> {
        self.anchor_account(&anchor_token::accepted_pool_pda(pool))
            .await
            .map_err(|e| not_found_as(e, pool, "not accepted by value-anchor"))
    }

    /// The buyback reserve's config.
    pub async fn reserve_config(&self) -> Result<ReserveConfig, SdkError> {
        self.anchor_account(&reserve::config_pda()).await
    }

    /// The buyback reserve's book.
    pub async fn book(&self) -> Result<ReserveBook, SdkError> {
        self.anchor_account(&reserve::book_pda()).await
    }

    /// The buyback reserve's `ListedPool` of `pool`.
    pub async fn listed_pool(&self, pool: &Pubkey) -> Result<ListedPool, SdkError> {
        self.anchor_account(&reserve::listed_pool_pda(pool))
            .await
            .map_err(|e| not_found_as(e, pool, "not listed by the buyback reserve"))
    }

    /// `owner`'s position of `kind` in the reserve, `None` before its first deposit or stake.
    pub async fn position(
        &self,
        kind: PositionKind,
        owner: &Pubkey,
    ) -> Result<Option<Position>, SdkError> {
        let address = reserve::position_pda(kind, owner);
        match self.chain.get_account(&address).await? {
            Some(account) => decode(&address, &account).map(Some),
            None => Ok(None),
        }
    }

    /// The transfer hook's config (admin and guardian of the attestor registry).
    pub async fn hook_config(&self) -> Result<::transfer_hook::state::HookConfig, SdkError> {
        self.anchor_account(&crate::transfer_hook::config_pda()).await
    }

    /// The `Attestor` record of the attestor whose authority is `authority`.
    pub async fn attestor(
        &self,
        authority: &Pubkey,
    ) -> Result<::transfer_hook::state::Attestor, SdkError> {
        self.anchor_account(&crate::transfer_hook::attestor_pda(authority))
            .await
            .map_err(|e| not_found_as(e, authority, "not an approved attestor"))
    }

    /// `attestor`'s attestation of `holder`, `None` when it never attested that holder.
    pub async fn attestation(
        &self,
        attestor: &Pubkey,
        holder: &Pubkey,
    ) -> Result<Option<::transfer_hook::state::Attestation>, SdkError> {
        let address = crate::transfer_hook::attestation_pda(attestor, holder);
        match self.chain.get_account(&address).await? {
            Some(account) => decode(&address, &account).map(Some),
            None => Ok(None),
        }
    }

    /// The `MintGate` of a permissioned unit mint (which attestor it trusts), `None` for a mint
    /// without one (open units).
    pub async fn mint_gate(
        &self,
        mint: &Pubkey,
    ) -> Result<Option<::transfer_hook::state::MintGate>, SdkError> {
        let address = crate::transfer_hook::mint_gate_pda(mint);
        match self.chain.get_account(&address).await? {
            Some(account) => decode(&address, &account).map(Some),
            None => Ok(None),
        }
    }

    /// The unit mint `pool_or_mint` names: a receivables pool's `unit_mint`, else the key
    /// itself (a mint); refused (`AccountNotFound` of its gate) unless that mint has a
    /// `MintGate` (permissioned units).
    pub async fn gated_mint(&self, pool_or_mint: &Pubkey) -> Result<Pubkey, SdkError> {
        let account = self.account(pool_or_mint).await?;
        let mint = match account.owner == receivables::ID {
            true => self.pool(pool_or_mint).await?.unit_mint,
            false => *pool_or_mint,
        };
        let gate = crate::transfer_hook::mint_gate_pda(&mint);
        self.mint_gate(&mint).await?.ok_or(SdkError::AccountNotFound(gate))?;
        Ok(mint)
    }

    /// `set_mint_attestor()` by the hook's `admin`: the permissioned units of `pool_or_mint` (a
    /// pool or its unit mint) trust `attestor` (an Approved attestor's authority) from now on.
    pub async fn set_mint_attestor(
        &self,
        admin: &Pubkey,
        pool_or_mint: &Pubkey,
        attestor: &Pubkey,
    ) -> Result<Instruction, SdkError> {
        let mint = self.gated_mint(pool_or_mint).await?;
        Ok(crate::transfer_hook::set_mint_attestor_ix(admin, &mint, attestor))
    }

    /// The transfer hook's extra accounts a protocol instruction appends (as remaining
    /// accounts, after any others it takes) when it moves `mint`'s units to a token account
    /// owned by `destination_owner`: for permissioned units (Token-2022, transfer hook = this
    /// protocol's hook) [`crate::transfer_hook::transfer_accounts`] for the attestor the
    /// mint's gate names; none for SPL Token or open Token-2022 units.
    pub async fn unit_hook_accounts(
        &self,
        mint: &Pubkey,
        destination_owner: &Pubkey,
    ) -> Result<Vec<AccountMeta>, SdkError> {
        use crate::transfer_hook as hook;
        let account = self.account(mint).await?;
        if !hook::is_permissioned_mint(&account.owner, &account.data) {
            return Ok(vec![]);
        }
        let gate = self
            .mint_gate(mint)
            .await?
            .ok_or(SdkError::AccountNotFound(hook::mint_gate_pda(mint)))?;
        Ok(hook::transfer_accounts(mint, &gate.attestor, destination_owner))
    }

    /// `ix` (a protocol instruction that moves `mint`'s units to a token account owned by
    /// `destination_owner`) with [`unit_hook_accounts`](Self::unit_hook_accounts) appended;
    /// unchanged for SPL Token and open units.
    pub async fn with_unit_hook_accounts(
        &self,
        mut ix: Instruction,
        mint: &Pubkey,
        destination_owner: &Pubkey,
    ) -> Result<Instruction, SdkError> {
        ix.accounts.extend(self.unit_hook_accounts(mint, destination_owner).await?);
        Ok(ix)
    }

    /// Every pool value-anchor accepts, in backing-slot order.
    pub async fn accepted_pools(&self) -> Result<Vec<Pubkey>, SdkError> {
        Ok(accepted_in(&self.backing().await?))
    }

    /// Every pool the reserve lists, in holding-slot order.
    pub async fn listed_pools(&self) -> Result<Vec<Pubkey>, SdkError> {
        Ok(listed_in(&self.book().await?))
    }

    /// `pool`'s published unit price as an exit reads it now
    /// (`PoolPricing::fresh_unit_price` with `max_age`): refused by the pricer's error when the
    /// rate is stale, never refreshed, of another pool version, or the pricer paused.
    pub async fn fresh_unit_price(&self, pool: &Pubkey, max_age: u32) -> Result<Fixed, SdkError> {
        let addresses = [pricer::pool_pricing_pda(pool), pricer::config_pda()];
        let accounts = self.chain.get_multiple_accounts(&addresses).await?;
        let pricing: PoolPricing = decode_some(&addresses[0], accounts.first())?;
        let config: PricerConfig = decode_some(&addresses[1], accounts.get(1))?;
        let pool_state = self.pool(pool).await?;
        let now = self.clock().await?.unix_timestamp;
        pricing
            .fresh_unit_price(&config, pool, &pool_state, now, max_age)
            .map_err(|e| SdkError::Preview(preview::program_refusal(&dcf_pricer::ID, e)))
    }

    // ---------------------------------------------------------------- dcf-pricer

    /// The accounts `refresh_rate` of `pool` reads, from its pricing and grade.
    pub async fn refresh_accounts(&self, pool: &Pubkey) -> Result<RefreshAccounts, SdkError> {
        let pricing = self
            .pricing(pool)
            .await
            .map_err(|e| not_found_as(e, pool, "not accepted for pricing"))?;
        let grade: GradeRisk = self.anchor_account(&pricing.grade_risk).await?;
        Ok(RefreshAccounts::from_state(&pricing, &grade))
    }

    /// `refresh_rate()` of `pool`.
    pub async fn refresh_rate(&self, pool: &Pubkey) -> Result<Instruction, SdkError> {
        Ok(self.refresh_accounts(pool).await?.ix())
    }

    /// What `refresh_rate` of `pool` would publish now (see [`preview::preview_refresh`]).
    pub async fn preview_refresh(&self, pool: &Pubkey) -> Result<RatePreview, SdkError> {
        let accounts = self.refresh_accounts(pool).await?;
        let [bench, spread, pd, lgd] = accounts.feeds();
        let addresses = [bench, spread, pd, lgd];
        let feeds: Vec<Feed> = self.anchor_accounts(&addresses).await?;
        let [bench, spread, pd, lgd] = feeds.as_slice() else {
            return Err(SdkError::Chain("four feeds asked, another count returned".into()));
        };
        let pricing = self.pricing(pool).await?;
        let grade: GradeRisk = self.anchor_account(&accounts.grade_risk).await?;
        let state = RefreshState {
            pricer_config: &self.pricer_config().await?,
            pricing: &pricing,
            pool: &self.pool(pool).await?,
            oracle_paused: self.oracle_config().await?.paused,
            grade: &grade,
            feeds: [bench, spread, pd, lgd],
            vault_cash: self.token_balance(&accounts.vault).await?,
            units: self.mint_supply(&accounts.unit_mint).await?,
        };
        let now = self.clock().await?.unix_timestamp;
        Ok(preview::preview_refresh(&state, now)?)
    }

    // ---------------------------------------------------------------- value-anchor

    /// The accounts of `holder`'s exchange of `pool`'s units: its associated unit and anchor
    /// accounts, the pool's collateral, unit mint and token programs, and every accepted pool.
    pub async fn exchange_accounts(
        &self,
        holder: &Pubkey,
        pool: &Pubkey,
    ) -> Result<ExchangeAccounts, SdkError> {
        let config = self.anchor_config().await?;
        let accepted = self.accepted_pool(pool).await?;
        let backing = self.backing().await?;
        Ok(ExchangeAccounts {
            holder: *holder,
            pool: *pool,
            holder_units: associated_token_address(
                holder,
                &accepted.unit_mint,
                &accepted.unit_token_program,
            ),
            holder_anchor: associated_token_address(
                holder,
                &config.anchor_mint,
                &config.anchor_token_program,
            ),
            collateral: accepted.collateral,
            unit_mint: accepted.unit_mint,
            accepted: accepted_in(&backing),
            unit_token_program: accepted.unit_token_program,
            anchor_token_program: config.anchor_token_program,
        })
    }

    /// `exchange(units, min_out)` of `holder`'s units of `pool` into anchor tokens (for
    /// permissioned units, with the hook's accounts: the collateral's owner is value-anchor's
    /// config PDA).
    pub async fn exchange(
        &self,
        holder: &Pubkey,
        pool: &Pubkey,
        units: u64,
        min_out: u64,
    ) -> Result<Instruction, SdkError> {
        let accounts = self.exchange_accounts(holder, pool).await?;
        let ix = accounts.ix(units, min_out);
        self.with_unit_hook_accounts(ix, &accounts.unit_mint, &anchor_token::config_pda()).await
    }

    /// The exchange as a wallet sends it: `set_compute_unit_limit`, `refresh_rate` of the pool
    /// (the exchange reads a fresh rate), `exchange`.
    pub async fn exchange_tx(
        &self,
        holder: &Pubkey,
        pool: &Pubkey,
        units: u64,
        min_out: u64,
    ) -> Result<Vec<Instruction>, SdkError> {
        let refresh = self.refresh_rate(pool).await?;
        let exchange = self.exchange(holder, pool, units, min_out).await?;
        Ok(compose::with_compute_budget(REFRESH_RATE_CU + EXIT_CU, [refresh, exchange]))
    }

    /// What [`exchange_tx`](Self::exchange_tx) of `units` mints if sent now: the rate the
    /// refresh publishes ([`preview::preview_refresh`]), then the exchange's math and limits
    /// ([`preview::preview_exchange`]).
    pub async fn quote_exchange(
        &self,
        pool: &Pubkey,
        units: u64,
    ) -> Result<ExchangeQuote, SdkError> {
        let rate = self.preview_refresh(pool).await?;
        let state = ExchangeState {
            config: &self.anchor_config().await?,
            accepted: &self.accepted_pool(pool).await?,
            backing: &self.backing().await?,
            pool: &self.pool(pool).await?,
        };
        let now = self.clock().await?.unix_timestamp;
        Ok(preview::preview_exchange(&state, rate.unit_price, units, now)?)
    }

    /// `holder`'s PSM accounts (associated stable and anchor accounts, every accepted pool)
    /// and value-anchor's token program of the reserve stablecoin.
    pub async fn psm_accounts(&self, holder: &Pubkey) -> Result<(PsmAccounts, Pubkey), SdkError> {
        let config = self.anchor_config().await?;
        let backing = self.backing().await?;
        let tp = config.token_program;
        let accounts = PsmAccounts {
            holder: *holder,
            reserve_mint: config.reserve_mint,
            holder_stable: associated_token_address(holder, &config.reserve_mint, &tp),
            holder_anchor: associated_token_address(
                holder,
                &config.anchor_mint,
                &config.anchor_token_program,
            ),
            accepted: accepted_in(&backing),
            anchor_token_program: config.anchor_token_program,
        };
        Ok((accounts, tp))
    }

    /// `mint_with_stable(amount, min_out)` by `holder` (the PSM in).
    pub async fn mint_with_stable(
        &self,
        holder: &Pubkey,
        amount: u64,
        min_out: u64,
    ) -> Result<Instruction, SdkError> {
        let (psm, tp) = self.psm_accounts(holder).await?;
        Ok(psm.mint_with_ix(&tp, amount, min_out))
    }

    /// `redeem_for_stable(amount, min_out)` by `holder` (the PSM out).
    pub async fn redeem_for_stable(
        &self,
        holder: &Pubkey,
        amount: u64,
        min_out: u64,
    ) -> Result<Instruction, SdkError> {
        let (psm, tp) = self.psm_accounts(holder).await?;
        Ok(psm.redeem_with_ix(&tp, amount, min_out))
    }

    /// `redeem_in_kind(amount, nonce)` by `holder`, the claim's rent paid by `payer`.
    pub async fn redeem_in_kind(
        &self,
        holder: &Pubkey,
        payer: &Pubkey,
        nonce: u64,
        amount: u64,
    ) -> Result<Instruction, SdkError> {
        let (psm, tp) = self.psm_accounts(holder).await?;
        Ok(psm.redeem_in_kind_with_ix(&tp, payer, nonce, amount))
    }

    /// `claim_in_kind()`: `holder` collects `pool`'s units of claim `nonce` into its associated
    /// unit account (for permissioned units, with the hook's accounts: `holder` must be
    /// attested).
    pub async fn claim_in_kind(
        &self,
        holder: &Pubkey,
        pool: &Pubkey,
        nonce: u64,
    ) -> Result<Instruction, SdkError> {
        let accepted = self.accepted_pool(pool).await?;
        let units =
            associated_token_address(holder, &accepted.unit_mint, &accepted.unit_token_program);
        let ix = anchor_token::claim_in_kind_with_ix(
            holder,
            pool,
            nonce,
            &units,
            &accepted.unit_token_program,
        );
        self.with_unit_hook_accounts(ix, &accepted.unit_mint, holder).await
    }

    /// `refresh_rate` then `refresh_backing` of every accepted pool whose entry holds units
    /// (what a mint, cover or fee sweep needs fresh), with their compute budget.
    pub async fn refresh_backing_ixs(&self) -> Result<(Vec<Instruction>, u32), SdkError> {
        let backing = self.backing().await?;
        let mut ixs = vec![];
        let mut cu = 0;
        for entry in backing.entries.iter().take(backing.pool_count as usize) {
            if entry.units == 0 {
                continue;
            }
            ixs.push(self.refresh_rate(&entry.pool).await?);
            ixs.push(anchor_token::refresh_backing_ix(&entry.pool));
            cu += REFRESH_RATE_CU + MARK_CU;
        }
        Ok((ixs, cu))
    }

    // ---------------------------------------------------------------- buyback-reserve

    /// The accounts of `seller`'s sale of `pool`'s units to the reserve: its associated unit
    /// and stable accounts, and the token programs the listed pool and the reserve name.
    pub async fn sell_accounts(
        &self,
        seller: &Pubkey,
        pool: &Pubkey,
    ) -> Result<SellAccounts, SdkError> {
        let config = self.reserve_config().await?;
        let listed = self.listed_pool(pool).await?;
        Ok(SellAccounts {
            seller: *seller,
            pool: *pool,
            seller_units: associated_token_address(
                seller,
                &listed.unit_mint,
                &listed.unit_token_program,
            ),
            seller_stable: associated_token_address(
                seller,
                &config.stable_mint,
                &config.token_program,
            ),
            stable_mint: config.stable_mint,
            unit_token_program: listed.unit_token_program,
            token_program: config.token_program,
        })
    }

    /// `sell_to_reserve(units, min_out)` of `seller`'s units of `pool` (for permissioned
    /// units, with the hook's accounts: the units vault's owner is the reserve's config PDA).
    pub async fn sell_to_reserve(
        &self,
        seller: &Pubkey,
        pool: &Pubkey,
        units: u64,
        min_out: u64,
    ) -> Result<Instruction, SdkError> {
        let ix = self.sell_accounts(seller, pool).await?.ix(units, min_out);
        let mint = registry::unit_mint_pda(pool);
        self.with_unit_hook_accounts(ix, &mint, &reserve::config_pda()).await
    }

    /// `claim_anchor_units()`: `pool`'s units of the reserve's in-kind claim `nonce` into the
    /// reserve's units vault, under the token program the listing names (for permissioned
    /// units, with the hook's accounts: the vault's owner is the reserve's config PDA, always
    /// allowed). Any keeper sends it; nobody signs but the fee payer.
    pub async fn claim_anchor_units(
        &self,
        pool: &Pubkey,
        nonce: u64,
    ) -> Result<Instruction, SdkError> {
        let listed = self.listed_pool(pool).await?;
        let ix = reserve::claim_anchor_units_with_ix(pool, nonce, &listed.unit_token_program);
        self.with_unit_hook_accounts(ix, &listed.unit_mint, &reserve::config_pda()).await
    }

    /// The sale as a wallet sends it: `set_compute_unit_limit`, `refresh_rate` of the pool,
    /// `sell_to_reserve`.
    pub async fn sell_to_reserve_tx(
        &self,
        seller: &Pubkey,
        pool: &Pubkey,
        units: u64,
        min_out: u64,
    ) -> Result<Vec<Instruction>, SdkError> {
        let refresh = self.refresh_rate(pool).await?;
        let sell = self.sell_to_reserve(seller, pool, units, min_out).await?;
        Ok(compose::with_compute_budget(REFRESH_RATE_CU + EXIT_CU, [refresh, sell]))
    }

    /// What [`sell_to_reserve_tx`](Self::sell_to_reserve_tx) of `units` pays if sent now: the
    /// rate the refresh publishes, then the exit curve after the epoch roll
    /// ([`preview::preview_sell_to_reserve`]); refused as the program would when the reserve is
    /// paused (`Paused`) or the pool Defaulted (`PoolInDefault`).
    pub async fn quote_sell_to_reserve(
        &self,
        pool: &Pubkey,
        units: u64,
    ) -> Result<SaleQuote, SdkError> {
        use buyback_reserve::errors::ReserveError;
        let config = self.reserve_config().await?;
        if config.paused {
            return Err(reserve_refusal(ReserveError::Paused));
        }
        if self.pool(pool).await?.status == PoolStatus::Defaulted {
            return Err(reserve_refusal(ReserveError::PoolInDefault));
        }
        let rate = self.preview_refresh(pool).await?;
        let listed = self.listed_pool(pool).await?;
        let book = self.book().await?;
        let now = self.clock().await?.unix_timestamp;
        Ok(preview::preview_sell_to_reserve(
            &book,
            &config.params,
            &listed,
            rate.unit_price,
            units,
            now,
        )?)
    }

    /// The remaining accounts of a share valuation as the reserve stands: every listed pool,
    /// then, while the reserve holds anchor tokens, every pool value-anchor accepts.
    pub async fn valuation(&self) -> Result<Valuation, SdkError> {
        let book = self.book().await?;
        let accepted =
            if book.anchor_held > 0 { accepted_in(&self.backing().await?) } else { vec![] };
        Ok(Valuation { listed: listed_in(&book), accepted })
    }

    /// What a share valuation needs fresh in the same transaction, with its compute budget:
    /// `refresh_rate` and `mark_holding` of every listed pool the reserve holds units of, and,
    /// while it holds anchor tokens, value-anchor's backing refreshed
    /// ([`refresh_backing_ixs`](Self::refresh_backing_ixs)).
    pub async fn mark_ixs(&self) -> Result<(Vec<Instruction>, u32), SdkError> {
        let book = self.book().await?;
        let mut ixs = vec![];
        let mut cu = 0;
        for h in book.holdings.iter().take(book.holding_count as usize) {
            if h.units == 0 {
                continue;
            }
            ixs.push(self.refresh_rate(&h.pool).await?);
            ixs.push(reserve::mark_holding_ix(&h.pool));
            cu += REFRESH_RATE_CU + MARK_CU;
        }
        if book.anchor_held > 0 {
            let (more, more_cu) = self.refresh_backing_ixs().await?;
            ixs.extend(more);
            cu += more_cu;
        }
        Ok((ixs, cu))
    }

    /// What [`deposit_tx`](Self::deposit_tx) of `amount` mints if sent now: the reserve's net
    /// assets as the deposit computes them after the marks the transaction carries (idle cash,
    /// and every holding with units at the rate its refresh publishes,
    /// [`preview::preview_refresh`]), then the share math ([`preview::preview_share_deposit`]).
    /// While the reserve holds anchor tokens they are counted at par, at least what they redeem
    /// for, so the quote is a lower bound of the shares minted (`exact` false); otherwise it is
    /// exact. Refused as the program would when paused (`Paused`) or while an in-kind claim is
    /// open (`ClaimPending`).
    pub async fn quote_deposit(&self, amount: u64) -> Result<preview::ShareQuote, SdkError> {
        use buyback_reserve::errors::ReserveError;
        let config = self.reserve_config().await?;
        let book = self.book().await?;
        if config.paused {
            return Err(reserve_refusal(ReserveError::Paused));
        }
        if book.claim_open {
            return Err(reserve_refusal(ReserveError::ClaimPending));
        }
        let overflow = || SdkError::Preview(PreviewError::Math(rwa_math::overflow!()));
        let mut assets = book.cash;
        for h in book.holdings.iter().take(book.holding_count as usize) {
            if h.units == 0 {
                continue;
            }
            let price = self.preview_refresh(&h.pool).await?.unit_price;
            let value = price.mul_u64_floor(h.units).map_err(PreviewError::Math)?;
            assets = assets.checked_add(value).ok_or_else(overflow)?;
        }
        // anchor tokens redeem for at most par (value-anchor's redemption_value_floor)
        assets = assets.checked_add(book.anchor_held).ok_or_else(overflow)?;
        let exact = book.anchor_held == 0;
        Ok(preview::preview_share_deposit(assets, exact, book.shares, amount)?)
    }

    /// What `stake_insurance(amount)` mints now (exact: the insurance pool is priced at its
    /// cash; see [`preview::preview_stake_insurance`]).
    pub async fn quote_stake_insurance(
        &self,
        amount: u64,
    ) -> Result<preview::ShareQuote, SdkError> {
        let config = self.reserve_config().await?;
        let book = self.book().await?;
        Ok(preview::preview_stake_insurance(&book, config.paused, amount)?)
    }

    /// `deposit(amount, min_shares)` of `depositor`'s associated stable account.
    pub async fn deposit(
        &self,
        depositor: &Pubkey,
        amount: u64,
        min_shares: u64,
    ) -> Result<Instruction, SdkError> {
        let config = self.reserve_config().await?;
        let stable =
            associated_token_address(depositor, &config.stable_mint, &config.token_program);
        Ok(reserve::deposit_with_ix(
            depositor,
            &stable,
            &config.stable_mint,
            &config.token_program,
            &self.valuation().await?,
            amount,
            min_shares,
        ))
    }

    /// The deposit as a wallet sends it: `set_compute_unit_limit`, the marks a share valuation
    /// needs ([`mark_ixs`](Self::mark_ixs)), `deposit`.
    pub async fn deposit_tx(
        &self,
        depositor: &Pubkey,
        amount: u64,
        min_shares: u64,
    ) -> Result<Vec<Instruction>, SdkError> {
        let (marks, cu) = self.mark_ixs().await?;
        let deposit = self.deposit(depositor, amount, min_shares).await?;
        Ok(compose::with_compute_budget(cu + EXIT_CU, marks.into_iter().chain([deposit])))
    }

    /// `withdraw(shares, min_out)` of `owner`'s deposit into its associated stable account.
    pub async fn withdraw(
        &self,
        owner: &Pubkey,
        shares: u64,
        min_out: u64,
    ) -> Result<Instruction, SdkError> {
        let config = self.reserve_config().await?;
        let stable = associated_token_address(owner, &config.stable_mint, &config.token_program);
        Ok(reserve::withdraw_with_ix(
            owner,
            &stable,
            &config.stable_mint,
            &config.token_program,
            &self.valuation().await?,
            shares,
            min_out,
        ))
    }

    /// The withdrawal as a wallet sends it: `set_compute_unit_limit`, the marks, `withdraw`.
    pub async fn withdraw_tx(
        &self,
        owner: &Pubkey,
        shares: u64,
        min_out: u64,
    ) -> Result<Vec<Instruction>, SdkError> {
        let (marks, cu) = self.mark_ixs().await?;
        let withdraw = self.withdraw(owner, shares, min_out).await?;
        Ok(compose::with_compute_budget(cu + EXIT_CU, marks.into_iter().chain([withdraw])))
    }

    /// `stake_insurance(amount, min_shares)` of `staker`'s associated stable account.
    pub async fn stake_insurance(
        &self,
        staker: &Pubkey,
        amount: u64,
        min_shares: u64,
    ) -> Result<Instruction, SdkError> {
        let config = self.reserve_config().await?;
        let stable = associated_token_address(staker, &config.stable_mint, &config.token_program);
        Ok(reserve::stake_insurance_with_ix(
            staker,
            &stable,
            &config.stable_mint,
            &config.token_program,
            amount,
            min_shares,
        ))
    }

    /// `unstake_insurance(shares, min_out)` of `owner`'s stake into its associated stable
    /// account, with value-anchor's accepted pools.
    pub async fn unstake_insurance(
        &self,
        owner: &Pubkey,
        shares: u64,
        min_out: u64,
    ) -> Result<Instruction, SdkError> {
        let config = self.reserve_config().await?;
        let stable = associated_token_address(owner, &config.stable_mint, &config.token_program);
        Ok(reserve::unstake_insurance_with_ix(
            owner,
            &stable,
            &config.stable_mint,
            &config.token_program,
            &self.accepted_pools().await?,
            shares,
            min_out,
        ))
    }

    /// `sell_anchor_to_reserve(amount, min_out)`: `seller`'s anchor tokens to the bid, paid
    /// into its associated stable account.
    pub async fn sell_anchor_to_reserve(
        &self,
        seller: &Pubkey,
        amount: u64,
        min_out: u64,
    ) -> Result<Instruction, SdkError> {
        let config = self.reserve_config().await?;
        let tp = config.token_program;
        let atp = config.anchor_token_program;
        Ok(reserve::sell_anchor_with_ix(
            seller,
            &associated_token_address(seller, &config.anchor_mint, &atp),
            &associated_token_address(seller, &config.stable_mint, &tp),
            &config.stable_mint,
            &tp,
            &atp,
            &self.accepted_pools().await?,
            amount,
            min_out,
        ))
    }

    /// The keeper's cover after a loss: `set_compute_unit_limit`, value-anchor's backing
    /// refreshed ([`refresh_backing_ixs`](Self::refresh_backing_ixs)), `cover_shortfall`.
    pub async fn cover_shortfall_tx(&self) -> Result<Vec<Instruction>, SdkError> {
        let config = self.reserve_config().await?;
        let (refreshes, cu) = self.refresh_backing_ixs().await?;
        let cover = reserve::cover_shortfall_with_ix(
            &config.stable_mint,
            &config.token_program,
            &self.accepted_pools().await?,
        );
        Ok(compose::with_compute_budget(cu + EXIT_CU, refreshes.into_iter().chain([cover])))
    }

    // ---------------------------------------------------------------- sending

    /// Signs `instructions` with `payer` and `signers` and sends them as one transaction.
    pub async fn send(
        &self,
        instructions: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Signature, SdkError> {
        self.chain.send(instructions, payer, signers).await
    }
}

/// A preview refused by buyback-reserve's `e`.
fn reserve_refusal(e: buyback_reserve::errors::ReserveError) -> SdkError {
    SdkError::Preview(PreviewError::Refused {
        error: crate::errors::DecodedError {
            program: "buyback-reserve",
            code: u32::from(e),
            name: e.name(),
            message: e.to_string(),
        },
        detail: String::new(),
    })
}

/// The pools of a backing's used entries, in slot order.
fn accepted_in(backing: &Backing) -> Vec<Pubkey> {
    backing.entries.iter().take(backing.pool_count as usize).map(|e| e.pool).collect()
}

/// The pools of a book's used holdings, in slot order.
fn listed_in(book: &ReserveBook) -> Vec<Pubkey> {
    book.holdings.iter().take(book.holding_count as usize).map(|h| h.pool).collect()
}

fn decode<T: AccountDeserialize + Owner>(
    address: &Pubkey,
    account: &Account,
) -> Result<T, SdkError> {
    if account.owner != T::owner() {
        return Err(SdkError::AccountDecode {
            address: *address,
            expected: std::any::type_name::<T>(),
            reason: format!("owned by {}, not {}", account.owner, T::owner()),
        });
    }
    T::try_deserialize(&mut account.data.as_slice()).map_err(|e| SdkError::AccountDecode {
        address: *address,
        expected: std::any::type_name::<T>(),
        reason: e.to_string(),
    })
}

fn decode_some<T: AccountDeserialize + Owner>(
    address: &Pubkey,
    account: Option<&Option<Account>>,
) -> Result<T, SdkError> {
    match account {
        Some(Some(account)) => decode(address, account),
        _ => Err(SdkError::AccountNotFound(*address)),
    }
}

/// A missing PDA of `pool` as the state of the pool it stands for.
fn not_found_as(e: SdkError, pool: &Pubkey, reason: &'static str) -> SdkError {
    match e {
        SdkError::AccountNotFound(_) => SdkError::Pool { pool: *pool, reason },
        other => other,
    }
}
