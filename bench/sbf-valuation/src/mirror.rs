//! What `dcf-pricer::refresh_rate` reads and computes, mirrored without Anchor: the account
//! layouts it deserialises (8-byte Anchor discriminator, then the borsh encoding of the fields
//! in declaration order), the oracle read, and the pricing math on rwa-math.
//!
//! Shared by three builds, so that all of them run the same code:
//! - the SBF program (`lib.rs`), which measures it (borsh derives only in that build,
//!   `target_arch = "bpf"`);
//! - the runner, which computes the host result the SBF one must equal;
//! - the host test `tests/dcf_pricer/pool_fixture.rs`, which checks every function here
//!   against the programs' own types (`Account` deserialisation, `valuation_flows`,
//!   `Feed::read`, `write_down_steps`, `value_flows`) on the committed fixtures.
//!
//! Two decoders of each account:
//! - mirror types (`Pool`, `Feed`, `GradeRisk`), field for field the programs' structs, which
//!   the SBF program decodes with borsh 1.8.1 (what Anchor 1.2.2 uses), as `Account::try_from`
//!   does: owner check, discriminator check, borsh into the struct, then a `Box`;
//! - hand decoders (`pool_flows`, `grade_steps`, `feed_read`) that walk the same bytes in place,
//!   validate what borsh validates, and keep only what the pricing reads.
#![allow(dead_code)]

extern crate alloc;

use alloc::{string::String, vec::Vec};
use rwa_math::{
    biased_risk, next_price, value_cash_flows, wide::U256, CashFlow, Fixed, FlowStatus, MathError,
    MathResult, PoolValue, PriceState, Quote, RiseLimit, RiskParams, Valuation, WriteDownStep,
    MAX_WRITE_DOWN_STEPS,
};

/// A `Pubkey` (borsh: a newtype over `[u8; 32]`, encoded as the 32 bytes).
pub type Key = [u8; 32];

/// `sha256("account:<Name>")[..8]`, as Anchor writes it (checked by the host test).
pub const POOL_DISCRIMINATOR: [u8; 8] = [241, 154, 109, 4, 17, 177, 109, 188];
pub const FEED_DISCRIMINATOR: [u8; 8] = [69, 191, 16, 227, 132, 187, 84, 227];
pub const GRADE_RISK_DISCRIMINATOR: [u8; 8] = [174, 155, 231, 116, 42, 136, 151, 132];
/// `receivables::ID` and `rwa_oracle::ID` (checked by the host test).
pub const RECEIVABLES_ID: Key = [
    118, 67, 31, 31, 52, 81, 229, 174, 181, 32, 132, 22, 46, 80, 90, 22, 183, 34, 222, 54, 15, 68,
    48, 62, 59, 34, 5, 172, 31, 228, 11, 38,
];
pub const RWA_ORACLE_ID: Key = [
    16, 90, 135, 132, 202, 180, 217, 201, 13, 10, 127, 63, 114, 97, 162, 197, 102, 245, 14, 54, 62,
    46, 103, 19, 102, 244, 8, 200, 75, 148, 148, 118,
];
/// `receivables::state::MAX_SCHEDULE_LEN`, `rwa_oracle::state::MAX_PUBLISHERS`.
pub const MAX_SCHEDULE_LEN: usize = 64;
pub const MAX_PUBLISHERS: usize = 16;

/// Why an account was refused (Anchor: `AccountOwnedByWrongProgram`,
/// `AccountDiscriminatorMismatch`, `AccountDidNotDeserialize`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    Owner,
    Discriminator,
    Layout,
}

// ---------------------------------------------------------------------------------------------
// receivables::state::Pool

#[cfg_attr(target_arch = "bpf", derive(borsh::BorshDeserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssetClass {
    TradeReceivable,
    SmeLoan,
    RealEstateIncome,
    RevenueRight,
}

#[cfg_attr(target_arch = "bpf", derive(borsh::BorshDeserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolStatus {
    Draft,
    Active,
    Late,
    Matured,
    Defaulted,
    Closed,
    WrittenOff,
    Cancelled,
}

