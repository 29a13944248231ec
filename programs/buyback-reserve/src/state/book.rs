use anchor_lang::prelude::*;
use rwa_math::Fixed;

use crate::errors::ReserveError;

/// Most pools the reserve lists over its life (bounds the book and every share valuation).
pub const MAX_HOLDINGS: usize = 16;

/// The reserve's units of one listed pool, valued at the pricer's price when last marked.
#[derive(
    AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq,
)]
pub struct Holding {
    pub pool: Pubkey,
    pub units: u64,
    /// The pricer's unit price (Fixed raw) when last marked, and the pricer's time for it.
    pub price: u128,
    pub priced_at: i64,
    /// The pool's `version` when marked: a pool changed since makes the holding out of date.
    pub pool_version: u64,
    /// `floor(units x price)`.
    pub value: u64,
}

/// The reserve's books. PDA: `[seeds::BOOK]`. Cash amounts are tracked, not read from the
/// vaults, so a donation to a vault changes nobody's share.
#[account]
#[derive(InitSpace)]
pub struct ReserveBook {
    pub holdings: [Holding; MAX_HOLDINGS],
    pub holding_count: u8,
    /// The reserve's idle stable (in `stable_vault`), its shares, and the anchor tokens bought
    /// by the bid (in `anchor_vault`) until the crank redeems them.
    pub cash: u64,
    pub shares: u64,
    pub anchor_held: u64,
    /// The current budget epoch and what it used: gross value of units bought, anchor tokens.
    pub epoch_start: i64,
    pub sale_used: u64,
    pub bid_used: u64,
    /// The reserve's open in-kind claim on value-anchor (nonce = `claims_opened - 1`).
    pub claim_open: bool,
    pub claims_opened: u64,
    /// The insurance pool: its stable (in `insurance_vault`), shares, and what it has covered.
    pub insurance_cash: u64,
    pub insurance_shares: u64,
    pub covered_total: u64,
    /// Bumped when a cover leaves the insurance pool with less than `MIN_FIRST_DEPOSIT`, or
    /// each share worth less than a thousandth of its first price: the shares of earlier
    /// generations are void (next to worthless, as what backed them went to cover), so the
    /// pool can be restocked at a sane share price.
    pub insurance_generation: u32,
    /// Protocol-token staking: tokens staked, rewards per token (Fixed raw), stable owed to
    /// stakers (in `rewards_vault`).
    pub staked: u64,
    pub reward_per_token: u128,
    pub rewards_cash: u64,
    pub bump: u8,
}

fn overflow() -> Error {
    error!(ReserveError::MathOverflow)
}

pub fn add(a: u64, b: u64) -> Result<u64> {
    a.checked_add(b).ok_or_else(overflow)
}

pub fn sub(a: u64, b: u64) -> Result<u64> {
    a.checked_sub(b).ok_or_else(overflow)
}

impl ReserveBook {
    /// Starts a new epoch when `now` is past the current one (aligned to the epoch length
    /// from the first epoch's start), resetting what the budgets used.
    pub fn roll_epoch(&mut self, now: i64, epoch_secs: u32) {
        let len = epoch_secs as i64;
        if now >= self.epoch_start.saturating_add(len) {
            self.epoch_start = now - (now - self.epoch_start).rem_euclid(len);
            self.sale_used = 0;
            self.bid_used = 0;
        }
    }

    /// Re-prices holding `slot` at `price` (the pricer's, for `pool_version`, at `priced_at`).
    pub fn mark(
        &mut self,
        slot: usize,
        price: Fixed,
        priced_at: i64,
        pool_version: u64,
    ) -> Result<()> {
        let h = &mut self.holdings[slot];
        h.price = price.raw();
        h.priced_at = priced_at;
        h.pool_version = pool_version;
        h.value = price.mul_u64_floor(h.units).map_err(|_| overflow())?;
        Ok(())
    }

    /// Re-values holding `slot` at its last price after its units changed.
    pub fn revalue(&mut self, slot: usize) -> Result<()> {
        let h = &mut self.holdings[slot];
        h.value = Fixed::from_raw(h.price).mul_u64_floor(h.units).map_err(|_| overflow())?;
        Ok(())
    }

