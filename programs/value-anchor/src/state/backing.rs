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
    /// In-kind claims opened so far (the next claim's nonce).
    pub claims_opened: u64,
    pub bump: u8,
}

impl Backing {
    /// Re-prices entry `slot` at `price` (as of `priced_at`).
    pub fn price_entry(&mut self, slot: usize, price: Fixed, priced_at: i64) -> Result<()> {
        let e = &mut self.entries[slot];
        e.price = price.raw();
        e.priced_at = priced_at;
        e.value = math::units_value_floor(e.units, price)?;
        Ok(())
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

    /// The check every mint makes after minting: every entry that holds units was priced at
    /// most `max_age` ago (`StaleBacking`), and `total_backing >= supply x (1 + over)`
    /// (`Undercollateralised`).
    pub fn require_backed(&self, now: i64, max_age: u32, overcollateral_bps: u16) -> Result<()> {
        let stale = self.entries[..self.pool_count as usize]
            .iter()
            .find(|e| e.units > 0 && now.saturating_sub(e.priced_at) > max_age as i64);
        if let Some(e) = stale {
            msg!("stale backing entry: pool {}", e.pool);
            return err!(AnchorTokenError::StaleBacking);
        }
        require!(
            math::is_backed(self.total_backing, self.anchor_supply, overcollateral_bps),
            AnchorTokenError::Undercollateralised
        );
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
            (250, 1_338, 202, 169)
        );
    }
}