impl PoolStatus {
    fn from_tag(tag: u8) -> Result<PoolStatus, DecodeError> {
        Ok(match tag {
            0 => PoolStatus::Draft,
            1 => PoolStatus::Active,
            2 => PoolStatus::Late,
            3 => PoolStatus::Matured,
            4 => PoolStatus::Defaulted,
            5 => PoolStatus::Closed,
            6 => PoolStatus::WrittenOff,
            7 => PoolStatus::Cancelled,
            _ => return Err(DecodeError::Layout),
        })
    }
}

#[cfg_attr(target_arch = "bpf", derive(borsh::BorshDeserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolCashFlow {
    pub due_ts: i64,
    pub amount: u64,
    pub paid: u64,
    pub written_off: u64,
}

impl PoolCashFlow {
    pub fn outstanding(&self) -> u64 {
        self.amount.saturating_sub(self.paid).saturating_sub(self.written_off)
    }
}

#[cfg_attr(target_arch = "bpf", derive(borsh::BorshDeserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pool {
    pub issuer: Key,
    pub servicer: Key,
    pub currency_mint: Key,
    pub unit_mint: Key,
    pub vault: Key,
    pub index: u32,
    pub asset_class: AssetClass,
    pub grade: u8,
    pub status: PoolStatus,
    pub face_value: u64,
    pub unit_size: u64,
    pub units_minted: u64,
    pub total_repaid: u64,
    pub total_recovered: u64,
    pub doc_hash: [u8; 32],
    pub uri: Uri,
    pub schedule: Schedule,
    pub bump: u8,
    pub unit_mint_bump: u8,
    pub vault_bump: u8,
    pub defaulted_at: i64,
    pub version: u64,
}

/// `Pool::uri` (a `String`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uri(pub String);

/// `Pool::schedule` (a `Vec<CashFlow>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule(pub Vec<PoolCashFlow>);

/// borsh 1.8.1's `String` and `Vec<T>` decoders, as they run on a pool account, written out:
/// LLVM's BPF backend cannot build alloc's buffer growth (`RawVecInner::finish_grow` multiplies
/// with overflow check, a `__multi3` call it cannot lower), which borsh reaches only for a
/// string above 1 MiB, a vector above `4096 / size_of::<T>()` elements (128 flows) and error
/// messages. Everything a valid pool takes is kept: the length, a zeroed buffer of that length
/// filled by `Read::read` and checked as UTF-8; a vector of the cautious capacity filled
/// element by element by the derived decoder, each push checked against the capacity.
#[cfg(target_arch = "bpf")]
mod borsh_alloc {
    use super::{PoolCashFlow, Schedule, Uri};
    use alloc::{string::String, vec, vec::Vec};
    use borsh::io::{ErrorKind, Read, Result};
    use borsh::BorshDeserialize;

    impl BorshDeserialize for Uri {
        #[inline]
        fn deserialize_reader<R: Read>(reader: &mut R) -> Result<Self> {
            let len = u32::deserialize_reader(reader)? as usize;
            if len == 0 {
                return Ok(Uri(String::new()));
            }
            if len > 1024 * 1024 {
                return Err(ErrorKind::InvalidData.into()); // borsh would grow the buffer
            }
            let mut vec = vec![0u8; len];
            let mut pos = 0;
            while pos < len {
                match reader.read(&mut vec.as_mut_slice()[pos..])? {
                    0 => return Err(ErrorKind::InvalidData.into()),
                    read => pos += read,
                }
            }
            String::from_utf8(vec).map(Uri).map_err(|_| ErrorKind::InvalidData.into())
        }
    }

