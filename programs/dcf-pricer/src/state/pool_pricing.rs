use anchor_lang::prelude::*;
use receivables::state::{Pool, PoolStatus};
use rwa_math::{Fixed, PriceState, RiseLimit};

use crate::{errors::PricerError, state::PricerConfig};

/// Longest input age a pool may be priced with (1 day), and longest rise interval (7 days).
pub const MAX_INPUT_AGE_SECS: u32 = 24 * 3600;
pub const MAX_RISE_INTERVAL_SECS: u32 = 7 * 24 * 3600;

/// How a pool is priced, set by the admin.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct PricingParams {
    /// Oldest oracle input a refresh accepts (bounded again by each feed's own staleness).
    pub max_input_age_secs: u32,
    /// Largest rise of the published price within `rise_interval_secs`, in bps of the
    /// interval's reference (falls are never bounded).
    pub max_rise_bps: u16,
    pub rise_interval_secs: u32,
}

impl PricingParams {
    pub fn validate(&self) -> Result<()> {
        require!(
            (1..=MAX_INPUT_AGE_SECS).contains(&self.max_input_age_secs)
                && (1..=10_000).contains(&self.max_rise_bps)
                && (1..=MAX_RISE_INTERVAL_SECS).contains(&self.rise_interval_secs),
            PricerError::InvalidPricingParams
        );
        Ok(())
    }

    /// The rise bound in rwa-math's form.
    pub fn rise_limit(&self) -> Result<RiseLimit> {
        let max_rise = Fixed::from_bps_floor(self.max_rise_bps as u64)
            .map_err(|_| error!(PricerError::InvalidPricingParams))?;
        Ok(RiseLimit { max_rise, interval_secs: self.rise_interval_secs })
    }
}

/// One oracle input as a refresh used it (Fixed raw value and confidence).
#[derive(
    AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq,
)]
pub struct InputUsed {
    pub value: u128,
    pub confidence: u128,
    pub publish_ts: i64,
}

/// The published redemption rate of a pool and everything it was computed from.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct RedemptionRate {
    /// Currency base units one unit base unit is worth (Fixed raw), rounded down.
    pub unit_price: u128,
    /// What the price would have been without the rise cap (Fixed raw).
    pub computed_price: u128,
    /// `vault_cash + flows_value`, base units, rounded down.
    pub pool_value: u64,
    pub vault_cash: u64,
    pub flows_value: u64,
    /// Unit supply the price divides by.
    pub units: u64,
    pub benchmark: InputUsed,
    pub spread: InputUsed,
    pub pd: InputUsed,
    pub lgd: InputUsed,
    /// The pool's status and version (`Pool::version`) when priced.
    pub pool_status: PoolStatus,
    pub pool_version: u64,
    pub slot: u64,
    /// Clock time of the refresh; 0 = never refreshed.
    pub updated_at: i64,
}

impl Default for RedemptionRate {
    fn default() -> Self {
        RedemptionRate {
            unit_price: 0,
            computed_price: 0,
            pool_value: 0,
            vault_cash: 0,
            flows_value: 0,
            units: 0,
            benchmark: InputUsed::default(),
            spread: InputUsed::default(),
            pd: InputUsed::default(),
            lgd: InputUsed::default(),
            pool_status: PoolStatus::Draft,
            pool_version: 0,
            slot: 0,
            updated_at: 0,
        }
    }
}

/// A pool accepted for pricing. PDA: `[seeds::POOL_PRICING, pool]`.
#[account]
#[derive(InitSpace)]
pub struct PoolPricing {
    /// The receivables pool, and the accounts of it a refresh reads.
    pub pool: Pubkey,
    pub vault: Pubkey,
    pub unit_mint: Pubkey,
    /// The rwa-oracle benchmark-rate feed the pool is discounted at.
    pub benchmark_feed: Pubkey,
    /// The rwa-oracle `GradeRisk` of the pool's grade: spread, PD and LGD feeds, write-downs.
    pub grade_risk: Pubkey,
    /// The pool's grade, bound to `grade_risk` at creation and checked on every refresh.
    pub grade: u8,
    pub params: PricingParams,
    pub rate: RedemptionRate,
    /// Rises of the published price are bounded from the lower of this interval's low and the
    /// previous interval's low (Fixed raw); the interval started at `reference_at`.
    pub reference_price: u128,
    pub reference_at: i64,
    pub bump: u8,
    pub previous_low: u128,
}

impl PoolPricing {
    /// The rise-cap state in rwa-math's form.
    pub fn price_state(&self) -> PriceState {
        PriceState {
            published: Fixed::from_raw(self.rate.unit_price),
            reference: Fixed::from_raw(self.reference_price),
            reference_at: self.reference_at,
            previous_low: Fixed::from_raw(self.previous_low),
        }
    }

