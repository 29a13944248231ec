//! Share vaults (the buyback reserve's capital and its insurance pool) and a fee-per-token
//! accumulator (protocol-token staking).
//!
//! Shares convert with a virtual offset, as OpenZeppelin's ERC-4626 decimals offset:
//! `shares = floor(amount x (total_shares + VIRTUAL_SHARES) / (assets + VIRTUAL_ASSETS))` and
//! `assets = floor(shares x (assets + VIRTUAL_ASSETS) / (total_shares + VIRTUAL_SHARES))`. The
//! offset makes the first-depositor inflation attack (donate to the vault so the next deposit
//! rounds to zero shares) cost the attacker about `VIRTUAL_SHARES` times what it takes from the
//! victim; both conversions round down, so a deposit never buys more than it pays for and a
//! withdrawal never takes more than its share.
use crate::error::MathResult;
use crate::fixed::Fixed;
use crate::wide::U256;

/// Shares that exist without an owner (1,000 per base unit at the start).
pub const VIRTUAL_SHARES: u64 = 1_000;
/// Assets that stand behind the virtual shares.
pub const VIRTUAL_ASSETS: u64 = 1;

/// `floor(a x b / c)` on rwa-math's own 256-bit primitives (SBF has no native 128-bit
/// multiply or divide).
fn mul_div_floor(a: u64, b: u128, c: u128) -> MathResult<u64> {
    let (q, _) = U256::mul_u128(a as u128, b).div_rem_u128(c)?;
    q.to_u128().and_then(|q| u64::try_from(q).ok()).ok_or_else(|| overflow!())
}

/// Shares a deposit of `amount` buys when the vault holds `assets` behind `total_shares`.
pub fn shares_for_deposit(amount: u64, assets: u64, total_shares: u64) -> MathResult<u64> {
    mul_div_floor(
        amount,
        total_shares as u128 + VIRTUAL_SHARES as u128,
        assets as u128 + VIRTUAL_ASSETS as u128,
    )
}

/// Assets `shares` are worth when the vault holds `assets` behind `total_shares`.
pub fn assets_for_shares(shares: u64, assets: u64, total_shares: u64) -> MathResult<u64> {
    mul_div_floor(
        shares,
        assets as u128 + VIRTUAL_ASSETS as u128,
        total_shares as u128 + VIRTUAL_SHARES as u128,
    )
}

/// Rewards per staked token, accumulated (MasterChef's `accRewardPerShare`), as a Fixed.
/// A staker's reward since it last settled at accumulator `index` is `floor(staked x (acc -
/// index))` (`accrued(staked, acc - index)`): at most its exact share, so the rewards owed never
/// exceed what was added. (A debt of `floor(staked x acc)` taken when the stake changes would
/// credit a newcomer the fraction it rounds away, and overflows for a large stake once a tiny
/// total stake has pushed the accumulator up.)
pub fn accumulate(acc: Fixed, reward: u64, total_staked: u64) -> MathResult<Fixed> {
    if total_staked == 0 {
        return Ok(acc);
    }
    acc.checked_add(Fixed::from_ratio_floor(reward, total_staked)?)
}

/// `floor(staked x acc)`: a staker's accrued rewards since the accumulator started.
pub fn accrued(staked: u64, acc: Fixed) -> MathResult<u64> {
    acc.mul_u64_floor(staked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_first_deposit_buys_a_thousand_shares_per_base_unit() {
        assert_eq!(shares_for_deposit(1_000_000, 0, 0), Ok(1_000_000_000));
        assert_eq!(assets_for_shares(1_000_000_000, 1_000_000, 1_000_000_000), Ok(1_000_000));
    }

    #[test]
    fn a_donation_attack_costs_the_attacker_more_than_the_victim() {
        // the attacker buys shares with 1 base unit, then donates 10,000 units of stable
        let attacker = shares_for_deposit(1, 0, 0).unwrap();
        let assets = 1 + 10_000_000_000;
        let victim = shares_for_deposit(1_000_000_000, assets, attacker).unwrap();
        assert!(victim > 0, "the next deposit does not round to nothing");
        let (assets, total) = (assets + 1_000_000_000, attacker + victim);
        let victim_loss = 1_000_000_000 - assets_for_shares(victim, assets, total).unwrap();
        let attacker_loss = 10_000_000_001 - assets_for_shares(attacker, assets, total).unwrap();
        assert!(attacker_loss > 9 * victim_loss, "{attacker_loss} vs {victim_loss}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::test_cases()))]

        /// A deposit withdrawn at once returns at most what was paid in.
        #[test]
        fn a_round_trip_never_gains(
            assets in 0u64..=1_000_000_000_000_000, shares in 0u64..=1_000_000_000_000_000,
            amount in 1u64..=1_000_000_000_000,
        ) {
            let s = shares_for_deposit(amount, assets, shares).unwrap();
            let out = assets_for_shares(s, assets + amount, shares + s).unwrap();
            prop_assert!(out <= amount);
        }

        /// Whatever the split of shares among holders, their withdrawals together never exceed
        /// the assets.
        #[test]
        fn holders_together_never_take_more_than_the_assets(
            assets in 0u64..=1_000_000_000_000, parts in prop::collection::vec(1u64..=1_000_000_000_000, 1..10),
        ) {
            let total: u64 = parts.iter().sum();
            let paid: u64 = parts.iter().map(|&p| assets_for_shares(p, assets, total).unwrap()).sum();
            prop_assert!(paid <= assets);
        }

        /// Rewards owed to stakers together never exceed the rewards added.
        #[test]
        fn accumulated_rewards_never_exceed_what_was_added(
            stakes in prop::collection::vec(1u64..=1_000_000_000_000, 1..8),
            rewards in prop::collection::vec(0u64..=1_000_000_000, 1..8),
        ) {
            let total: u64 = stakes.iter().sum();
            let mut acc = Fixed::ZERO;
            for &r in &rewards {
                acc = accumulate(acc, r, total).unwrap();
            }
            let owed: u64 = stakes.iter().map(|&s| accrued(s, acc).unwrap()).sum();
            prop_assert!(owed <= rewards.iter().sum::<u64>());
        }
    }
}