    impl BorshDeserialize for Schedule {
        #[inline]
        fn deserialize_reader<R: Read>(reader: &mut R) -> Result<Self> {
            let len = u32::deserialize_reader(reader)?;
            if len == 0 {
                return Ok(Schedule(Vec::new()));
            }
            // borsh::de::hint::cautious
            let el_size = core::mem::size_of::<PoolCashFlow>() as u32;
            let cautious = core::cmp::max(core::cmp::min(len, 4096 / el_size), 1) as usize;
            let mut result: Vec<PoolCashFlow> = Vec::with_capacity(cautious);
            for _ in 0..len {
                let cf = PoolCashFlow::deserialize_reader(reader)?;
                // Vec::push, whose growth branch borsh never takes on a pool (<= 64 flows)
                if result.len() == result.capacity() {
                    return Err(ErrorKind::InvalidData.into());
                }
                let at = result.len();
                // SAFETY: `at < capacity`, and the element is written before the length grows.
                unsafe {
                    result.as_mut_ptr().add(at).write(cf);
                    result.set_len(at + 1);
                }
            }
            Ok(Schedule(result))
        }
    }
}

impl Pool {
    /// `receivables::state::Pool::valuation_flows_as`: what is still outstanding of each flow,
    /// all valued as `status`.
    pub fn valuation_flows_as(&self, status: FlowStatus) -> impl Iterator<Item = CashFlow> + '_ {
        self.schedule.0.iter().filter(|cf| cf.outstanding() > 0).map(move |cf| CashFlow {
            due_ts: cf.due_ts,
            amount: cf.outstanding(),
            status,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// rwa_oracle::state::{Feed, GradeRisk}

#[cfg_attr(target_arch = "bpf", derive(borsh::BorshDeserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedKind {
    BenchmarkRate,
    CreditSpread,
    DefaultProbability,
    LossGivenDefault,
    MarketPrice,
}

#[cfg_attr(target_arch = "bpf", derive(borsh::BorshDeserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedParams {
    pub kind: FeedKind,
    pub min_value: u128,
    pub max_value: u128,
    pub max_deviation_bps: u16,
    pub deviation_window_secs: u32,
    pub max_staleness_secs: u32,
    pub min_publishers: u8,
    pub max_confidence_bps: u16,
    pub pyth_feed_id: [u8; 32],
    pub single_source: bool,
}

#[cfg_attr(target_arch = "bpf", derive(borsh::BorshDeserialize))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Observation {
    pub publisher: Key,
    pub value: u128,
    pub confidence: u128,
    pub publish_ts: i64,
}

#[cfg_attr(target_arch = "bpf", derive(borsh::BorshDeserialize))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeviationReference {
    pub value: u128,
    pub set_at: i64,
    pub last_accepted: u128,
    pub previous: u128,
}

#[cfg_attr(target_arch = "bpf", derive(borsh::BorshDeserialize))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Aggregate {
    pub value: u128,
    pub confidence: u128,
    pub publish_ts: i64,
    pub formed_at: i64,
    pub publishers: u8,
}

/// What a read returns (`rwa_oracle::state::FeedValue`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedValue {
    pub value: u128,
    pub confidence: u128,
    pub publish_ts: i64,
}

/// Refusals of a read (`OracleError` / `PricerError::FeedKindMismatch`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadError {
    Decode(DecodeError),
    FeedKindMismatch,
    FeedPaused,
    SingleSourceFeed,
    DeviationTooLarge,
    TooFewPublishers,
    StaleFeed,
}

impl From<DecodeError> for ReadError {
    fn from(e: DecodeError) -> ReadError {
        ReadError::Decode(e)
    }
}

#[cfg_attr(target_arch = "bpf", derive(borsh::BorshDeserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed {
    pub feed_id: [u8; 32],
    pub params: FeedParams,
    pub paused: bool,
    pub observations: [Observation; MAX_PUBLISHERS],
    pub accepted: Aggregate,
    pub held: Aggregate,
    pub reference: Option<DeviationReference>,
    pub bump: u8,
}

