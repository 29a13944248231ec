use anchor_lang::prelude::*;

use crate::errors::ReceivablesError;

/// Most cash flows one pool's schedule may hold. Bounded so that valuing a whole pool fits one
/// instruction's compute budget on the SBF VM.
pub const MAX_SCHEDULE_LEN: usize = 64;
/// Longest document-bundle URI.
pub const MAX_URI_LEN: usize = 128;
/// Longest unit metadata name (Token-2022 units).
pub const MAX_UNIT_NAME_LEN: usize = 32;
/// Longest unit metadata symbol (Token-2022 units).
pub const MAX_UNIT_SYMBOL_LEN: usize = 10;
/// Who may hold a pool's units, chosen by its issuer at creation and fixed in the unit mint.
/// (New variants go at the end: the stored byte is the index.)
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitAccess {
    /// Units transfer freely (SPL Token or Token-2022 without a transfer hook).
    Open,
    /// Token-2022 units whose transfer hook is the protocol's `transfer-hook` program: a
    /// transfer passes only to a holder attested by the attestor the pool chose (or to the
    /// protocol's own accounts).
    Permissioned,
}

/// Risk grades are indices into the oracle's grade table: 0 = A ... 4 = E.
pub const MAX_GRADE: u8 = 4;
/// How long after a default the admin may close a Defaulted pool that its servicer has not
/// closed (180 days), so that holders are never locked out of the recoveries in the vault.
pub const DEFAULTED_CLOSE_GRACE_SECS: i64 = 180 * SECONDS_PER_DAY;
/// A schedule may promise at most this multiple of the face value (principal plus interest), so
/// the issuer's face-value limit also bounds what a pool claims to be owed.
pub const MAX_SCHEDULE_TO_FACE: u64 = 2;
/// Seconds in a day: due times of one schedule differ by whole days.
pub const SECONDS_PER_DAY: i64 = 86_400;

/// What kind of receivable a pool packages (data, not behaviour).
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssetClass {
    TradeReceivable,
    SmeLoan,
    RealEstateIncome,
    RevenueRight,
}

/// Lifecycle: Draft -> Active -> (Late) -> Matured | WrittenOff | Defaulted -> Closed; a Draft
/// pool may be Cancelled instead. (New variants go at the end: the stored byte is the index.)
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolStatus {
    Draft,
    Active,
    Late,
    /// Every scheduled flow paid in full.
    Matured,
    Defaulted,
    Closed,
    /// Nothing outstanding, but part of the schedule was written off rather than paid: a loss.
    WrittenOff,
    /// Cancelled by its issuer while Draft: no units, limits released, unusable.
    Cancelled,
}

impl PoolStatus {
    /// Holders may redeem: nothing more is expected (Matured, WrittenOff) or the pool is final.
    pub fn is_redeemable(self) -> bool {
        matches!(self, PoolStatus::Matured | PoolStatus::WrittenOff | PoolStatus::Closed)
    }
}

/// One scheduled payment: due time (unix seconds), amount due, amount paid and amount written
/// off (currency base units). `paid + written_off <= amount`.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct CashFlow {
    pub due_ts: i64,
    pub amount: u64,
    pub paid: u64,
    pub written_off: u64,
}

impl CashFlow {
    /// What is still expected of this flow.
    pub fn outstanding(&self) -> u64 {
        self.amount.saturating_sub(self.paid).saturating_sub(self.written_off)
    }
}