    /// The one read every exit uses: the published unit price (Fixed, base units per unit
    /// base unit), if the pricer is live, the rate was refreshed at most `max_age` seconds ago
    /// (bounded by the config's `max_rate_age_secs`), nothing that changes the pool's worth has
    /// happened since (`pool` is still at the version priced: a repayment, write-down, default
    /// or close makes the rate out of date at once), and the pool allows new exits (not Draft,
    /// Closed or Cancelled). `pool_key` and `pool` are the receivables account the caller
    /// passed, checked against this pricing's pool.
    pub fn fresh_unit_price(
        &self,
        config: &PricerConfig,
        pool_key: &Pubkey,
        pool: &Pool,
        now: i64,
        max_age: u32,
    ) -> Result<Fixed> {
        require!(!config.paused, PricerError::PricerPaused);
        require_keys_eq!(*pool_key, self.pool, PricerError::PoolMismatch);
        require!(self.rate.updated_at > 0, PricerError::NeverRefreshed);
        let max_age = max_age.min(config.max_rate_age_secs) as i64;
        require!(now.saturating_sub(self.rate.updated_at) <= max_age, PricerError::StaleRate);
        require!(pool.version == self.rate.pool_version, PricerError::PoolChangedSinceRefresh);
        require!(
            !matches!(pool.status, PoolStatus::Draft | PoolStatus::Closed | PoolStatus::Cancelled),
            PricerError::PoolNotExitable
        );
        Ok(Fixed::from_raw(self.rate.unit_price))
    }

    /// Checks the bounds every stored pricing must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        self.params.validate()?;
        let r = &self.rate;
        require!(
            r.unit_price <= r.computed_price || r.updated_at == 0,
            PricerError::PriceAboveComputed
        );
        require!(
            r.vault_cash.checked_add(r.flows_value) == Some(r.pool_value),
            PricerError::MathOverflow
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(paused: bool) -> PricerConfig {
        PricerConfig {
            admin: Pubkey::new_unique(),
            guardian: Pubkey::new_unique(),
            paused,
            max_rate_age_secs: 900,
            bump: 0,
            pending_admin: Pubkey::default(),
        }
    }

    fn priced(updated_at: i64) -> PoolPricing {
        PoolPricing {
            pool: Pubkey::new_unique(),
            vault: Pubkey::new_unique(),
            unit_mint: Pubkey::new_unique(),
            benchmark_feed: Pubkey::new_unique(),
            grade_risk: Pubkey::new_unique(),
            grade: 1,
            params: PricingParams {
                max_input_age_secs: 600,
                max_rise_bps: 100,
                rise_interval_secs: 3_600,
            },
            rate: RedemptionRate {
                unit_price: Fixed::ONE.raw() / 2,
                computed_price: Fixed::ONE.raw() / 2,
                pool_status: PoolStatus::Active,
                updated_at,
                ..RedemptionRate::default()
            },
            reference_price: 0,
            reference_at: 0,
            bump: 0,
            previous_low: 0,
        }
    }

    /// A pool as the read sees it: `status` at `version`.
    fn pool(status: PoolStatus, version: u64) -> Pool {
        let zeros = [0u8; 8 + <Pool as anchor_lang::Space>::INIT_SPACE];
        let mut p: Pool = AnchorDeserialize::deserialize(&mut zeros.as_slice()).unwrap();
        p.status = status;
        p.version = version;
        p
    }

    #[test]
    fn a_fresh_rate_of_a_live_unchanged_pool_is_read() {
        let p = priced(1_000);
        let live = pool(PoolStatus::Late, 0);
        let price = p.fresh_unit_price(&config(false), &p.pool, &live, 1_060, 60).unwrap();
        assert_eq!(price.raw(), Fixed::ONE.raw() / 2);
    }

    #[test]
    fn every_read_refusal_is_named() {
        let live = pool(PoolStatus::Active, 0);
        let cases = [
            (priced(1_000), config(true), live.clone(), 1_000, 60, PricerError::PricerPaused),
            (priced(0), config(false), live.clone(), 1_000, 60, PricerError::NeverRefreshed),
            (priced(1_000), config(false), live.clone(), 1_061, 60, PricerError::StaleRate),
            // the caller's max age is bounded by the pricer's (900 s)
            (priced(1_000), config(false), live.clone(), 1_901, 3_600, PricerError::StaleRate),
            // a repayment, write-down or status change since the refresh
            (
                priced(1_000),
                config(false),
                pool(PoolStatus::Active, 1),
                1_000,
                60,
                PricerError::PoolChangedSinceRefresh,
            ),
            (
                priced(1_000),
                config(false),
                pool(PoolStatus::Closed, 0),
                1_000,
                60,
                PricerError::PoolNotExitable,
            ),
        ];
        for (p, c, pl, now, max_age, expected) in cases {
            let err = p.fresh_unit_price(&c, &p.pool, &pl, now, max_age).unwrap_err();
            assert_eq!(err, expected.into());
        }
        let p = priced(1_000);
        let err = p
            .fresh_unit_price(&config(false), &Pubkey::new_unique(), &live, 1_000, 60)
            .unwrap_err();
        assert_eq!(err, PricerError::PoolMismatch.into());
    }
}

#[cfg(test)]
mod size {
    use super::*;

    /// The sizes SPEC.md states.
    #[test]
    fn account_sizes_match_the_spec() {
        assert_eq!(PoolPricing::INIT_SPACE, 461);
    }
}