impl Feed {
    /// `Feed::fresh_aggregate`: of the observations at most `max_age` old at `now`, if a
    /// quorum is fresh: the median value (the lower middle of an even count), the upper-middle
    /// confidence capped at the feed's bound, and the quorum-th freshest publish time.
    pub fn fresh_aggregate(&self, now: i64, max_age: u32) -> Option<Aggregate> {
        const N: usize = MAX_PUBLISHERS;
        let (mut values, mut confidences, mut times) = ([0u128; N], [0u128; N], [0i64; N]);
        let mut n = 0usize;
        for o in self.observations.iter() {
            let fresh = o.publish_ts > 0 && now.saturating_sub(o.publish_ts) <= max_age as i64;
            if o.publisher != Key::default() && fresh {
                values[n] = o.value;
                confidences[n] = o.confidence;
                times[n] = o.publish_ts;
                n += 1;
            }
        }
        let quorum = (self.params.min_publishers as usize).max(1);
        if n < quorum {
            return None;
        }
        values[..n].sort_unstable();
        confidences[..n].sort_unstable();
        times[..n].sort_unstable_by(|a, b| b.cmp(a));
        let value = values[(n - 1) / 2];
        let confidence = confidences[n / 2].min(bps_of(value, self.params.max_confidence_bps));
        Some(Aggregate {
            value,
            confidence,
            publish_ts: times[quorum - 1],
            formed_at: now,
            publishers: n as u8,
        })
    }

    /// `Feed::read` with `ReadOptions::max_age(max_age)` (what refresh_rate passes: quorum
    /// feeds only), preceded by refresh_rate's kind check.
    pub fn read(
        &self,
        kind: FeedKind,
        oracle_paused: bool,
        now: i64,
        max_age: u32,
    ) -> Result<FeedValue, ReadError> {
        let allow_single_source = false;
        if self.params.kind != kind {
            return Err(ReadError::FeedKindMismatch);
        }
        if oracle_paused || self.paused {
            return Err(ReadError::FeedPaused);
        }
        if self.params.single_source && !allow_single_source {
            return Err(ReadError::SingleSourceFeed);
        }
        if self.held.publishers != 0 {
            return Err(ReadError::DeviationTooLarge);
        }
        let max_age = max_age.min(self.params.max_staleness_secs);
        if !(self.accepted.publishers > 0 && self.fresh_aggregate(now, max_age).is_some()) {
            return Err(ReadError::TooFewPublishers);
        }
        if now.saturating_sub(self.accepted.publish_ts) > max_age as i64 {
            return Err(ReadError::StaleFeed);
        }
        Ok(FeedValue {
            value: self.accepted.value,
            confidence: self.accepted.confidence,
            publish_ts: self.accepted.publish_ts,
        })
    }
}

/// `rwa_oracle::state::bps_of`: `value * bps / 10,000` rounded down, exact for every `u128`
/// (`bps` capped at 10,000). Its `u128` division and product go through rwa-math's limbs here:
/// this toolchain has no 128-bit division or multiplication builtins (platform-tools builds
/// call `__udivti3`/`__umodti3` and `__multi3` for them).
pub fn bps_of(value: u128, bps: u16) -> u128 {
    const BPS: u64 = 10_000;
    let bps = (bps as u64).min(BPS);
    let Ok((q, r)) = U256::from_u128(value).div_rem_u64(BPS) else {
        return 0; // not reached: BPS is not zero
    };
    // q * bps <= value: no overflow; r * bps < 10^8
    U256::mul_u128_u64(q.low_u128(), bps).low_u128() + (r * bps / BPS) as u128
}

#[cfg_attr(target_arch = "bpf", derive(borsh::BorshDeserialize))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteDownStepRaw {
    pub days_late: u32,
    pub fraction: u128,
}

#[cfg_attr(target_arch = "bpf", derive(borsh::BorshDeserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GradeRisk {
    pub grade: u8,
    pub label: [u8; 8],
    pub spread_feed: Key,
    pub pd_feed: Key,
    pub lgd_feed: Key,
    pub write_down: [WriteDownStepRaw; MAX_WRITE_DOWN_STEPS],
    pub write_down_len: u8,
    pub bump: u8,
}

pub type Steps = [WriteDownStep; MAX_WRITE_DOWN_STEPS];

impl GradeRisk {
    /// `GradeRisk::write_down_steps`.
    pub fn write_down_steps(&self) -> (Steps, usize) {
        let mut steps =
            [WriteDownStep { days_late: 0, fraction: Fixed::ZERO }; MAX_WRITE_DOWN_STEPS];
        for (out, raw) in steps.iter_mut().zip(self.write_down.iter()) {
            *out =
                WriteDownStep { days_late: raw.days_late, fraction: Fixed::from_raw(raw.fraction) };
        }
        (steps, (self.write_down_len as usize).min(MAX_WRITE_DOWN_STEPS))
    }
}

