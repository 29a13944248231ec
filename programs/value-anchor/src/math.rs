//! The value flows of value-anchor as pure functions of amounts, unit-tested and property-tested
//! without accounts. Every rounding is named and in the protocol's favour: what the protocol
//! pays out or counts as backing rounds down, what a user owes (fees) rounds up.
use anchor_lang::prelude::*;
use rwa_math::Fixed;

use crate::errors::AnchorTokenError;

pub const BPS: u64 = 10_000;

fn overflow() -> Error {
    error!(AnchorTokenError::MathOverflow)
}

/// `floor(amount * numerator / denominator)` in 128 bits.
pub fn mul_div_floor(amount: u64, numerator: u64, denominator: u64) -> Result<u64> {
    require!(denominator > 0, AnchorTokenError::MathOverflow);
    let q = amount as u128 * numerator as u128 / denominator as u128;
    u64::try_from(q).map_err(|_| overflow())
}

/// `ceil(amount * bps / 10,000)`: a fee the user owes.
pub fn fee_ceil(amount: u64, bps: u16) -> Result<u64> {
    let q = (amount as u128 * bps as u128).div_ceil(BPS as u128);
    u64::try_from(q).map_err(|_| overflow())
}

/// Value of `units` at `price` (base units of currency per unit base unit), rounded down.
pub fn units_value_floor(units: u64, price: Fixed) -> Result<u64> {
    price.mul_u64_floor(units).map_err(|_| overflow())
}

/// What an exchange of `units` at `price` pays: `gross = floor(units x price)` and
/// `out = floor(gross x (10,000 - haircut_bps) / 10,000)`. The haircut, `gross - out`, stays
/// in the backing as surplus.
pub fn exchange_out(units: u64, price: Fixed, haircut_bps: u16) -> Result<(u64, u64)> {
    let gross = units_value_floor(units, price)?;
    let out = mul_div_floor(gross, BPS - haircut_bps as u64, BPS)?;
    Ok((gross, out))
}

/// What `amount` anchor tokens are worth in currency when `backing` stands behind `supply`:
/// `floor(amount x min(backing, supply) / supply)`. At or above full backing a token is worth
/// one base unit; below it every token is worth the same `backing / supply`, so the first to
/// redeem gets no more than the last.
pub fn redemption_value_floor(amount: u64, backing: u64, supply: u64) -> Result<u64> {
    require!(amount > 0 && amount <= supply, AnchorTokenError::InvalidAmount);
    mul_div_floor(amount, backing.min(supply), supply)
}

/// The share of every holding an in-kind redemption of `amount` takes, as the fraction
/// `amount / max(supply, backing)`: at or above full backing it is worth exactly `amount` (the
/// surplus stays with the protocol), below it is the pro-rata `amount / supply` (the loss is
/// shared equally). Returned as (numerator, denominator) for `mul_div_floor`.
pub fn in_kind_fraction(amount: u64, backing: u64, supply: u64) -> Result<(u64, u64)> {
    require!(amount > 0 && amount <= supply, AnchorTokenError::InvalidAmount);
    Ok((amount, supply.max(backing)))
}

/// Whether `backing` covers `supply x (1 + overcollateral_bps / 10,000)`.
pub fn is_backed(backing: u64, supply: u64, overcollateral_bps: u16) -> bool {
    backing as u128 * BPS as u128 >= supply as u128 * (BPS as u128 + overcollateral_bps as u128)
}

/// `ceil(supply x (10,000 + overcollateral_bps) / 10,000)`: the least backing `is_backed`
/// accepts (rounded up, so what it frees as surplus is never too much).
fn required_backing_ceil(supply: u64, overcollateral_bps: u16) -> u128 {
    (supply as u128 * (BPS as u128 + overcollateral_bps as u128)).div_ceil(BPS as u128)
}

/// What `backing` lacks of `supply x (1 + overcollateral)`, rounded up: covering exactly this
/// makes the backing pass `is_backed`, one base unit less does not. Zero when backed.
pub fn shortfall_ceil(backing: u64, supply: u64, overcollateral_bps: u16) -> Result<u64> {
    let need = required_backing_ceil(supply, overcollateral_bps).saturating_sub(backing as u128);
    u64::try_from(need).map_err(|_| overflow())
}

