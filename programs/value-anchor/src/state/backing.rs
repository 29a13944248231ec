use anchor_lang::prelude::*;
use rwa_math::Fixed;

use crate::{errors::AnchorTokenError, math};

/// Most pools value-anchor accepts (bounds the backing account and every mint's check).
pub const MAX_POOLS: usize = 16;

/// One accepted pool's line in the backing.
#[derive(
    AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq,
)]
pub struct BackingEntry {
    pub pool: Pubkey,
    /// Units held that back the anchor token.
    pub units: u64,
    /// Units held for open in-kind claims: no longer backing, owed to claimants.
    pub reserved: u64,
    /// The unit price last applied (Fixed raw) and the pricer's time for it.
    pub price: u128,
    pub priced_at: i64,
    /// `floor(units x price)`.
    pub value: u64,
    /// `floor(units x max(price, price_high))`: an upper bound of the entry's worth, which sizes
    /// in-kind shares so they never carry surplus out.
    pub value_high: u64,
    /// The pool's `version` when priced: a pool changed since (repayment, write-down, default,
    /// close) makes the entry out of date.
    pub pool_version: u64,
    /// The pricer's uncapped price when priced (Fixed raw).
    pub price_high: u128,
}

/// The public backing (proof of reserve). PDA: `[seeds::BACKING]`.
#[account]
#[derive(InitSpace)]
pub struct Backing {
    pub entries: [BackingEntry; MAX_POOLS],
    pub pool_count: u8,
    /// Stable reserve balance at the last update.
    pub stable_reserve: u64,
    /// Sum of the entries' values.
    pub pools_value: u64,
    /// `stable_reserve + pools_value`.
    pub total_backing: u64,
    /// Anchor-token supply at the last update.
    pub anchor_supply: u64,
    /// `total_backing / anchor_supply` in bps (rounded down; 0 while the supply is zero).
    pub ratio_bps: u64,
    pub updated_at: i64,
    /// In-kind redemptions so far (a statistic; claim addresses use the holder's nonce).
    pub claims_opened: u64,
    pub bump: u8,
    /// PSM fees (in and out) taken and not yet swept: they sit in the stable reserve as
    /// backing until `sweep_fees` pays them to the fee recipient, out of surplus only.
    pub fees_accrued: u64,
}

/// A price applied to a backing entry: the published price, the pricer's uncapped one, when,
/// and for which version of the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppliedPrice {
    pub price: Fixed,
    pub computed: Fixed,
    pub priced_at: i64,
    pub pool_version: u64,
}

impl Backing {
    /// Re-prices entry `slot` at `p`.
    pub fn price_entry(&mut self, slot: usize, p: AppliedPrice) -> Result<()> {
        let e = &mut self.entries[slot];
        e.price = p.price.raw();
        e.priced_at = p.priced_at;
        e.pool_version = p.pool_version;
        e.price_high = p.price.max(p.computed).raw();
        Self::value_entry(e)
    }

    /// Re-values entry `slot` at its last prices after its units changed.
    pub fn revalue_entry(&mut self, slot: usize) -> Result<()> {
        Self::value_entry(&mut self.entries[slot])
    }

    fn value_entry(e: &mut BackingEntry) -> Result<()> {
        e.value = math::units_value_floor(e.units, Fixed::from_raw(e.price))?;
        e.value_high = math::units_value_floor(e.units, Fixed::from_raw(e.price_high))?;
        Ok(())
    }

    /// Which entries are up to date: each accepted pool's account, passed in slot order as
    /// `pools` (owner- and type-checked), still at the version its entry was priced at. An entry
    /// without units is always up to date.
    pub fn current(&self, pools: &[AccountInfo]) -> Result<[bool; MAX_POOLS]> {
        let n = self.pool_count as usize;
        require!(pools.len() >= n, AnchorTokenError::PoolAccountsMissing);
        let mut current = [true; MAX_POOLS];
        for (slot, info) in pools.iter().take(n).enumerate() {
            let e = &self.entries[slot];
            require_keys_eq!(*info.key, e.pool, AnchorTokenError::PoolAccountsMissing);
            if e.units > 0 {
                require_keys_eq!(
                    *info.owner,
                    receivables::ID,
                    AnchorTokenError::PoolAccountsMissing
                );
                let data = info.try_borrow_data()?;
                let pool = receivables::state::Pool::try_deserialize(&mut &data[..])?;
                current[slot] = pool.version == e.pool_version;
            }
        }
        Ok(current)
    }