// ---------------------------------------------------------------------------------------------
// Hand decoders: the same bytes, walked in place.

/// Little-endian reader that refuses (as borsh does) to read past the end.
struct Cursor<'a> {
    d: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    /// After the owner and discriminator checks of `Account::try_from`.
    fn account(
        owner: &Key,
        data: &'a [u8],
        expected_owner: &Key,
        disc: &[u8; 8],
    ) -> Result<Cursor<'a>, DecodeError> {
        if owner != expected_owner {
            return Err(DecodeError::Owner);
        }
        if data.len() < 8 || data[..8] != disc[..] {
            return Err(DecodeError::Discriminator);
        }
        Ok(Cursor { d: data, at: 8 })
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.at.checked_add(n).ok_or(DecodeError::Layout)?;
        let s = self.d.get(self.at..end).ok_or(DecodeError::Layout)?;
        self.at = end;
        Ok(s)
    }

    fn skip(&mut self, n: usize) -> Result<(), DecodeError> {
        self.take(n).map(|_| ())
    }

    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    /// A borsh enum tag below `variants`, or a bool (`variants = 2`).
    fn tag(&mut self, variants: u8) -> Result<u8, DecodeError> {
        let t = self.u8()?;
        if t < variants {
            Ok(t)
        } else {
            Err(DecodeError::Layout)
        }
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        let mut b = [0u8; 4];
        b.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(b))
    }

    fn u64(&mut self) -> Result<u64, DecodeError> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(b))
    }

    fn i64(&mut self) -> Result<i64, DecodeError> {
        self.u64().map(|v| v as i64)
    }

    fn u128(&mut self) -> Result<u128, DecodeError> {
        let lo = self.u64()? as u128;
        let hi = self.u64()? as u128;
        Ok(lo | hi << 64)
    }
}

/// What the pricing reads of a pool, decoded in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolHead {
    pub grade: u8,
    pub status: PoolStatus,
    pub total_repaid: u64,
    pub total_recovered: u64,
    pub units_minted: u64,
    /// Flows written to the output: those with something outstanding.
    pub valued: usize,
    /// Flows in the schedule.
    pub schedule_len: usize,
}

/// Walks a `Pool` account's bytes as borsh reads them (keys, fixed fields, `uri` checked to be
/// UTF-8, then the schedule) and writes `valuation_flows()` into `out`.
pub fn pool_flows(
    owner: &Key,
    data: &[u8],
    out: &mut [CashFlow; MAX_SCHEDULE_LEN],
) -> Result<PoolHead, DecodeError> {
    let mut c = Cursor::account(owner, data, &RECEIVABLES_ID, &POOL_DISCRIMINATOR)?;
    c.skip(5 * 32 + 4)?; // issuer, servicer, currency_mint, unit_mint, vault, index
    c.tag(4)?; // asset_class
    let grade = c.u8()?;
    let status = PoolStatus::from_tag(c.u8()?)?;
    c.skip(2 * 8)?; // face_value, unit_size
    let units_minted = c.u64()?;
    let total_repaid = c.u64()?;
    let total_recovered = c.u64()?;
    c.skip(32)?; // doc_hash
    let uri_len = c.u32()? as usize;
    core::str::from_utf8(c.take(uri_len)?).map_err(|_| DecodeError::Layout)?;
    let schedule_len = c.u32()? as usize;
    if schedule_len > MAX_SCHEDULE_LEN {
        return Err(DecodeError::Layout); // more than the account's space holds
    }
    let flow_status =
        if status == PoolStatus::Defaulted { FlowStatus::Defaulted } else { FlowStatus::Scheduled };
    let mut valued = 0;
    for _ in 0..schedule_len {
        let due_ts = c.i64()?;
        let cf = PoolCashFlow { due_ts, amount: c.u64()?, paid: c.u64()?, written_off: c.u64()? };
        let amount = cf.outstanding();
        if amount > 0 {
            out[valued] = CashFlow { due_ts, amount, status: flow_status };
            valued += 1;
        }
    }
    c.skip(3 + 8 + 8)?; // bumps, defaulted_at, version
    Ok(PoolHead {
        grade,
        status,
        total_repaid,
        total_recovered,
        units_minted,
        valued,
        schedule_len,
    })
}