    /// What the holdings are worth, requiring every holding with units to be up to date: its
    /// pool's account (passed in slot order as `pools`, owner-checked) still at the version
    /// marked, and marked at most `max_age` ago (`StaleHolding` otherwise). The value is each
    /// holding at the pricer's price, which is already biased against the holder.
    pub fn holdings_value(&self, pools: &[AccountInfo], now: i64, max_age: u32) -> Result<u64> {
        let n = self.holding_count as usize;
        require!(pools.len() >= n, ReserveError::PoolAccountsMissing);
        let mut total = 0u64;
        for (h, info) in self.holdings[..n].iter().zip(pools) {
            require_keys_eq!(*info.key, h.pool, ReserveError::PoolAccountsMissing);
            if h.units == 0 {
                continue;
            }
            require_keys_eq!(*info.owner, receivables::ID, ReserveError::PoolAccountsMissing);
            let version = receivables::state::Pool::version_in(&info.try_borrow_data()?)?;
            if version != h.pool_version || now.saturating_sub(h.priced_at) > max_age as i64 {
                msg!("stale holding: pool {}", h.pool);
                return err!(ReserveError::StaleHolding);
            }
            total = add(total, h.value)?;
        }
        Ok(total)
    }

    /// The reserve's worth for its shares: idle cash, holdings (up to date), and the anchor
    /// tokens held at `anchor_value`. Refused while an in-kind claim is open (its units are
    /// owed to the reserve but not yet in the book).
    pub fn net_assets(&self, holdings_value: u64, anchor_value: u64) -> Result<u64> {
        require!(!self.claim_open, ReserveError::ClaimPending);
        add(add(self.cash, holdings_value)?, anchor_value)
    }

    /// Checks the bounds every stored book satisfies; called after every change.
    pub fn invariant(&self) -> Result<()> {
        require!(self.holding_count as usize <= MAX_HOLDINGS, ReserveError::TooManyPools);
        require!(
            self.holdings[self.holding_count as usize..].iter().all(|h| *h == Holding::default()),
            ReserveError::MathOverflow
        );
        Ok(())
    }
}

/// The least first deposit into an empty share vault (1 unit of a 6-decimal stablecoin): with
/// the virtual shares, it makes the first-depositor inflation attack cost far more than it
/// takes.
pub const MIN_FIRST_DEPOSIT: u64 = 1_000_000;

/// One share vault's books (the reserve's capital or the insurance pool): the assets its shares
/// are priced at, the cash it pays from, and its share count. Conversions are
/// `rwa_math::shares` (virtual shares, both roundings down).
pub struct ShareVault<'a> {
    pub assets: u64,
    pub cash: &'a mut u64,
    pub shares: &'a mut u64,
}

impl ShareVault<'_> {
    /// Refuses a first deposit below `MIN_FIRST_DEPOSIT` into an empty vault.
    pub fn check_first(&self, amount: u64) -> Result<()> {
        require!(
            *self.shares > 0 || amount >= MIN_FIRST_DEPOSIT,
            ReserveError::FirstDepositTooSmall
        );
        Ok(())
    }

    /// Books `received` in: `floor(received x (shares + V) / (assets + 1))` new shares, at least
    /// `min_shares` (`RoundsToZero`, `SlippageExceeded`); returns them.
    pub fn deposit(&mut self, received: u64, min_shares: u64) -> Result<u64> {
        let minted = rwa_math::shares::shares_for_deposit(received, self.assets, *self.shares)
            .map_err(|_| overflow())?;
        require!(minted > 0, ReserveError::RoundsToZero);
        require!(minted >= min_shares, ReserveError::SlippageExceeded);
        *self.cash = add(*self.cash, received)?;
        *self.shares = add(*self.shares, minted)?;
        Ok(minted)
    }

    /// Books the exit of `shares`: `floor(shares x (assets + 1) / (shares + V))`, paid from cash
    /// only (`InsufficientCash`, logging how many shares fit), at least `min_out`; returns it.
    pub fn withdraw(&mut self, shares: u64, min_out: u64) -> Result<u64> {
        let amount = rwa_math::shares::assets_for_shares(shares, self.assets, *self.shares)
            .map_err(|_| overflow())?;
        if amount > *self.cash {
            let fits = rwa_math::shares::shares_for_deposit(*self.cash, self.assets, *self.shares)
                .map_err(|_| overflow())?;
            msg!("idle cash: {} of {} owed is idle; {} shares fit", *self.cash, amount, fits);
            return err!(ReserveError::InsufficientCash);
        }
        require!(amount > 0, ReserveError::RoundsToZero);
        require!(amount >= min_out, ReserveError::SlippageExceeded);
        *self.shares = sub(*self.shares, shares)?;
        *self.cash = sub(*self.cash, amount)?;
        Ok(amount)
    }
}

