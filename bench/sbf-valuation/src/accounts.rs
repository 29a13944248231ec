//! The `accounts` build of the bench program (`--features accounts`): `dcf-pricer::refresh_rate`'s
//! reads and pricing (`mirror.rs`) on accounts holding the committed fixture bytes, in a
//! program of its own, so that neither build's code changes how LLVM inlines the other's.
//!
//! Instruction data (little endian), after the op byte:
//! - op `2`, no accounts: an empty bracket;
//! - op `3`, accounts `[pool, grade]`: `mode: u8` (0 = as Anchor: borsh into boxed structs,
//!   1 = hand decoders in place), `vault: u64, units: u64`, the benchmark input `value: u128,
//!   confidence: u128, publish_ts: i64` -> marks around the pool's decoding, the grade's, and
//!   the pricing; return data `unit_price: u128, computed_price: u128, pool_value: u64,
//!   flows_value: u64, flows valued: u64, capped: u64`;
//! - op `4`, accounts `[feed]`: `mode: u8, now: i64, max_age: u64` -> mode 0: marks around the
//!   decoding, `Feed::read`, and `fresh_aggregate` with its median used; mode 1: around the
//!   in-place read. Return data `value: u128, confidence: u128, publish_ts: i64` and, mode 0,
//!   the median `value: u128, publishers: u64`;
//! - op `5`, no accounts: the syscalls of refresh_rate's account checks and logs (three PDA
//!   checks, the clock, the instruction log, the event);
//! - op `6`, accounts `[pool, grade]`: as op 3 without `mode` -> marks around each part of the
//!   pricing (risk inputs, valuation, unit price, rise limit, cash floor, `next_price`); return
//!   data `unit_price: u128, computed_price: u128`.
use crate::mirror::{self, DecodeError, FeedKind, Key};
use crate::{mark, memcpy, ret, u128_at, u64_at};
use alloc::boxed::Box;
use core::alloc::{GlobalAlloc, Layout};
use rwa_math::{CashFlow, FlowStatus};
use solana_define_syscall::definitions::{
    sol_create_program_address, sol_log_, sol_log_data, sol_memcmp_,
};

/// # Safety
/// As C's `memcmp`.
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut r = 0i32;
    sol_memcmp_(a, b, n as u64, &mut r);
    r
}

/// # Safety
/// As C's `bcmp`.
#[no_mangle]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    memcmp(a, b, n)
}

/// `solana_program_entrypoint::BumpAllocator`, the heap every Anchor program gets: 32 KiB at
/// 0x3_0000_0000, allocated downwards from the top, never freed; the position is kept in the
/// heap's first word.
struct BumpAllocator;

const HEAP_START: usize = 0x3_0000_0000;
const HEAP_LEN: usize = 32 * 1024;

unsafe impl GlobalAlloc for BumpAllocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pos_ptr = HEAP_START as *mut usize;
        let mut pos = *pos_ptr;
        if pos == 0 {
            pos = HEAP_START + HEAP_LEN;
        }
        pos = pos.saturating_sub(layout.size());
        pos &= !(layout.align().wrapping_sub(1));
        if pos < HEAP_START + core::mem::size_of::<*mut u8>() {
            return core::ptr::null_mut();
        }
        *pos_ptr = pos;
        pos as *mut u8
    }

    #[inline]
    unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
}

#[global_allocator]
static ALLOCATOR: BumpAllocator = BumpAllocator;

/// An account as the loader serialised it.
#[derive(Clone, Copy)]
struct Account<'a> {
    owner: &'a Key,
    data: &'a [u8],
}

const MAX_ACCOUNTS: usize = 4;
/// Room the loader leaves after each account's data for it to grow.
const MAX_PERMITTED_DATA_INCREASE: usize = 10 * 1024;

/// Anchor's `Account::try_from` on `acc`: owner check, `try_deserialize` (discriminator check,
/// then borsh over the rest), the struct on the heap (the `Box` of a `Box<Account<T>>` field).
/// The struct is moved once, from the decoder's result into the box; Anchor moves it twice
/// (into an `Account`, then into the box), which for a `Feed` does not fit LLVM's BPF backend's
/// 4 KiB frame here. The move not made is a 1.5 KiB copy at most (see BENCHMARKS.md).
#[inline(never)]
fn load<T: borsh::BorshDeserialize>(
    acc: &Account,
    owner: &Key,
    disc: &[u8; 8],
) -> Result<Box<T>, DecodeError> {
    if acc.owner != owner {
        return Err(DecodeError::Owner);
    }
    if acc.data.len() < disc.len() {
        return Err(DecodeError::Discriminator);
    }
    if acc.data[..8] != disc[..] {
        return Err(DecodeError::Discriminator);
    }
    let mut slot = Box::<T>::new_uninit();
    deserialize_into(&acc.data[8..], &mut slot)?;
    // SAFETY: `deserialize_into` wrote the value.
    Ok(unsafe { slot.assume_init() })
}