/// Walks a `GradeRisk` account's bytes: its grade and `write_down_steps()`.
pub fn grade_steps(owner: &Key, data: &[u8]) -> Result<(u8, Steps, usize), DecodeError> {
    let mut c = Cursor::account(owner, data, &RWA_ORACLE_ID, &GRADE_RISK_DISCRIMINATOR)?;
    let grade = c.u8()?;
    c.skip(8 + 3 * 32)?; // label, spread/pd/lgd feeds
    let mut steps = [WriteDownStep { days_late: 0, fraction: Fixed::ZERO }; MAX_WRITE_DOWN_STEPS];
    for s in steps.iter_mut() {
        let days_late = c.u32()?;
        *s = WriteDownStep { days_late, fraction: Fixed::from_raw(c.u128()?) };
    }
    let len = (c.u8()? as usize).min(MAX_WRITE_DOWN_STEPS);
    c.skip(1)?; // bump
    Ok((grade, steps, len))
}

/// Byte offsets inside a `Feed` account (discriminator included).
const FEED_PARAMS: usize = 8 + 32;
const FEED_PAUSED: usize = FEED_PARAMS + 1 + 16 + 16 + 2 + 4 + 4 + 1 + 2 + 32 + 1;
const FEED_OBSERVATIONS: usize = FEED_PAUSED + 1;
const OBSERVATION_LEN: usize = 32 + 16 + 16 + 8;
const AGGREGATE_LEN: usize = 16 + 16 + 8 + 8 + 1;
const FEED_ACCEPTED: usize = FEED_OBSERVATIONS + MAX_PUBLISHERS * OBSERVATION_LEN;
const FEED_HELD: usize = FEED_ACCEPTED + AGGREGATE_LEN;
const FEED_REFERENCE: usize = FEED_HELD + AGGREGATE_LEN;
const DEVIATION_REFERENCE_LEN: usize = 16 + 8 + 16 + 16;
/// Bytes of a `Feed` account (discriminator included; `reference` at its largest).
pub const FEED_LEN: usize = FEED_REFERENCE + 1 + DEVIATION_REFERENCE_LEN + 1;

/// `Feed::read` (and refresh_rate's kind check) on a `Feed` account's bytes, in place: the
/// fields borsh would refuse (enum tags, bools) are checked, the rest read where it lies.
pub fn feed_read(
    owner: &Key,
    data: &[u8],
    kind: FeedKind,
    oracle_paused: bool,
    now: i64,
    max_age: u32,
) -> Result<FeedValue, ReadError> {
    let mut c = Cursor::account(owner, data, &RWA_ORACLE_ID, &FEED_DISCRIMINATOR)?;
    c.skip(32)?;
    let feed_kind = c.tag(5)?;
    c.skip(16 + 16 + 2 + 4)?; // min, max, max_deviation_bps, deviation_window_secs
    let max_staleness = c.u32()?;
    let min_publishers = c.u8()?;
    c.skip(2 + 32)?; // max_confidence_bps, pyth_feed_id
    let single_source = c.tag(2)? == 1;
    let paused = c.tag(2)? == 1;
    c.skip(MAX_PUBLISHERS * OBSERVATION_LEN)?;
    let (value, confidence, publish_ts) = (c.u128()?, c.u128()?, c.i64()?);
    c.skip(8)?; // formed_at
    let accepted_publishers = c.u8()?;
    c.skip(AGGREGATE_LEN - 1)?;
    let held_publishers = c.u8()?;
    if c.tag(2)? == 1 {
        c.skip(DEVIATION_REFERENCE_LEN)?;
    }
    c.skip(1)?; // bump

    if feed_kind != kind as u8 {
        return Err(ReadError::FeedKindMismatch);
    }
    if oracle_paused || paused {
        return Err(ReadError::FeedPaused);
    }
    if single_source {
        return Err(ReadError::SingleSourceFeed); // refresh_rate does not allow single sources
    }
    if held_publishers != 0 {
        return Err(ReadError::DeviationTooLarge);
    }
    let max_age = max_age.min(max_staleness);
    let fresh = fresh_count(data, now, max_age);
    if !(accepted_publishers > 0 && fresh > 0 && fresh >= min_publishers as usize) {
        return Err(ReadError::TooFewPublishers);
    }
    if now.saturating_sub(publish_ts) > max_age as i64 {
        return Err(ReadError::StaleFeed);
    }
    Ok(FeedValue { value, confidence, publish_ts })
}