impl ReserveBook {
    /// The reserve's capital as a share vault priced at `net_assets`.
    pub fn capital(&mut self, net_assets: u64) -> ShareVault<'_> {
        ShareVault { assets: net_assets, cash: &mut self.cash, shares: &mut self.shares }
    }

    /// The insurance pool as a share vault (priced at its cash).
    pub fn insurance(&mut self) -> ShareVault<'_> {
        let assets = self.insurance_cash;
        ShareVault { assets, cash: &mut self.insurance_cash, shares: &mut self.insurance_shares }
    }
}

/// Which vault a position is in.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PositionKind {
    /// Reserve capital: shares of idle cash + holdings + anchor tokens held.
    Deposit,
    /// Insurance pool: shares of the insurance cash, which absorbs losses first.
    Insurance,
    /// Staked protocol tokens (1:1), earning a share of protocol fees.
    Protocol,
}

/// A depositor's or staker's position. PDA: `[seeds::POSITION, [kind as u8], owner]`.
#[account]
#[derive(InitSpace)]
pub struct Position {
    pub owner: Pubkey,
    pub kind: PositionKind,
    /// Shares (protocol tokens for `Protocol`).
    pub shares: u64,
    /// Shares in cooldown (`request_exit`), at most `shares`; they keep bearing gains and
    /// losses until withdrawn.
    pub exiting: u64,
    /// When the cooldown started (0: no exit requested).
    pub exit_requested_at: i64,
    /// `Protocol` only: the accumulator (`reward_per_token`, Fixed raw) the position's rewards
    /// were last settled at, and rewards settled but not yet claimed.
    pub reward_index: u128,
    pub rewards_owed: u64,
    /// `Insurance` only: the pool generation the shares belong to.
    pub generation: u32,
    pub bump: u8,
}

impl Position {
    /// Whether `now` is in the withdrawal window of the requested exit: after `cooldown`
    /// seconds and for `window` seconds more.
    pub fn require_in_window(&self, now: i64, cooldown: u32, window: u32) -> Result<()> {
        require!(self.exit_requested_at > 0 && self.exiting > 0, ReserveError::NoExitRequested);
        let opens = self.exit_requested_at.saturating_add(cooldown as i64);
        require!(now >= opens, ReserveError::CooldownActive);
        require!(now <= opens.saturating_add(window as i64), ReserveError::WindowClosed);
        Ok(())
    }

    /// Takes `shares` out of the requested exit and the position.
    pub fn take_exiting(&mut self, shares: u64) -> Result<()> {
        require!(shares > 0 && shares <= self.exiting, ReserveError::InvalidAmount);
        self.exiting -= shares;
        self.shares = sub(self.shares, shares)?;
        if self.exiting == 0 {
            self.exit_requested_at = 0;
        }
        Ok(())
    }