/// Decodes into the box: the value is moved from the decoder's result with the runtime's
/// `memcpy` (what a move of this size is on SBF; LLVM's BPF backend would otherwise expand it
/// into loads and stores that spill beyond its 4 KiB frame for a `Feed`).
#[inline(never)]
fn deserialize_into<T: borsh::BorshDeserialize>(
    data: &[u8],
    slot: &mut core::mem::MaybeUninit<T>,
) -> Result<(), DecodeError> {
    let decoded = deserialize::<T>(data);
    match &decoded {
        Ok(value) => {
            let len = core::hint::black_box(core::mem::size_of::<T>());
            // SAFETY: both are valid for `size_of::<T>()` bytes and do not overlap; the value
            // is not dropped here (forgotten below), so it is moved, not duplicated.
            unsafe { memcpy(slot.as_mut_ptr() as *mut u8, value as *const T as *const u8, len) };
        }
        Err(e) => return Err(*e),
    }
    core::mem::forget(decoded);
    Ok(())
}

/// `AnchorDeserialize::deserialize(&mut data)`, in its own frame as in Anchor's
/// `try_deserialize_unchecked`.
#[inline(never)]
fn deserialize<T: borsh::BorshDeserialize>(mut data: &[u8]) -> Result<T, DecodeError> {
    T::deserialize(&mut data).map_err(|_| DecodeError::Layout)
}

fn u128_words(v: u128) -> [u64; 2] {
    [v as u64, (v >> 64) as u64]
}

/// refresh_rate's reads of the pool and the grade and its pricing, in the bench's scenario.
#[inline(never)]
fn price_pool(accs: &[Account], d: &[u8]) -> u64 {
    let [pool, grade] = match accs {
        [p, g] => [p, g],
        _ => return 10,
    };
    let benchmark = mirror::FeedValue {
        value: u128_at(d, 17),
        confidence: u128_at(d, 33),
        publish_ts: u64_at(d, 49) as i64,
    };
    let s = mirror::scenario(benchmark, u64_at(d, 1), u64_at(d, 9));
    let r =
        if d[0] == 0 { price_as_anchor(pool, grade, &s) } else { price_by_hand(pool, grade, &s) };
    match r {
        Ok((p, valued)) => {
            let [u0, u1] = u128_words(p.unit_price);
            let [c0, c1] = u128_words(p.computed_price);
            ret(&[u0, u1, c0, c1, p.pool_value, p.flows_value, valued as u64, p.capped as u64]);
            0
        }
        Err(code) => code,
    }
}

/// As Anchor: the pool and the grade deserialised into boxed structs, then priced from them.
#[inline(never)]
fn price_as_anchor(
    pool: &Account,
    grade: &Account,
    s: &mirror::Scenario,
) -> Result<(mirror::Priced, usize), u64> {
    mark();
    let pool: Box<mirror::Pool> =
        load(pool, &mirror::RECEIVABLES_ID, &mirror::POOL_DISCRIMINATOR).map_err(|_| 11u64)?;
    mark();
    let grade: Box<mirror::GradeRisk> =
        load(grade, &mirror::RWA_ORACLE_ID, &mirror::GRADE_RISK_DISCRIMINATOR)
            .map_err(|_| 12u64)?;
    if grade.grade != pool.grade {
        return Err(12);
    }
    mark();
    let (steps, len) = grade.write_down_steps();
    let facts = mirror::PoolFacts {
        status: pool.status,
        total_recovered: pool.total_recovered,
        steps: &steps[..len],
    };
    let priced = mirror::price(&|status| pool.valuation_flows_as(status), &facts, s);
    mark();
    priced.map(|p| (p, pool.valuation_flows_as(FlowStatus::Scheduled).count())).map_err(|_| 13)
}