/// Publishers of a feed's bytes with an observation at most `max_age` old (the quorum
/// `Feed::read` asks `fresh_aggregate` for; it needs no median).
fn fresh_count(data: &[u8], now: i64, max_age: u32) -> usize {
    let mut n = 0;
    for o in data[FEED_OBSERVATIONS..FEED_ACCEPTED].as_chunks::<OBSERVATION_LEN>().0 {
        let mut ts = [0u8; 8];
        ts.copy_from_slice(&o[64..72]);
        let ts = i64::from_le_bytes(ts);
        let fresh = ts > 0 && now.saturating_sub(ts) <= max_age as i64;
        if fresh && o[..32] != [0u8; 32] {
            n += 1;
        }
    }
    n
}

// ---------------------------------------------------------------------------------------------
// refresh_rate's math

/// `dcf_pricer::state::PricingParams`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PricingParams {
    pub max_input_age_secs: u32,
    pub max_rise_bps: u16,
    pub rise_interval_secs: u32,
}

/// Everything but the pool and the grade that `refresh_rate` prices from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub now: i64,
    /// Benchmark, spread, PD and LGD, as `Feed::read` returned them.
    pub inputs: [FeedValue; 4],
    /// The vault's balance and the unit mint's supply.
    pub vault: u64,
    pub units: u64,
    pub params: PricingParams,
    /// The pool pricing's previous state (`PoolPricing::price_state`).
    pub state: PriceState,
}

/// What `refresh_rate` stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Priced {
    pub unit_price: u128,
    pub computed_price: u128,
    pub pool_value: u64,
    pub vault_cash: u64,
    pub flows_value: u64,
    pub reference_price: u128,
    pub reference_at: i64,
    pub previous_low: u128,
    pub capped: bool,
}

/// Refusals of the pricing (the `PricerError`s refresh_rate maps them to).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriceError {
    PoolNotPriceable,
    NoUnitsOutstanding,
    InvalidPricingParams,
    Math(MathError),
}

impl From<MathError> for PriceError {
    fn from(e: MathError) -> PriceError {
        PriceError::Math(e)
    }
}

fn quote(v: &FeedValue) -> Quote {
    Quote { value: Fixed::from_raw(v.value), confidence: Fixed::from_raw(v.confidence) }
}

/// What the pricing reads of the pool besides its flows, and the grade's write-down steps.
#[derive(Clone, Copy, Debug)]
pub struct PoolFacts<'a> {
    pub status: PoolStatus,
    pub total_recovered: u64,
    pub steps: &'a [WriteDownStep],
}

/// What `value_cash_flows` takes besides the flows.
struct ValueArgs<'a> {
    now: i64,
    risk: &'a RiskParams,
    steps: &'a [WriteDownStep],
}

/// `value_cash_flows` as `value_flows`'s `value` closure calls it (twice for a defaulted pool).
/// Not inlined, so that `value_cash_flows` is, and no call passes more than five arguments:
/// LLVM's BPF backend passes at most five, in registers, none on the stack.
#[inline(never)]
fn value<I: Iterator<Item = CashFlow>>(flows: &mut I, a: &ValueArgs) -> MathResult<Valuation> {
    value_cash_flows(flows, a.now, a.risk, a.steps)
}