/// One receivable pool. PDA: `[seeds::POOL, issuer authority, index (u32 LE)]`.
#[account]
#[derive(InitSpace)]
pub struct Pool {
    /// The issuer's authority key.
    pub issuer: Pubkey,
    /// Records repayments, lateness, defaults, recoveries and write-downs.
    pub servicer: Pubkey,
    /// Payment token of the receivables (the reserve stablecoin for value-anchor pools).
    pub currency_mint: Pubkey,
    /// Fractional unit mint (PDA `[seeds::UNIT_MINT, pool]`, mint authority = this pool).
    pub unit_mint: Pubkey,
    /// Repayment vault (PDA `[seeds::VAULT, pool]`, token authority = this pool).
    pub vault: Pubkey,
    /// Index of this pool among its issuer's pools.
    pub index: u32,
    pub asset_class: AssetClass,
    /// Risk grade, an index into the oracle's grade table.
    pub grade: u8,
    pub status: PoolStatus,
    /// Face value in currency base units.
    pub face_value: u64,
    /// Currency base units of face value one unit base unit stands for.
    pub unit_size: u64,
    /// Units minted so far; never above `face_value / unit_size`.
    pub units_minted: u64,
    /// Repayments received into the vault.
    pub total_repaid: u64,
    /// Recoveries received into the vault after default.
    pub total_recovered: u64,
    /// SHA-256 of the off-chain document bundle.
    pub doc_hash: [u8; 32],
    #[max_len(MAX_URI_LEN)]
    pub uri: String,
    #[max_len(MAX_SCHEDULE_LEN)]
    pub schedule: Vec<CashFlow>,
    /// Canonical bumps of the pool, unit mint and vault PDAs.
    pub bump: u8,
    pub unit_mint_bump: u8,
    pub vault_bump: u8,
    /// Clock time of `declare_default` (0 until then); the admin's close grace runs from it.
    pub defaulted_at: i64,
    /// Bumped by every change to what the pool is worth (activation, repayment, recovery,
    /// write-down, status): a price computed at another version is out of date.
    pub version: u64,
}

impl Pool {
    /// The `version` of a pool from its account data, without decoding the pool (a consumer
    /// that checks many pools reads only this): checks the discriminator, then walks the two
    /// variable-length fields (uri, schedule) to the fixed fields after them.
    pub fn version_in(data: &[u8]) -> Result<u64> {
        let bad = || error!(ReceivablesError::InvalidPoolData);
        require!(data.get(..8) == Some(Pool::DISCRIMINATOR), ReceivablesError::InvalidPoolData);
        // discriminator, five keys, index, asset class, grade, status, face value, unit size,
        // units minted, total repaid, total recovered, doc hash
        let uri_at = 8 + 5 * 32 + 4 + 1 + 1 + 1 + 5 * 8 + 32;
        let read_u32 = |at: usize| -> Result<usize> {
            let b: [u8; 4] = data.get(at..at + 4).ok_or_else(bad)?.try_into().map_err(|_| bad())?;
            Ok(u32::from_le_bytes(b) as usize)
        };
        let schedule_at = uri_at + 4 + read_u32(uri_at)?;
        let flows = read_u32(schedule_at)?;
        require!(flows <= MAX_SCHEDULE_LEN, ReceivablesError::InvalidPoolData);
        // the schedule, three bumps, defaulted_at, then version
        let version_at = schedule_at + 4 + flows * CashFlow::INIT_SPACE + 3 + 8;
        let b: [u8; 8] =
            data.get(version_at..version_at + 8).ok_or_else(bad)?.try_into().map_err(|_| bad())?;
        Ok(u64::from_le_bytes(b))
    }

    /// Marks a change to what the pool is worth (see `version`).
    pub fn touch(&mut self) {
        self.version = self.version.wrapping_add(1);
    }

    /// Sum of every scheduled amount.
    pub fn scheduled_total(&self) -> Result<u64> {
        self.schedule
            .iter()
            .try_fold(0u64, |acc, cf| acc.checked_add(cf.amount))
            .ok_or_else(|| error!(ReceivablesError::MathOverflow))
    }

    /// Refuses a schedule promising more than `MAX_SCHEDULE_TO_FACE` times the face value.
    pub fn check_schedule_bound(&self) -> Result<()> {
        let bound = self.face_value.saturating_mul(MAX_SCHEDULE_TO_FACE);
        require!(self.scheduled_total()? <= bound, ReceivablesError::ScheduleAboveFaceBound);
        Ok(())
    }

    /// Units this pool may ever have: the face value in units (exact by construction).
    pub fn max_units(&self) -> Result<u64> {
        self.face_value
            .checked_div(self.unit_size)
            .ok_or_else(|| error!(ReceivablesError::InvalidUnitSize))
    }