/// The hand decoders: the pool's outstanding flows and the grade's steps read in place.
#[inline(never)]
fn price_by_hand(
    pool: &Account,
    grade: &Account,
    s: &mirror::Scenario,
) -> Result<(mirror::Priced, usize), u64> {
    let mut flows = [CashFlow { due_ts: 0, amount: 0, status: FlowStatus::Scheduled };
        mirror::MAX_SCHEDULE_LEN];
    mark();
    let head = mirror::pool_flows(pool.owner, pool.data, &mut flows).map_err(|_| 11u64)?;
    mark();
    let (grade, steps, len) = mirror::grade_steps(grade.owner, grade.data).map_err(|_| 12u64)?;
    if grade != head.grade {
        return Err(12);
    }
    mark();
    let facts = mirror::PoolFacts {
        status: head.status,
        total_recovered: head.total_recovered,
        steps: &steps[..len],
    };
    let valued = &flows[..head.valued];
    let flows_as = |status| valued.iter().map(move |f| CashFlow { status, ..*f });
    let priced = mirror::price(&flows_as, &facts, s);
    mark();
    priced.map(|p| (p, head.valued)).map_err(|_| 13)
}

/// The pricing's parts, each in its own bracket, on the hand-decoded pool (not defaulted):
/// the risk inputs, the valuation, the pool value and unit price (`PoolValue::new`,
/// `unit_price_floor`), the rise limit (`PricingParams::rise_limit`: `Fixed::from_bps_floor`),
/// the cash floor (`Fixed::from_ratio_floor`), and `next_price`.
#[inline(never)]
fn pricing_parts(accs: &[Account], d: &[u8]) -> u64 {
    use rwa_math::{biased_risk, next_price, value_cash_flows, Fixed, PoolValue, Quote, RiseLimit};
    let [pool, grade] = match accs {
        [p, g] => [p, g],
        _ => return 10,
    };
    let benchmark = mirror::FeedValue {
        value: u128_at(d, 16),
        confidence: u128_at(d, 32),
        publish_ts: u64_at(d, 48) as i64,
    };
    let s = mirror::scenario(benchmark, u64_at(d, 0), u64_at(d, 8));
    let mut flows = [CashFlow { due_ts: 0, amount: 0, status: FlowStatus::Scheduled };
        mirror::MAX_SCHEDULE_LEN];
    let Ok(head) = mirror::pool_flows(pool.owner, pool.data, &mut flows) else {
        return 11;
    };
    let Ok((_, steps, len)) = mirror::grade_steps(grade.owner, grade.data) else {
        return 12;
    };
    let quote = |v: &mirror::FeedValue| Quote {
        value: Fixed::from_raw(v.value),
        confidence: Fixed::from_raw(v.confidence),
    };
    let [bench, spread, pd, lgd] = &s.inputs;
    mark();
    let risk = biased_risk(quote(bench), quote(spread), quote(pd), quote(lgd));
    mark();
    let Ok(risk) = risk else { return 13 };
    let valuation =
        value_cash_flows(flows[..head.valued].iter().copied(), s.now, &risk, &steps[..len]);
    mark();
    let Ok(valuation) = valuation else { return 13 };
    let value = PoolValue::new(s.vault, &valuation, 0);
    let computed = value.and_then(|v| v.unit_price_floor(s.units));
    mark();
    let max_rise = Fixed::from_bps_floor(s.params.max_rise_bps as u64);
    mark();
    let cash_floor = Fixed::from_ratio_floor(s.vault, s.units);
    mark();
    let (Ok(computed), Ok(max_rise), Ok(cash_floor)) = (computed, max_rise, cash_floor) else {
        return 13;
    };
    let limit = RiseLimit { max_rise, interval_secs: s.params.rise_interval_secs };
    let next = next_price(s.state, computed, cash_floor, s.now, limit);
    mark();
    match next {
        Ok((state, _)) => {
            let [u0, u1] = u128_words(state.published.raw());
            let [c0, c1] = u128_words(computed.raw());
            ret(&[u0, u1, c0, c1]);
            0
        }
        Err(_) => 13,
    }
}

/// refresh_rate's read of one feed (`Feed::read` after the kind check), and the median of its
/// fresh observations.
#[inline(never)]
fn read_feed(accs: &[Account], d: &[u8]) -> u64 {
    let [feed] = match accs {
        [f] => [f],
        _ => return 20,
    };
    let (now, max_age) = (u64_at(d, 1) as i64, u64_at(d, 9) as u32);
    if d[0] == 0 {
        read_feed_as_anchor(feed, now, max_age)
    } else {
        read_feed_by_hand(feed, now, max_age)
    }
}