    /// What backs the supply for a redemption paid in stable: the live stable reserve plus every
    /// entry that is up to date (its pool unchanged since it was priced) and fresh (priced at
    /// most `max_age` ago). Any other entry counts nothing until it is refreshed (in the same
    /// transaction, if the redeemer wants it counted): a lower bound, so no redeemer is paid
    /// from value that may be gone (a write-down step crossed with time, a feed moved).
    pub fn backing_low(
        &self,
        stable_reserve: u64,
        current: &[bool; MAX_POOLS],
        now: i64,
        max_age: u32,
    ) -> Result<u64> {
        self.entries
            .iter()
            .zip(current)
            .filter(|(e, &c)| c && now.saturating_sub(e.priced_at) <= max_age as i64)
            .try_fold(stable_reserve, |acc, (e, _)| acc.checked_add(e.value))
            .ok_or_else(|| error!(AnchorTokenError::MathOverflow))
    }

    /// An upper bound of the backing, for sizing in-kind shares: the live stable reserve plus
    /// every entry at the higher of its published and uncapped price.
    pub fn backing_high(&self, stable_reserve: u64) -> Result<u64> {
        self.entries
            .iter()
            .try_fold(stable_reserve, |acc, e| acc.checked_add(e.value_high))
            .ok_or_else(|| error!(AnchorTokenError::MathOverflow))
    }

    /// Recomputes the totals from the entries, the reserve balance and the supply at `now`.
    pub fn settle(&mut self, stable_reserve: u64, anchor_supply: u64, now: i64) -> Result<()> {
        let overflow = || error!(AnchorTokenError::MathOverflow);
        self.pools_value = self
            .entries
            .iter()
            .try_fold(0u64, |acc, e| acc.checked_add(e.value))
            .ok_or_else(overflow)?;
        self.stable_reserve = stable_reserve;
        self.total_backing = stable_reserve.checked_add(self.pools_value).ok_or_else(overflow)?;
        self.anchor_supply = anchor_supply;
        self.ratio_bps = if anchor_supply == 0 {
            0
        } else {
            math::mul_div_floor(self.total_backing, math::BPS, anchor_supply)?
        };
        self.updated_at = now;
        Ok(())
    }

    /// Every entry that holds units was priced at most `max_age` ago and its pool has not
    /// changed since (`current`); else `StaleBacking` (refresh it in the same transaction).
    /// What reads `total_backing` as exact (a mint, a cover, a fee sweep) checks this first.
    pub fn require_fresh(&self, now: i64, max_age: u32, current: &[bool; MAX_POOLS]) -> Result<()> {
        let stale = self.entries[..self.pool_count as usize].iter().zip(current).find(|(e, &c)| {
            e.units > 0 && (!c || now.saturating_sub(e.priced_at) > max_age as i64)
        });
        if let Some((e, _)) = stale {
            msg!("stale backing entry: pool {}", e.pool);
            return err!(AnchorTokenError::StaleBacking);
        }
        Ok(())
    }

    /// The check every mint makes after minting: every entry fresh (`require_fresh`;
    /// `StaleBacking`) and `total_backing >= supply x (1 + over)` (`Undercollateralised`).
    pub fn require_backed(
        &self,
        now: i64,
        max_age: u32,
        overcollateral_bps: u16,
        current: &[bool; MAX_POOLS],
    ) -> Result<()> {
        self.require_fresh(now, max_age, current)?;
        require!(
            math::is_backed(self.total_backing, self.anchor_supply, overcollateral_bps),
            AnchorTokenError::Undercollateralised
        );
        Ok(())
    }

    /// Adds a PSM fee (kept in the stable reserve) to `fees_accrued`.
    pub fn accrue_fee(&mut self, fee: u64) -> Result<()> {
        self.fees_accrued =
            self.fees_accrued.checked_add(fee).ok_or(AnchorTokenError::MathOverflow)?;
        Ok(())
    }

    pub fn invariant(&self) -> Result<()> {
        require!(self.pool_count as usize <= MAX_POOLS, AnchorTokenError::TooManyPools);
        Ok(())
    }
}

#[cfg(test)]
mod size {
    use crate::state::{AcceptedPool, AnchorConfig, Backing, InKindClaim};
    use anchor_lang::Space;

    /// The sizes SPEC.md states.
    #[test]
    fn account_sizes_match_the_spec() {
        assert_eq!(
            (
                AnchorConfig::INIT_SPACE,
                Backing::INIT_SPACE,
                AcceptedPool::INIT_SPACE,
                InKindClaim::INIT_SPACE
            ),
            (314, 1_858, 202, 169)
        );
    }
}
