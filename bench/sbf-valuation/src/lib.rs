//! SBF bench program: values a schedule passed in instruction data with rwa-math. The measured
//! section is bracketed by two `sol_log_compute_units_` calls, whose "units remaining" log
//! lines the runner subtracts (op 2 measures the empty bracket, to take its cost out).
//! With `--features accounts` it is instead the program of `accounts.rs` (refresh_rate's
//! reads and pricing on account bytes).
//!
//! Instruction data (little endian), no accounts:
//! - op `0`: `now: i64, rate: u128, pd: u128, lgd: u128, n: u16`, then `n` x
//!   `(due_ts: i64, amount: u64, defaulted: u8)` -> return data `value: u64,
//!   value_q127: [u64; 4]`;
//! - op `1`: primitive `k` (0 = `Fixed::mul_floor`, 1 = `mul_ceil`, 2 = `div_floor`,
//!   3 = `U256::mul_u128`), `a: u128, b: u128`: 16 calls in the bracket;
//! - op `2`: an empty bracket.
#![no_std]
// The valuation ops are not part of the `accounts` build.
#![cfg_attr(feature = "accounts", allow(dead_code, unused_imports))]

#[cfg(feature = "accounts")]
extern crate alloc;

#[cfg(feature = "accounts")]
mod accounts;
#[cfg(feature = "accounts")]
mod mirror;

use rwa_math::{value_cash_flows, wide::U256, CashFlow, Fixed, FlowStatus, RiskParams};
use solana_define_syscall::definitions::{
    sol_log_compute_units_, sol_memcpy_, sol_memmove_, sol_memset_, sol_panic_, sol_set_return_data,
};

const FLOW_LEN: usize = 17;
/// Most flows one call takes (the receivables program's `MAX_SCHEDULE_LEN`).
const MAX_FLOWS: usize = 64;

// The memory functions LLVM calls for struct copies, served by the runtime's syscalls (a
// Rust loop here could be turned back into a call to itself).

/// # Safety
/// As C's `memcpy`: `n` bytes, non-overlapping, both valid.
#[no_mangle]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    sol_memcpy_(dst, src, n as u64);
    dst
}

/// # Safety
/// As C's `memmove`.
#[no_mangle]
pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    sol_memmove_(dst, src, n as u64);
    dst
}

/// # Safety
/// As C's `memset`.
#[no_mangle]
pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
    sol_memset_(dst, c as u8, n as u64);
    dst
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    unsafe { sol_panic_(core::ptr::null(), 0, 0, 0) }
}

pub(crate) fn u64_at(d: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[at..at + 8]);
    u64::from_le_bytes(b)
}

pub(crate) fn u128_at(d: &[u8], at: usize) -> u128 {
    u64_at(d, at) as u128 | (u64_at(d, at + 8) as u128) << 64
}

/// Logs the compute units remaining ("Program consumption: N units remaining").
pub(crate) fn mark() {
    unsafe { sol_log_compute_units_() }
}

pub(crate) fn ret(words: &[u64]) {
    let mut out = [0u8; 64];
    for (i, w) in words.iter().enumerate() {
        out[i * 8..i * 8 + 8].copy_from_slice(&w.to_le_bytes());
    }
    unsafe { sol_set_return_data(out.as_ptr(), (words.len() * 8) as u64) };
}

fn value(d: &[u8]) -> u64 {
    let now = u64_at(d, 0) as i64;
    let risk = RiskParams {
        annual_rate: Fixed::from_raw(u128_at(d, 8)),
        annual_pd: Fixed::from_raw(u128_at(d, 24)),
        lgd: Fixed::from_raw(u128_at(d, 40)),
    };
    let n = u16::from_le_bytes([d[56], d[57]]) as usize;
    if n > MAX_FLOWS {
        return 4;
    }
    // Decoded before the measured section, as a program reading a pool account would have them.
    let mut flows = [CashFlow { due_ts: 0, amount: 0, status: FlowStatus::Scheduled }; MAX_FLOWS];
    for (f, c) in flows.iter_mut().zip(d[58..58 + n * FLOW_LEN].chunks_exact(FLOW_LEN)) {
        *f = CashFlow {
            due_ts: u64_at(c, 0) as i64,
            amount: u64_at(c, 8),
            status: if c[16] == 1 { FlowStatus::Defaulted } else { FlowStatus::Scheduled },
        };
    }
    mark();
    let v = value_cash_flows(flows[..n].iter().copied(), now, &risk, &[]);
    mark();
    match v {
        Ok(v) => {
            let q = v.value_q127.0;
            ret(&[v.value, q[0], q[1], q[2], q[3]]);
            0
        }
        Err(_) => 1,
    }
}

fn primitive(d: &[u8]) -> u64 {
    let (k, a, b) = (d[0], u128_at(d, 1), u128_at(d, 17));
    mark();
    let mut acc = 0u128;
    for i in 0..16u128 {
        let x = core::hint::black_box(a ^ i);
        acc ^= match k {
            0 => Fixed::from_raw(x).mul_floor(Fixed::from_raw(b)).map_or(0, |f| f.raw()),
            1 => Fixed::from_raw(x).mul_ceil(Fixed::from_raw(b)).map_or(0, |f| f.raw()),
            2 => Fixed::from_raw(x).div_floor(Fixed::from_raw(b)).map_or(0, |f| f.raw()),
            _ => U256::mul_u128(x, b).low_u128(),
        };
    }
    mark();
    core::hint::black_box(acc);
    0
}

/// One sale on the buyback reserve's exit curve: `min_bps u16, max_bps u16, k u8, budget u64,
/// used u64, value u64`; returns the discount.
fn curve(d: &[u8]) -> u64 {
    let (min, max, k) = (u16::from_le_bytes([d[0], d[1]]), u16::from_le_bytes([d[2], d[3]]), d[4]);
    let (budget, used, value) = (u64_at(d, 5), u64_at(d, 13), u64_at(d, 21));
    mark();
    let sale = rwa_math::ExitCurve::from_bps(min, max, k).and_then(|c| c.sale(budget, used, value));
    mark();
    match sale {
        Ok(s) => {
            ret(&[s.discount]);
            0
        }
        Err(_) => 1,
    }
}

/// # Safety
/// Called by the SBF loader with its serialised input: no accounts, then the instruction data.
#[cfg(not(feature = "accounts"))]
#[no_mangle]
pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
    let num_accounts = *(input as *const u64);
    if num_accounts != 0 {
        return 2;
    }
    let len = *(input.add(8) as *const u64) as usize;
    let data = core::slice::from_raw_parts(input.add(16), len);
    match data.first() {
        Some(0) => value(&data[1..]),
        Some(1) => primitive(&data[1..]),
        Some(3) => curve(&data[1..]),
        Some(2) => {
            mark();
            mark();
            0
        }
        _ => 3,
    }
}