#[inline(never)]
fn read_feed_as_anchor(feed: &Account, now: i64, max_age: u32) -> u64 {
    mark();
    let feed: Box<mirror::Feed> =
        match load(feed, &mirror::RWA_ORACLE_ID, &mirror::FEED_DISCRIMINATOR) {
            Ok(f) => f,
            Err(_) => return 21,
        };
    mark();
    let v = feed.read(FeedKind::BenchmarkRate, false, now, max_age);
    mark();
    let agg = core::hint::black_box(feed.fresh_aggregate(now, max_age));
    mark();
    match (v, agg) {
        (Ok(v), Some(a)) => {
            let [v0, v1] = u128_words(v.value);
            let [c0, c1] = u128_words(v.confidence);
            let [m0, m1] = u128_words(a.value);
            ret(&[v0, v1, c0, c1, v.publish_ts as u64, m0, m1, a.publishers as u64]);
            0
        }
        _ => 22,
    }
}

#[inline(never)]
fn read_feed_by_hand(feed: &Account, now: i64, max_age: u32) -> u64 {
    mark();
    let v = mirror::feed_read(feed.owner, feed.data, FeedKind::BenchmarkRate, false, now, max_age);
    mark();
    match v {
        Ok(v) => {
            let [v0, v1] = u128_words(v.value);
            let [c0, c1] = u128_words(v.confidence);
            ret(&[v0, v1, c0, c1, v.publish_ts as u64]);
            0
        }
        Err(_) => 22,
    }
}

/// The syscalls among refresh_rate's account checks and logs: `seeds` + `bump` constraints of
/// the pricer config, the pool pricing and the oracle config (`create_program_address`), the
/// clock, Anchor's "Instruction: RefreshRate" log and the `RateRefreshed` event (106 bytes).
#[inline(never)]
fn anchor_syscalls(d: &[u8]) -> u64 {
    let pool: &[u8] = &d[..32];
    let (pricer, oracle) = (&d[32..64], &d[64..96]);
    let bumps = [[d[96]], [d[97]], [d[98]]];
    let event = [7u8; 106];
    let mut out = [0u8; 32];
    let mut clock = [0u8; 40];
    mark();
    unsafe {
        let seeds: [&[u8]; 2] = [b"config", &bumps[0]];
        sol_create_program_address(seeds.as_ptr() as _, 2, pricer.as_ptr(), out.as_mut_ptr());
        let seeds: [&[u8]; 3] = [b"pricing", pool, &bumps[1]];
        sol_create_program_address(seeds.as_ptr() as _, 3, pricer.as_ptr(), out.as_mut_ptr());
        let seeds: [&[u8]; 2] = [b"config", &bumps[2]];
        sol_create_program_address(seeds.as_ptr() as _, 2, oracle.as_ptr(), out.as_mut_ptr());
        #[allow(deprecated)]
        solana_define_syscall::definitions::sol_get_clock_sysvar(clock.as_mut_ptr());
        let msg = b"Instruction: RefreshRate";
        sol_log_(msg.as_ptr(), msg.len() as u64);
        let fields: [&[u8]; 1] = [&event];
        sol_log_data(fields.as_ptr() as _, 1);
    }
    mark();
    core::hint::black_box((out, clock));
    0
}

/// # Safety
/// Called by the SBF loader with its serialised input (accounts, instruction data, program id).
#[no_mangle]
pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
    let num_accounts = *(input as *const u64) as usize;
    if num_accounts > MAX_ACCOUNTS {
        return 2;
    }
    let empty: &Key = &[0; 32];
    let mut accs = [Account { owner: empty, data: &[] }; MAX_ACCOUNTS];
    let mut at = 8usize;
    for i in 0..num_accounts {
        let dup = *input.add(at);
        if dup != u8::MAX {
            accs[i] = accs[dup as usize];
            at += 8;
            continue;
        }
        // dup marker, signer, writable, executable, original length (4), key, owner, lamports
        let owner = &*(input.add(at + 8 + 32) as *const Key);
        let len = *(input.add(at + 8 + 64 + 8) as *const u64) as usize;
        let data = core::slice::from_raw_parts(input.add(at + 8 + 64 + 16), len);
        accs[i] = Account { owner, data };
        at += 8 + 64 + 16 + len + MAX_PERMITTED_DATA_INCREASE + 8;
        at += (input.add(at) as *const u8).align_offset(8);
    }
    let len = *(input.add(at) as *const u64) as usize;
    let data = core::slice::from_raw_parts(input.add(at + 8), len);
    let accs = &accs[..num_accounts];
    match data.first() {
        Some(2) => {
            mark();
            mark();
            0
        }
        Some(3) => price_pool(accs, &data[1..]),
        Some(4) => read_feed(accs, &data[1..]),
        Some(5) => anchor_syscalls(&data[1..]),
        Some(6) => pricing_parts(accs, &data[1..]),
        _ => 3,
    }
}