    /// Sum still expected over the whole schedule.
    pub fn outstanding(&self) -> Result<u64> {
        self.schedule
            .iter()
            .try_fold(0u64, |acc, cf| acc.checked_add(cf.outstanding()))
            .ok_or_else(|| error!(ReceivablesError::MathOverflow))
    }

    /// The earliest flow due before `now` that is still outstanding, if any.
    pub fn first_overdue(&self, now: i64) -> Option<&CashFlow> {
        self.schedule.iter().find(|cf| cf.due_ts < now && cf.outstanding() > 0)
    }

    /// Whole days the earliest overdue flow is late at `now` (0 if none is).
    pub fn days_late(&self, now: i64) -> u64 {
        self.first_overdue(now).map_or(0, |cf| (now - cf.due_ts) as u64 / SECONDS_PER_DAY as u64)
    }

    /// Pays `amount` into the schedule, oldest outstanding flow first; refuses (unchanged)
    /// more than is outstanding.
    pub fn apply_repayment(&mut self, amount: u64) -> Result<()> {
        require!(amount <= self.outstanding()?, ReceivablesError::RepaymentExceedsOutstanding);
        let mut left = amount;
        for cf in self.schedule.iter_mut() {
            let take = left.min(cf.outstanding());
            cf.paid += take;
            left -= take;
        }
        self.total_repaid =
            self.total_repaid.checked_add(amount).ok_or(ReceivablesError::MathOverflow)?;
        Ok(())
    }

    /// Writes off `amount` of what is outstanding, latest flow first (the furthest cash flows
    /// are the least likely to arrive); refuses (unchanged) more than is outstanding.
    pub fn apply_write_down(&mut self, amount: u64) -> Result<()> {
        require!(amount <= self.outstanding()?, ReceivablesError::WriteDownExceedsOutstanding);
        let mut left = amount;
        for cf in self.schedule.iter_mut().rev() {
            let take = left.min(cf.outstanding());
            cf.written_off += take;
            left -= take;
        }
        Ok(())
    }

    /// After a repayment or write-down: when nothing is outstanding, Matured if every flow was
    /// paid in full and WrittenOff if any part was written off; back to Active from Late when
    /// nothing is overdue any more.
    pub fn settle_status(&mut self, now: i64) -> Result<()> {
        if matches!(self.status, PoolStatus::Active | PoolStatus::Late) && self.outstanding()? == 0
        {
            let any_written_off = self.schedule.iter().any(|cf| cf.written_off > 0);
            self.status =
                if any_written_off { PoolStatus::WrittenOff } else { PoolStatus::Matured };
        } else if self.status == PoolStatus::Late && self.first_overdue(now).is_none() {
            self.status = PoolStatus::Active;
        }
        Ok(())
    }

    /// The remaining schedule as rwa-math values it: what is still outstanding of each flow,
    /// marked defaulted when the pool is.
    pub fn valuation_flows(&self) -> impl Iterator<Item = rwa_math::CashFlow> + '_ {
        let status = if self.status == PoolStatus::Defaulted {
            rwa_math::FlowStatus::Defaulted
        } else {
            rwa_math::FlowStatus::Scheduled
        };
        self.valuation_flows_as(status)
    }

    /// What is still outstanding of each flow, all valued as `status` (the pricer values a
    /// defaulted pool both ways and keeps the lower).
    pub fn valuation_flows_as(
        &self,
        status: rwa_math::FlowStatus,
    ) -> impl Iterator<Item = rwa_math::CashFlow> + '_ {
        self.schedule.iter().filter(|cf| cf.outstanding() > 0).map(move |cf| rwa_math::CashFlow {
            due_ts: cf.due_ts,
            amount: cf.outstanding(),
            status,
        })
    }

    /// Checks the bounds every stored pool must satisfy; called after every change.
    pub fn invariant(&self) -> Result<()> {
        require!(self.grade <= MAX_GRADE, ReceivablesError::InvalidGrade);
        require!(self.uri.len() <= MAX_URI_LEN, ReceivablesError::UriTooLong);
        require!(
            self.unit_size > 0
                && self.face_value > 0
                && self.face_value.is_multiple_of(self.unit_size),
            ReceivablesError::InvalidUnitSize
        );
        require!(self.units_minted <= self.max_units()?, ReceivablesError::OverMint);
        validate_schedule_shape(&self.schedule)?;
        require!(
            self.schedule.iter().all(|cf| cf
                .paid
                .checked_add(cf.written_off)
                .is_some_and(|settled| settled <= cf.amount)),
            ReceivablesError::RepaymentExceedsOutstanding
        );
        Ok(())
    }
}