/// `refresh_rate::value_flows` and the rest of `refresh_rate::handler`'s math: risk at the top
/// of the inputs' intervals, the flows' value (for a defaulted pool the lower of the flows
/// valued as performing and as defaulted), the pool value (recoveries counted once), the unit
/// price rounded down, and the rise cap above the vault's cash per unit. `flows_as(status)` is
/// `Pool::valuation_flows_as(status)`.
pub fn price<F, I>(flows_as: &F, pool: &PoolFacts, s: &Scenario) -> Result<Priced, PriceError>
where
    F: Fn(FlowStatus) -> I,
    I: Iterator<Item = CashFlow>,
{
    let (status, total_recovered, steps) = (pool.status, pool.total_recovered, pool.steps);
    let zero = Valuation { value: 0, undiscounted: 0, value_q127: U256::ZERO };
    let (flows, recovered) = match status {
        PoolStatus::Draft | PoolStatus::Cancelled => return Err(PriceError::PoolNotPriceable),
        PoolStatus::Matured | PoolStatus::WrittenOff | PoolStatus::Closed => (zero, 0),
        PoolStatus::Active | PoolStatus::Late | PoolStatus::Defaulted => {
            let [bench, spread, pd, lgd] = &s.inputs;
            let risk = biased_risk(quote(bench), quote(spread), quote(pd), quote(lgd))?;
            let args = ValueArgs { now: s.now, risk: &risk, steps };
            let scheduled = value(&mut flows_as(FlowStatus::Scheduled), &args)?;
            if status != PoolStatus::Defaulted {
                (scheduled, 0)
            } else {
                // a default never raises the value: the lower of the two
                let defaulted = value(&mut flows_as(FlowStatus::Defaulted), &args)?;
                let lower = if defaulted.value <= scheduled.value { defaulted } else { scheduled };
                (lower, total_recovered)
            }
        }
    };
    if s.units == 0 {
        return Err(PriceError::NoUnitsOutstanding);
    }
    let pool = PoolValue::new(s.vault, &flows, recovered)?;
    let computed = pool.unit_price_floor(s.units)?;
    let max_rise = Fixed::from_bps_floor(s.params.max_rise_bps as u64)
        .map_err(|_| PriceError::InvalidPricingParams)?;
    let limit = RiseLimit { max_rise, interval_secs: s.params.rise_interval_secs };
    // the vault's cash is verifiable: the published price is never capped below it
    let cash_floor = Fixed::from_ratio_floor(pool.vault_cash, s.units)?;
    let (state, capped) = next_price(s.state, computed, cash_floor, s.now, limit)?;
    Ok(Priced {
        unit_price: state.published.raw(),
        computed_price: computed.raw(),
        pool_value: pool.value,
        vault_cash: pool.vault_cash,
        flows_value: pool.flows_value,
        reference_price: state.reference.raw(),
        reference_at: state.reference_at,
        previous_low: state.previous_low.raw(),
        capped,
    })
}

// ---------------------------------------------------------------------------------------------
// The bench's scenario (the host test checks it prices like dcf-pricer on the fixtures)

pub const NOW: i64 = 1_800_000_000;
const fn bps(b: u64) -> u128 {
    ((b as u128) << 64) / 10_000
}

/// Spread 3.50% +- 0.05%, PD 3.00% +- 0.10%, LGD 45% +- 1%, published 2 minutes ago; the
/// benchmark is what `bench/fixtures/feed-16.bin` reads at `NOW`.
pub fn scenario(benchmark: FeedValue, vault: u64, units: u64) -> Scenario {
    let input =
        |b: u64, c: u64| FeedValue { value: bps(b), confidence: bps(c), publish_ts: NOW - 120 };
    Scenario {
        now: NOW,
        inputs: [benchmark, input(350, 5), input(300, 10), input(4_500, 100)],
        vault,
        units,
        params: PricingParams {
            max_input_age_secs: 600,
            max_rise_bps: 100,
            rise_interval_secs: 3_600,
        },
        // refreshed half an hour ago at 0.97, the low of this interval and the one before
        // (within the rise interval: the cap is computed)
        state: PriceState {
            published: Fixed::from_raw(bps(9_700)),
            reference: Fixed::from_raw(bps(9_700)),
            reference_at: NOW - 1_800,
            previous_low: Fixed::from_raw(bps(9_700)),
        },
    }
}