/// What `backing` holds above `supply x (1 + overcollateral)`, rounded down (the requirement
/// rounds up): taking at most this out leaves the backing passing `is_backed`. Zero when short.
pub fn surplus_floor(backing: u64, supply: u64, overcollateral_bps: u16) -> u64 {
    // at most `backing`, so it fits
    (backing as u128).saturating_sub(required_backing_ceil(supply, overcollateral_bps)) as u64
}

/// A per-pool intake limit whose usage decays linearly: `capacity` of value per
/// `window_secs`, as Ondo's decaying-usage rate limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecayingUsage {
    pub capacity: u64,
    pub window_secs: u32,
    pub usage: u64,
    pub usage_at: i64,
}

impl DecayingUsage {
    /// Usage at `now`: what was used, less `capacity x elapsed / window` (rounded down, so
    /// capacity returns no faster than stated), never below zero.
    pub fn usage_at(&self, now: i64) -> Result<u64> {
        let elapsed = now.saturating_sub(self.usage_at).max(0) as u64;
        let decayed = mul_div_floor(
            self.capacity,
            elapsed.min(self.window_secs as u64),
            self.window_secs as u64,
        )?;
        Ok(self.usage.saturating_sub(decayed))
    }

    /// What may still be taken at `now`.
    pub fn available(&self, now: i64) -> Result<u64> {
        Ok(self.capacity.saturating_sub(self.usage_at(now)?))
    }

