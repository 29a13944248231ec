//! What the reserve reads of value-anchor: what its anchor tokens are worth, and whether
//! insurance exits must freeze.
use anchor_lang::prelude::*;
use receivables::state::{Pool, PoolStatus};
use value_anchor::state::{AnchorConfig, Backing};

use crate::errors::ReserveError;

/// What `amount` anchor tokens redeem for in stable at value-anchor's lower-bound backing
/// (`backing_low`: up-to-date, fresh entries and the reserve as last settled) with the accepted
/// pools' accounts `pools` in backing-slot order: `value = floor(amount x min(backing, supply) /
/// supply)` less value-anchor's redemption fee `ceil(value x fee_out)` (none while that side is
/// halted: the tokens then redeem in kind, without a fee), exactly what its PSM pays. Every
/// entry holding units must be fresh (`require_backing_fresh`).
pub fn anchor_worth(
    amount: u64,
    config: &AnchorConfig,
    backing: &Backing,
    pools: &[AccountInfo],
    now: i64,
) -> Result<u64> {
    if amount == 0 {
        return Ok(0);
    }
    let current = require_backing_fresh(config, backing, pools, now)?;
    let max_age = config.params.max_entry_age_secs;
    let low = backing.backing_low(backing.stable_reserve, &current, now, max_age)?;
    let value = value_anchor::math::redemption_value_floor(amount, low, backing.anchor_supply)?;
    let fee_bps = config.params.fee_out_bps;
    let fee = if fee_bps == value_anchor::state::FEE_HALT {
        0
    } else {
        value_anchor::math::fee_ceil(value, fee_bps)?
    };
    Ok(value - fee.min(value))
}

/// Every value-anchor entry holding units priced at most its max entry age ago and its pool
/// unchanged since (value-anchor's `StaleBacking` otherwise; refresh it in the same
/// transaction); returns which entries are current. `backing_low` counts any other entry as
/// nothing: anchor tokens valued (a share price, the bid) or redeemed (the crank) against it
/// would count far below what they are worth, and a deposit priced so would take value from
/// the depositors.
pub fn require_backing_fresh(
    config: &AnchorConfig,
    backing: &Backing,
    pools: &[AccountInfo],
    now: i64,
) -> Result<[bool; value_anchor::state::MAX_POOLS]> {
    let current = backing.current(pools)?;
    backing.require_fresh(now, config.params.max_entry_age_secs, &current)?;
    Ok(current)
}

/// Insurance exits stay frozen while any accepted pool is Late or Defaulted (or Active with a
/// flow past due and unpaid), or value-anchor's
/// backing is short of `supply x (1 + overcollateral)` or cannot be proven (an entry out of
/// date): stakers cannot run ahead of a loss that is already known.
pub fn require_exits_open(
    config: &AnchorConfig,
    backing: &Backing,
    pools: &[AccountInfo],
    now: i64,
) -> Result<()> {
    let n = backing.pool_count as usize;
    require!(pools.len() >= n, ReserveError::PoolAccountsMissing);
    for (e, info) in backing.entries[..n].iter().zip(pools) {
        require_keys_eq!(*info.key, e.pool, ReserveError::PoolAccountsMissing);
        require_keys_eq!(*info.owner, receivables::ID, ReserveError::PoolAccountsMissing);
        let pool = Pool::try_deserialize(&mut &info.try_borrow_data()?[..])?;
        if matches!(pool.status, PoolStatus::Late | PoolStatus::Defaulted) {
            msg!("exits frozen: pool {} is {:?}", e.pool, pool.status);
            return err!(ReserveError::ExitsFrozen);
        }
        // a flow past due and unpaid is a known loss even before the servicer marks it Late
        if pool.status == PoolStatus::Active && pool.first_overdue(now).is_some() {
            msg!("exits frozen: pool {} has a flow overdue", e.pool);
            return err!(ReserveError::ExitsFrozen);
        }
    }
    let current = backing.current(pools)?;
    let p = config.params;
    backing.require_backed(now, p.max_entry_age_secs, p.overcollateral_bps, &current).map_err(|e| {
        msg!("exits frozen: value-anchor backing short or unproven ({})", e);
        error!(ReserveError::ExitsFrozen)
    })
}