/// Currency paid for redeeming `units` of `supply` outstanding units against a vault holding
/// `vault`: `floor(vault * units / supply)`. Rounding keeps the remainder in the vault, so the
/// value per remaining unit never falls and splitting a redemption never pays more.
pub fn redemption_payout_floor(vault: u64, supply: u64, units: u64) -> Result<u64> {
    require!(units > 0 && units <= supply, ReceivablesError::InvalidRedeemAmount);
    let payout = (vault as u128) * (units as u128) / (supply as u128);
    u64::try_from(payout).map_err(|_| error!(ReceivablesError::MathOverflow))
}

/// Length bound, positive amounts, strictly ascending due times (no duplicates) at one time of
/// day: every step between flows is whole days, which keeps the pricer's valuation of a
/// 64-flow pool on its cheap path (BENCHMARKS.md).
pub fn validate_schedule_shape(schedule: &[CashFlow]) -> Result<()> {
    require!(
        !schedule.is_empty() && schedule.len() <= MAX_SCHEDULE_LEN,
        ReceivablesError::InvalidScheduleLength
    );
    require!(schedule.iter().all(|cf| cf.amount > 0), ReceivablesError::ZeroCashFlow);
    require!(
        schedule.windows(2).all(|w| w[0].due_ts < w[1].due_ts),
        ReceivablesError::ScheduleNotSorted
    );
    let time_of_day = |cf: &CashFlow| cf.due_ts.rem_euclid(SECONDS_PER_DAY);
    require!(
        schedule.iter().all(|cf| time_of_day(cf) == time_of_day(&schedule[0])),
        ReceivablesError::ScheduleNotDayAligned
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pool(amounts: &[u64]) -> Pool {
        Pool {
            issuer: Pubkey::new_unique(),
            servicer: Pubkey::new_unique(),
            currency_mint: Pubkey::new_unique(),
            unit_mint: Pubkey::new_unique(),
            vault: Pubkey::new_unique(),
            index: 0,
            asset_class: AssetClass::SmeLoan,
            grade: 0,
            status: PoolStatus::Active,
            face_value: 1,
            unit_size: 1,
            units_minted: 1,
            total_repaid: 0,
            total_recovered: 0,
            doc_hash: [0; 32],
            uri: String::new(),
            schedule: amounts
                .iter()
                .enumerate()
                .map(|(i, &amount)| CashFlow {
                    due_ts: 1_000 + i as i64 * SECONDS_PER_DAY,
                    amount,
                    paid: 0,
                    written_off: 0,
                })
                .collect(),
            bump: 0,
            unit_mint_bump: 0,
            vault_bump: 0,
            defaulted_at: 0,
            version: 0,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// The fast `version` reader agrees with a full decode for any uri and schedule.
        #[test]
        fn the_version_read_in_place_is_the_decoded_one(
            amounts in prop::collection::vec(1u64..=1_000_000, 1..=MAX_SCHEDULE_LEN),
            uri_len in 0usize..=MAX_URI_LEN,
            version in any::<u64>(),
        ) {
            let mut p = pool(&amounts);
            p.uri = "u".repeat(uri_len);
            p.version = version;
            let mut data = Vec::new();
            p.try_serialize(&mut data).unwrap();
            data.resize(8 + Pool::INIT_SPACE, 0);
            prop_assert_eq!(Pool::version_in(&data).unwrap(), version);
            let mut wrong = data.clone();
            wrong[0] ^= 1;
            prop_assert!(Pool::version_in(&wrong).is_err());
        }
    }

    #[test]
    fn schedules_must_keep_one_time_of_day() {
        let mut p = pool(&[10, 20, 30]);
        assert!(validate_schedule_shape(&p.schedule).is_ok());
        p.schedule[2].due_ts += 3_600;
        let err = validate_schedule_shape(&p.schedule).unwrap_err();
        assert_eq!(err, ReceivablesError::ScheduleNotDayAligned.into());
        // negative times (before 1970) align by the same Euclidean remainder
        let before_epoch = [-2 * SECONDS_PER_DAY + 5, -SECONDS_PER_DAY + 5, 5];
        for (cf, ts) in p.schedule.iter_mut().zip(before_epoch) {
            cf.due_ts = ts;
        }
        assert!(validate_schedule_shape(&p.schedule).is_ok());
    }

    #[test]
    fn paying_everything_matures_and_writing_anything_off_says_so() {
        let mut paid = pool(&[10, 20]);
        paid.apply_repayment(30).unwrap();
        paid.settle_status(2_000).unwrap();
        assert_eq!(paid.status, PoolStatus::Matured);

        let mut late = pool(&[10, 20]);
        late.status = PoolStatus::Late;
        late.apply_repayment(25).unwrap();
        late.apply_write_down(5).unwrap();
        late.settle_status(1_000 + 5 * SECONDS_PER_DAY).unwrap();
        assert_eq!(late.status, PoolStatus::WrittenOff);
        assert!(late.status.is_redeemable());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        /// Redeeming a holding in many small pieces never pays more than redeeming it at once,
        /// and when every holder has redeemed the vault is exactly empty.
        #[test]
        fn tiny_redemptions_extract_no_dust(
            vault in 0u64..=u64::MAX / 2,
            holdings in prop::collection::vec(1u64..=1_000_000_000, 1..6),
            pieces in 1u64..50,
        ) {
            let supply: u64 = holdings.iter().sum();
            let (mut v, mut s) = (vault, supply);
            let mut paid_total = 0u64;
            for &h in &holdings {
                let at_once = redemption_payout_floor(v, s, h).unwrap();
                let piece = (h / pieces).max(1);
                let (mut left, mut got) = (h, 0u64);
                while left > 0 {
                    let u = piece.min(left);
                    let p = redemption_payout_floor(v, s, u).unwrap();
                    v -= p;
                    s -= u;
                    left -= u;
                    got += p;
                }
                prop_assert!(got <= at_once);
                paid_total += got;
            }
            prop_assert_eq!(s, 0);
            prop_assert_eq!(v, 0, "the last redemption takes the rest");
            prop_assert_eq!(paid_total, vault);
        }

        /// Repayments and write-downs settle the schedule oldest-first (write-downs latest-first)
        /// without ever settling a flow beyond its amount; what is paid equals what came in.
        #[test]
        fn repayments_and_write_downs_conserve_the_schedule(
            amounts in prop::collection::vec(1u64..=1_000_000, 1..20),
            payments in prop::collection::vec(1u64..=2_000_000, 0..20),
            write_down in 0u64..=5_000_000,
        ) {
            let mut p = pool(&amounts);
            let total: u64 = amounts.iter().sum();
            let mut received = 0u64;
            for pay in payments {
                if pay <= p.outstanding().unwrap() {
                    p.apply_repayment(pay).unwrap();
                    received += pay;
                } else {
                    prop_assert!(p.apply_repayment(pay).is_err());
                }
            }
            let outstanding = p.outstanding().unwrap();
            if write_down <= outstanding {
                p.apply_write_down(write_down).unwrap();
            } else {
                prop_assert!(p.apply_write_down(write_down).is_err());
            }
            let paid: u64 = p.schedule.iter().map(|c| c.paid).sum();
            let written: u64 = p.schedule.iter().map(|c| c.written_off).sum();
            prop_assert_eq!(paid, received);
            prop_assert_eq!(p.total_repaid, received);
            prop_assert_eq!(paid + written + p.outstanding().unwrap(), total);
            prop_assert!(p.schedule.iter().all(|c| c.paid + c.written_off <= c.amount));
            // oldest-first: no flow is paid while an earlier one still has something unpaid and
            // not written off
            let first_open = p.schedule.iter().position(|c| c.outstanding() > 0);
            if let Some(i) = first_open {
                prop_assert!(p.schedule[i + 1..].iter().all(|c| c.paid == 0));
            }
        }
    }
}
