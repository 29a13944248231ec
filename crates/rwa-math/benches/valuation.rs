//! Host benchmark of the valuation path: schedules of 1, 64 and 1,000 cash flows, monthly
//! (the cached-step path) and on irregular horizons (every step computed).
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rwa_math::{value_cash_flows, CashFlow, Fixed, FlowStatus, RiskParams, SECONDS_PER_DAY};
use std::hint::black_box;

const NOW: i64 = 1_800_000_000;

fn schedule(n: usize, irregular: bool) -> Vec<CashFlow> {
    let mut due = NOW;
    (0..n)
        .map(|i| {
            // Monthly: 30 or 31 days. Irregular: a different number of seconds every time.
            due += if irregular {
                (SECONDS_PER_DAY * 13 + 7_919 * (i as u64 % 97) + 1) as i64
            } else {
                (SECONDS_PER_DAY * (30 + (i as u64 % 2))) as i64
            };
            CashFlow {
                due_ts: due,
                amount: 1_000_000_000 + i as u64,
                status: FlowStatus::Scheduled,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let risk = RiskParams {
        annual_rate: Fixed::from_bps_ceil(850).unwrap(),
        annual_pd: Fixed::from_bps_ceil(300).unwrap(),
        lgd: Fixed::from_bps_ceil(4_500).unwrap(),
    };
    let mut group = c.benchmark_group("value_cash_flows");
    for &n in &[1usize, 64, 1_000] {
        for (name, irregular) in [("monthly", false), ("irregular", true)] {
            let flows = schedule(n, irregular);
            group.bench_with_input(BenchmarkId::new(name, n), &flows, |b, flows| {
                b.iter(|| value_cash_flows(black_box(flows.iter().copied()), NOW, &risk, &[]))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