    /// Takes `value` at `now`, or refuses (`CapacityExceeded`) what does not fit.
    pub fn take(&mut self, value: u64, now: i64) -> Result<()> {
        let available = self.available(now)?;
        if value > available {
            msg!("capacity: {} of value fits now", available);
            return err!(AnchorTokenError::CapacityExceeded);
        }
        self.usage = self.usage_at(now)?.checked_add(value).ok_or_else(overflow)?;
        self.usage_at = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_exchange_pays_the_value_less_the_haircut_rounded_down() {
        let price = Fixed::from_ratio_floor(97, 100).unwrap();
        let (gross, out) = exchange_out(1_000_000, price, 200).unwrap();
        assert_eq!(gross, 969_999, "0.97 in binary is a hair below 0.97");
        assert_eq!(out, 950_599);
    }

    #[test]
    fn fees_round_up_and_redemptions_down() {
        assert_eq!(fee_ceil(1, 1).unwrap(), 1);
        assert_eq!(fee_ceil(10_000, 10).unwrap(), 10);
        assert_eq!(fee_ceil(0, 10).unwrap(), 0);
        assert_eq!(redemption_value_floor(3, 200, 300).unwrap(), 2);
        assert_eq!(redemption_value_floor(3, 900, 300).unwrap(), 3, "never above par");
    }

    #[test]
    fn shortfall_and_surplus_round_in_the_protocols_favour() {
        // supply 1,001 at 1%: 1,011.01 required, so 1,012
        assert_eq!(shortfall_ceil(1_000, 1_001, 100).unwrap(), 12);
        assert_eq!(shortfall_ceil(1_012, 1_001, 100).unwrap(), 0);
        assert_eq!(surplus_floor(1_012, 1_001, 100), 0);
        assert_eq!(surplus_floor(1_020, 1_001, 100), 8);
        assert_eq!(surplus_floor(5, 0, 100), 5, "no supply: everything is surplus");
        assert_eq!(shortfall_ceil(0, u64::MAX, 10_000).unwrap_err(), overflow());
    }

    #[test]
    fn capacity_refills_linearly_over_the_window() {
        let mut u = DecayingUsage { capacity: 1_000, window_secs: 100, usage: 0, usage_at: 0 };
        u.take(1_000, 0).unwrap();
        assert_eq!(u.take(1, 0).unwrap_err(), AnchorTokenError::CapacityExceeded.into());
        assert_eq!(u.available(50).unwrap(), 500);
        assert_eq!(u.available(100).unwrap(), 1_000);
        assert_eq!(u.available(1_000).unwrap(), 1_000);
        u.take(400, 50).unwrap();
        assert_eq!(u.usage_at(50).unwrap(), 900);
    }

    /// A model of the backing: stable reserve, collateral value, supply. Operations change it
    /// the way the program does.
    #[derive(Clone, Debug)]
    struct Model {
        reserve: u64,
        collateral: u64,
        supply: u64,
    }

    impl Model {
        fn backing(&self) -> u64 {
            self.reserve + self.collateral
        }
    }

    /// The whole accounting of one accepted pool on a model: stable reserve, backing units at a
    /// price, anchor supply, driven by the same functions the program calls.
    #[derive(Clone, Debug)]
    struct Book {
        reserve: u64,
        units: u64,
        price: Fixed,
        supply: u64,
    }

    impl Book {
        fn backing(&self) -> u64 {
            self.reserve + units_value_floor(self.units, self.price).unwrap()
        }
    }

    #[derive(Clone, Debug)]
    enum Op {
        Exchange(u64),
        PsmMint(u64),
        PsmRedeem(u64),
        InKind(u64),
        /// The price falls to this share (bps) of what it was.
        PriceFall(u16),
        /// The pool matures and its units are collected at the current price.
        Collect,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (1u64..1_000_000_000).prop_map(Op::Exchange),
            (1u64..1_000_000_000).prop_map(Op::PsmMint),
            (1u64..1_000_000_000).prop_map(Op::PsmRedeem),
            (1u64..1_000_000_000).prop_map(Op::InKind),
            (1u16..10_000).prop_map(Op::PriceFall),
            Just(Op::Collect),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3_000))]

        /// Random sequences of exchange, PSM mint and redeem, in-kind redemption, price falls
        /// and collection: every successful mint leaves backing >= supply x (1 + 1%); no
        /// redemption pays more per token than min(1, backing / supply); and the user, who put
        /// in stable and units (valued at the price of the day), never takes out more than it
        /// put in (prices only fall here, so exposure only costs).
        #[test]
        fn random_sequences_keep_mints_backed_and_pay_nobody_more_than_they_put_in(
            ops in prop::collection::vec(op(), 1..60),
            price_raw in (1u128 << 62)..(1u128 << 65),
        ) {
            let over = 100u16;
            let haircut = 300u16;
            let mut b = Book { reserve: 0, units: 0, price: Fixed::from_raw(price_raw), supply: 0 };
            let (mut put_in, mut taken_out) = (0u128, 0u128);
            for op in ops {
                match op {
                    Op::Exchange(units) => {
                        let (value, minted) = exchange_out(units, b.price, haircut).unwrap();
                        let next = Book { units: b.units + units, supply: b.supply + minted, ..b.clone() };
                        if minted > 0 && is_backed(next.backing(), next.supply, over) {
                            b = next;
                            put_in += value as u128;
                        }
                    }
                    Op::PsmMint(amount) => {
                        let minted = amount - fee_ceil(amount, 5).unwrap();
                        let next = Book { reserve: b.reserve + amount, supply: b.supply + minted, ..b.clone() };
                        if minted > 0 && is_backed(next.backing(), next.supply, over) {
                            b = next;
                            put_in += amount as u128;
                        }
                    }
                    Op::PsmRedeem(amount) => {
                        if b.supply == 0 { continue; }
                        let amount = amount.min(b.supply);
                        let value = redemption_value_floor(amount, b.backing(), b.supply).unwrap();
                        let paid = value - fee_ceil(value, 5).unwrap();
                        if paid == 0 || paid > b.reserve { continue; }
                        prop_assert!(paid as u128 * b.supply as u128 <= amount as u128 * b.backing().min(b.supply) as u128);
                        b.reserve -= paid;
                        b.supply -= amount;
                        taken_out += paid as u128;
                    }
                    Op::InKind(amount) => {
                        if b.supply == 0 { continue; }
                        let amount = amount.min(b.supply);
                        let backing = b.backing();
                        let (num, den) = in_kind_fraction(amount, backing, b.supply).unwrap();
                        let stable = mul_div_floor(b.reserve, num, den).unwrap();
                        let units = mul_div_floor(b.units, num, den).unwrap();
                        let worth = stable + units_value_floor(units, b.price).unwrap();
                        prop_assert!(worth as u128 * b.supply as u128 <= amount as u128 * backing.min(b.supply) as u128 + b.supply as u128);
                        b.reserve -= stable;
                        b.units -= units;
                        b.supply -= amount;
                        taken_out += worth as u128;
                    }
                    Op::PriceFall(share) => {
                        b.price = Fixed::from_raw(b.price.raw() / 10_000 * share as u128);
                    }
                    Op::Collect => {
                        b.reserve += units_value_floor(b.units, b.price).unwrap();
                        b.units = 0;
                    }
                }
                prop_assert!(taken_out <= put_in, "out {} > in {}", taken_out, put_in);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]

        /// Below full backing, redeeming in any order and any sizes pays every token the same
        /// value: each redemption pays at most its pro-rata share of what backs the supply at
        /// that moment, and the value per remaining token never falls (rounding stays with
        /// those who stay), so the first to redeem gets no more per token than the last.
        #[test]
        fn redeemers_of_an_undercollateralised_token_are_paid_equally(
            reserve in 1u64..1_000_000_000_000,
            supply_extra in 1u64..1_000_000_000_000,
            pieces in prop::collection::vec(1u64..1_000_000_000, 1..30),
        ) {
            let supply = reserve + supply_extra; // backing < supply
            let mut m = Model { reserve, collateral: 0, supply };
            let mut paid_per_token = vec![];
            for amount in pieces {
                let amount = amount.min(m.supply);
                if amount == 0 { break; }
                let (b0, s0) = (m.backing() as u128, m.supply as u128);
                let paid = redemption_value_floor(amount, m.backing(), m.supply).unwrap();
                prop_assert!(paid as u128 * s0 <= amount as u128 * b0, "at most pro rata");
                m.reserve -= paid;
                m.supply -= amount;
                if m.supply > 0 {
                    prop_assert!(m.backing() as u128 * s0 >= b0 * m.supply as u128, "never falls");
                }
                paid_per_token.push((paid, amount));
            }
            // the first redeemer's value per token is at most the last one's plus one base unit
            // of rounding on the last redemption
            if let (Some(&(p0, a0)), Some(&(pn, an))) = (paid_per_token.first(), paid_per_token.last()) {
                prop_assert!(p0 as u128 * an as u128 <= (pn as u128 + 1) * a0 as u128);
            }
        }

        /// Covering exactly the shortfall is exactly enough for the mint check, and sweeping
        /// exactly the surplus leaves the backing passing it, one base unit more does not.
        #[test]
        fn covering_the_shortfall_and_sweeping_the_surplus_meet_the_mint_check_exactly(
            backing in 0u64..2_000_000_000_000,
            supply in 0u64..1_000_000_000_000,
            over in 0u16..=10_000,
        ) {
            let need = shortfall_ceil(backing, supply, over).unwrap();
            prop_assert!(is_backed(backing + need, supply, over));
            prop_assert!(need == 0 || !is_backed(backing + need - 1, supply, over));
            prop_assert_eq!(need == 0, is_backed(backing, supply, over));
            let surplus = surplus_floor(backing, supply, over);
            prop_assert!(surplus <= backing);
            if need == 0 {
                prop_assert!(is_backed(backing - surplus, supply, over));
                prop_assert!(surplus == backing || !is_backed(backing - surplus - 1, supply, over));
            } else {
                prop_assert_eq!(surplus, 0);
            }
        }

        /// In kind: the fraction taken is worth at most `amount` (at or above full backing)
        /// and at most the pro-rata share (below it).
        #[test]
        fn in_kind_takes_no_more_than_par_or_the_pro_rata_share(
            amount in 1u64..1_000_000_000,
            supply_extra in 0u64..1_000_000_000_000,
            backing in 0u64..2_000_000_000_000,
        ) {
            let supply = amount + supply_extra;
            let (num, den) = in_kind_fraction(amount, backing, supply).unwrap();
            let worth = mul_div_floor(backing, num, den).unwrap();
            prop_assert!(worth <= amount);
            prop_assert!(worth as u128 * supply as u128 <= backing as u128 * amount as u128);
        }

        /// Exchanges never mint more than the units' value, and splitting an exchange into
        /// pieces never mints more than doing it at once.
        #[test]
        fn split_exchanges_never_pay_more(
            units in 1u64..1_000_000_000_000,
            price_raw in 1u128..(4u128 << 64),
            haircut in 0u16..5_000,
            pieces in 1u64..20,
        ) {
            let price = Fixed::from_raw(price_raw);
            let (gross, at_once) = exchange_out(units, price, haircut).unwrap();
            prop_assert!(at_once <= gross);
            let piece = (units / pieces).max(1);
            let (mut left, mut split) = (units, 0u64);
            while left > 0 {
                let u = piece.min(left);
                split += exchange_out(u, price, haircut).unwrap().1;
                left -= u;
            }
            prop_assert!(split <= at_once);
        }
    }
}