    /// Settles the staking rewards accrued since the position's index up to `acc` (call it
    /// before the stake changes): `floor(shares x (acc - reward_index))`, never more than the
    /// stake earned over that stretch, so the rewards owed never exceed what was added; and
    /// only that accrual is computed, so a large accumulator (a tiny total stake when fees
    /// were distributed) never overflows a large stake.
    pub fn settle_rewards(&mut self, acc: Fixed) -> Result<()> {
        let since = acc.checked_sub(Fixed::from_raw(self.reward_index)).map_err(|_| overflow())?;
        let accrued = rwa_math::shares::accrued(self.shares, since).map_err(|_| overflow())?;
        self.rewards_owed = add(self.rewards_owed, accrued)?;
        self.reward_index = acc.raw();
        Ok(())
    }

    pub fn invariant(&self) -> Result<()> {
        require!(self.exiting <= self.shares, ReserveError::InvalidAmount);
        Ok(())
    }

    /// An insurance position of an earlier generation holds nothing: its shares were voided
    /// when a cover wiped the pool out. Brings it to `generation`.
    pub fn sync_generation(&mut self, generation: u32) {
        if self.kind == PositionKind::Insurance && self.generation != generation {
            self.shares = 0;
            self.exiting = 0;
            self.exit_requested_at = 0;
            self.generation = generation;
        }
    }
}

/// A pool the reserve buys. PDA: `[seeds::LISTED_POOL, pool]`.
#[account]
#[derive(InitSpace)]
pub struct ListedPool {
    pub pool: Pubkey,
    /// The pricer's `PoolPricing` of the pool.
    pub pricing: Pubkey,
    pub unit_mint: Pubkey,
    pub unit_token_program: Pubkey,
    /// The reserve's unit account (PDA `[seeds::UNITS, pool]`, owned by the config).
    pub units_vault: Pubkey,
    /// The pool's slot in the book's holdings.
    pub slot: u8,
    /// The pool's grade (sets the curve's floor).
    pub grade: u8,
    /// Most value of this pool's units (at the sale's price) the reserve holds.
    pub cap: u64,
    pub bump: u8,
}

#[cfg(test)]
mod vault_tests {
    use super::*;

    #[test]
    fn a_vault_books_deposits_and_withdrawals_at_its_assets() {
        let (mut cash, mut shares) = (0u64, 0u64);
        let mut v = ShareVault { assets: 0, cash: &mut cash, shares: &mut shares };
        assert_eq!(v.check_first(999_999).unwrap_err(), ReserveError::FirstDepositTooSmall.into());
        assert_eq!(v.deposit(1_000_000, 0).unwrap(), 1_000_000_000);
        assert_eq!((cash, shares), (1_000_000, 1_000_000_000));
        // assets grew by a gain the cash does not hold (held units): the exit is cash-bound
        let mut v = ShareVault { assets: 3_000_000, cash: &mut cash, shares: &mut shares };
        assert_eq!(
            v.withdraw(1_000_000_000, 0).unwrap_err(),
            ReserveError::InsufficientCash.into()
        );
        assert_eq!(v.withdraw(300_000_000, 0).unwrap(), 899_999);
        assert_eq!((cash, shares), (100_001, 700_000_000));
    }

    #[test]
    fn refusals_leave_the_vault_unchanged() {
        let (mut cash, mut shares) = (1_000_000u64, 1_000_000_000u64);
        let mut v = ShareVault { assets: 1_000_000, cash: &mut cash, shares: &mut shares };
        assert_eq!(v.deposit(1, 10_000).unwrap_err(), ReserveError::SlippageExceeded.into());
        assert_eq!(v.withdraw(1, 0).unwrap_err(), ReserveError::RoundsToZero.into());
        assert_eq!(v.withdraw(1_000, 2).unwrap_err(), ReserveError::SlippageExceeded.into());
        assert_eq!((cash, shares), (1_000_000, 1_000_000_000));
    }
}

#[cfg(test)]
mod size {
    use super::*;
    use crate::state::ReserveConfig;

    /// The sizes SPEC.md states.
    #[test]
    fn account_sizes_match_the_spec() {
        assert_eq!(
            (
                ReserveConfig::INIT_SPACE,
                ReserveBook::INIT_SPACE,
                Position::INIT_SPACE,
                ListedPool::INIT_SPACE
            ),
            (543, 1_399, 86, 171)
        );
    }
}
