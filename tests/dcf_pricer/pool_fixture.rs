//! The account bytes the SBF compute-unit bench prices from (`bench/fixtures/`, BENCHMARKS.md):
//! a receivables `Pool` with 64 monthly, day-aligned flows (five and a half paid), an oracle
//! `Feed` with 16 publishers and a `GradeRisk`, each as Anchor stores it
//! (`AccountSerialize::try_serialize`: discriminator + borsh) in an account of its allocated
//! size. A layout change fails here instead of silently skewing the bench;
//! `RWA_WRITE_FIXTURES=1` rewrites the files.
//!
//! It also holds the bench's mirror of `refresh_rate` (`bench/sbf-valuation/src/mirror.rs`:
//! hand decoders, `Feed::read`, the pricing math) to the programs' own code on these bytes.
use anchor_lang::{prelude::Pubkey, AccountDeserialize, AccountSerialize, Discriminator, Space};
use dcf_pricer::{instructions::refresh_rate::value_flows, state::PricingParams};
use receivables::state::{AssetClass, CashFlow, Pool, PoolStatus, SECONDS_PER_DAY};
use rwa_math::{next_price, Fixed, PoolValue, RiseLimit};
use rwa_oracle::state::{
    Aggregate, DeviationReference, Feed, FeedKind, FeedParams, FeedValue, GradeRisk, Observation,
    ReadOptions, WriteDownStepRaw,
};
use rwa_testkit::oracle::bps;

#[path = "../../bench/sbf-valuation/src/mirror.rs"]
mod mirror;

const NOW: i64 = mirror::NOW;
/// 100M in a 6-decimal currency, one unit base unit per currency base unit of face value.
const FACE: u64 = 100_000_000_000_000;

fn key(tag: &[u8]) -> Pubkey {
    Pubkey::find_program_address(&[b"bench", tag], &receivables::ID).0
}

/// An amortising SME loan pool: 64 monthly instalments (every 30 days at 12:00 UTC) of
/// principal FACE/64 plus 0.75% interest on the balance; the five due before `NOW` are paid,
/// and half of the next (due 4 hours after `NOW`) is paid early.
fn pool() -> Pool {
    let noon_after_now = NOW.div_euclid(SECONDS_PER_DAY) * SECONDS_PER_DAY + 12 * 3_600;
    let principal = FACE / 64;
    let schedule: Vec<CashFlow> = (0..64u64)
        .map(|i| {
            let amount = principal + (FACE - i * principal) * 75 / 10_000;
            let paid = match i {
                0..=4 => amount,
                5 => amount / 2,
                _ => 0,
            };
            let due_ts = noon_after_now + (i as i64 - 5) * 30 * SECONDS_PER_DAY;
            CashFlow { due_ts, amount, paid, written_off: 0 }
        })
        .collect();
    let pool = Pool {
        issuer: key(b"issuer"),
        servicer: key(b"servicer"),
        currency_mint: key(b"usdc"),
        unit_mint: key(b"unit_mint"),
        vault: key(b"vault"),
        index: 7,
        asset_class: AssetClass::SmeLoan,
        grade: 1,
        status: PoolStatus::Active,
        face_value: FACE,
        unit_size: 1,
        units_minted: FACE,
        total_repaid: schedule.iter().map(|c| c.paid).sum(),
        total_recovered: 0,
        doc_hash: core::array::from_fn(|i| (i as u8).wrapping_mul(151).wrapping_add(29)),
        uri: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/pool-0007.json"
            .to_string(),
        schedule,
        bump: 254,
        unit_mint_bump: 255,
        vault_bump: 253,
        defaulted_at: 0,
        version: 7,
    };
    pool.invariant().unwrap();
    pool
}

/// The benchmark-rate feed: 16 publishers around 4.50% (0.1 bp apart, in no order), +-2 bp,
/// published 30 to 285 seconds before `NOW`; the accepted value is their (lower) median.
fn feed() -> Feed {
    let tick = bps(1) / 10;
    let mut observations = [Observation::default(); 16];
    for (i, o) in observations.iter_mut().enumerate() {
        *o = Observation {
            publisher: key(&[b'p', i as u8]),
            value: bps(450) - 8 * tick + ((i * 7) % 16) as u128 * tick,
            confidence: bps(2) + (i % 3) as u128 * tick,
            publish_ts: NOW - 30 - 17 * i as i64,
        };
    }
    let mut feed = Feed {
        feed_id: *b"USD-SOFR-1M\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        params: FeedParams {
            kind: FeedKind::BenchmarkRate,
            min_value: 0,
            max_value: bps(5_000),
            max_deviation_bps: 500,
            deviation_window_secs: 3_600,
            max_staleness_secs: 600,
            min_publishers: 3,
            max_confidence_bps: 1_000,
            pyth_feed_id: [0; 32],
            single_source: false,
        },
        paused: false,
        observations,
        accepted: Aggregate::default(),
        held: Aggregate::default(),
        reference: None,
        bump: 252,
    };
    // formed when the last observation arrived, within the deviation window that began 20
    // minutes before NOW
    feed.accepted = feed.fresh_aggregate(NOW - 30, 600).unwrap();
    assert_eq!(feed.accepted.publishers, 16);
    let value = feed.accepted.value;
    feed.reference = Some(DeviationReference {
        value,
        set_at: NOW - 1_200,
        last_accepted: value,
        previous: value,
    });
    feed.invariant().unwrap();
    feed
}

/// Grade B: its three feeds and the write-downs 10% from 30 days late, 50% from 90, 100% from
/// 180.
fn grade() -> GradeRisk {
    let mut g = GradeRisk {
        grade: 1,
        label: *b"B\0\0\0\0\0\0\0",
        spread_feed: key(b"SPREAD-B"),
        pd_feed: key(b"PD-B"),
        lgd_feed: key(b"LGD-B"),
        write_down: Default::default(),
        write_down_len: 0,
        bump: 251,
    };
    let steps = [(30, 1_000), (90, 5_000), (180, 10_000)]
        .map(|(days_late, b)| WriteDownStepRaw { days_late, fraction: bps(b) });
    g.set_write_down(&steps).unwrap();
    g.invariant().unwrap();
    g
}

/// `account`'s bytes in an account of `space` bytes, as the program allocates it.
fn account_bytes<T: AccountSerialize>(account: &T, space: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    account.try_serialize(&mut bytes).unwrap();
    assert!(bytes.len() <= space);
    bytes.resize(space, 0);
    bytes
}

/// Asserts `bytes` equal the committed fixture, or writes it when `RWA_WRITE_FIXTURES=1`.
fn fixture(name: &str, bytes: &[u8]) {
    let path = format!("{}/../bench/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var("RWA_WRITE_FIXTURES").as_deref() == Ok("1") {
        std::fs::write(&path, bytes).unwrap();
    }
    let committed = std::fs::read(&path).unwrap_or_else(|e| {
        panic!("{path}: {e} (RWA_WRITE_FIXTURES=1 writes it)");
    });
    assert!(
        committed == bytes,
        "{path} differs from the account layout: rerun with RWA_WRITE_FIXTURES=1, then rerun \
         scripts/sbf-bench.sh and update BENCHMARKS.md"
    );
}

fn mirror_value(v: FeedValue) -> mirror::FeedValue {
    mirror::FeedValue { value: v.value, confidence: v.confidence, publish_ts: v.publish_ts }
}

#[test]
fn pool_fixture_is_the_anchor_layout_and_the_bench_decodes_it_as_anchor_does() {
    assert_eq!(mirror::POOL_DISCRIMINATOR, Pool::DISCRIMINATOR);
    assert_eq!(mirror::RECEIVABLES_ID, receivables::ID.to_bytes());
    let pool = pool();
    let bytes = account_bytes(&pool, 8 + Pool::INIT_SPACE);
    fixture("pool-64.bin", &bytes);

    let decoded = Pool::try_deserialize(&mut &bytes[..]).unwrap();
    let expected: Vec<rwa_math::CashFlow> = decoded.valuation_flows().collect();
    assert_eq!(expected.len(), 59, "58 unpaid flows and a half-paid one");
    let mut out =
        [rwa_math::CashFlow { due_ts: 0, amount: 0, status: rwa_math::FlowStatus::Scheduled };
            mirror::MAX_SCHEDULE_LEN];
    let head = mirror::pool_flows(&receivables::ID.to_bytes(), &bytes, &mut out).unwrap();
    assert_eq!(&out[..head.valued], &expected[..]);
    assert_eq!(head.schedule_len, 64);
    assert_eq!((head.grade, head.status), (decoded.grade, mirror::PoolStatus::Active));
    assert_eq!((head.total_recovered, head.units_minted), (0, FACE));

    // refused as Anchor refuses: another owner, another discriminator, a cut account
    let wrong_owner = mirror::pool_flows(&rwa_oracle::ID.to_bytes(), &bytes, &mut out);
    assert_eq!(wrong_owner, Err(mirror::DecodeError::Owner));
    let mut other = bytes.clone();
    other[0] ^= 1;
    let err = mirror::pool_flows(&mirror::RECEIVABLES_ID, &other, &mut out);
    assert_eq!(err, Err(mirror::DecodeError::Discriminator));
    let serialised = {
        let mut v = Vec::new();
        pool.try_serialize(&mut v).unwrap();
        v.len()
    };
    assert!(Pool::try_deserialize(&mut &bytes[..serialised - 1]).is_err());
    let cut = mirror::pool_flows(&mirror::RECEIVABLES_ID, &bytes[..serialised - 1], &mut out);
    assert_eq!(cut, Err(mirror::DecodeError::Layout));
}

#[test]
fn pool_fixture_feed_and_grade_read_as_the_oracle_reads_them() {
    assert_eq!(mirror::FEED_DISCRIMINATOR, Feed::DISCRIMINATOR);
    assert_eq!(mirror::GRADE_RISK_DISCRIMINATOR, GradeRisk::DISCRIMINATOR);
    assert_eq!(mirror::RWA_ORACLE_ID, rwa_oracle::ID.to_bytes());
    assert_eq!(mirror::FEED_LEN, 8 + Feed::INIT_SPACE);
    let feed = feed();
    let bytes = account_bytes(&feed, 8 + Feed::INIT_SPACE);
    fixture("feed-16.bin", &bytes);
    let feed = Feed::try_deserialize(&mut &bytes[..]).unwrap();

    // the mirror of Feed (fields copied) forms the same aggregates
    let m = mirror::Feed {
        feed_id: feed.feed_id,
        params: mirror::FeedParams {
            kind: mirror::FeedKind::BenchmarkRate,
            min_value: feed.params.min_value,
            max_value: feed.params.max_value,
            max_deviation_bps: feed.params.max_deviation_bps,
            deviation_window_secs: feed.params.deviation_window_secs,
            max_staleness_secs: feed.params.max_staleness_secs,
            min_publishers: feed.params.min_publishers,
            max_confidence_bps: feed.params.max_confidence_bps,
            pyth_feed_id: feed.params.pyth_feed_id,
            single_source: feed.params.single_source,
        },
        paused: feed.paused,
        observations: feed.observations.map(|o| mirror::Observation {
            publisher: o.publisher.to_bytes(),
            value: o.value,
            confidence: o.confidence,
            publish_ts: o.publish_ts,
        }),
        accepted: mirror::Aggregate::default(),
        held: mirror::Aggregate::default(),
        reference: feed.reference.map(|r| mirror::DeviationReference {
            value: r.value,
            set_at: r.set_at,
            last_accepted: r.last_accepted,
            previous: r.previous,
        }),
        bump: feed.bump,
    };
    let m = mirror::Feed {
        accepted: mirror::Aggregate {
            value: feed.accepted.value,
            confidence: feed.accepted.confidence,
            publish_ts: feed.accepted.publish_ts,
            formed_at: feed.accepted.formed_at,
            publishers: feed.accepted.publishers,
        },
        ..m
    };
    let owner = rwa_oracle::ID.to_bytes();
    let kind = mirror::FeedKind::BenchmarkRate;
    // every publisher fresh, then fewer and fewer, then too few
    for (now, max_age) in [(NOW, 600), (NOW, 100), (NOW + 300, 600), (NOW + 560, 600)] {
        let real = feed.fresh_aggregate(now, max_age);
        let mirrored = m.fresh_aggregate(now, max_age);
        assert_eq!(
            real.map(|a| (a.value, a.confidence, a.publish_ts, a.publishers)),
            mirrored.map(|a| (a.value, a.confidence, a.publish_ts, a.publishers))
        );
        let real = feed
            .read(false, now, ReadOptions::max_age(max_age))
            .map(mirror_value)
            .map_err(|e| e.to_string());
        let by_hand = mirror::feed_read(&owner, &bytes, kind, false, now, max_age);
        let by_mirror = m.read(kind, false, now, max_age);
        assert_eq!(by_hand, by_mirror, "now {now}, max age {max_age}");
        match (&real, by_hand) {
            (Ok(r), Ok(h)) => assert_eq!(*r, h),
            (Err(r), Err(h)) => assert!(r.contains(&format!("{h:?}")), "{r} / {h:?}"),
            _ => panic!("{real:?} / {by_hand:?} at now {now}, max age {max_age}"),
        }
    }
    let read = |now| feed.read(false, now, ReadOptions::max_age(600));
    assert!(read(NOW).is_ok() && read(NOW + 560).is_err());
    let wrong_kind =
        mirror::feed_read(&owner, &bytes, mirror::FeedKind::CreditSpread, false, NOW, 600);
    assert_eq!(wrong_kind, Err(mirror::ReadError::FeedKindMismatch));
    assert_eq!(
        mirror::feed_read(&owner, &bytes, kind, true, NOW, 600),
        Err(mirror::ReadError::FeedPaused)
    );
    // refresh_rate reads quorum feeds only
    let mut single = feed.clone();
    single.params.single_source = true;
    assert!(single.read(false, NOW, ReadOptions::max_age(600)).is_err());
    let single = account_bytes(&single, 8 + Feed::INIT_SPACE);
    assert_eq!(
        mirror::feed_read(&owner, &single, kind, false, NOW, 600),
        Err(mirror::ReadError::SingleSourceFeed)
    );

    let grade = grade();
    let bytes = account_bytes(&grade, 8 + GradeRisk::INIT_SPACE);
    fixture("grade.bin", &bytes);
    let decoded = GradeRisk::try_deserialize(&mut &bytes[..]).unwrap();
    let (steps, len) = decoded.write_down_steps();
    let (g, mirrored, mirrored_len) = mirror::grade_steps(&owner, &bytes).unwrap();
    assert_eq!((g, &mirrored[..mirrored_len]), (decoded.grade, &steps[..len]));
    assert_eq!(len, 3);
}

/// The bench's pricing (mirror::price on the hand-decoded fixtures, in the bench's scenario)
/// equals dcf-pricer's `value_flows` and handler math on Anchor's decoding of the same bytes,
/// for the pool as committed and declared in default (valued both ways, the lower kept).
#[test]
fn pool_fixture_prices_in_the_bench_as_refresh_rate_prices_it() {
    let feed_bytes = account_bytes(&feed(), 8 + Feed::INIT_SPACE);
    let grade_bytes = account_bytes(&grade(), 8 + GradeRisk::INIT_SPACE);
    let feed = Feed::try_deserialize(&mut &feed_bytes[..]).unwrap();
    let grade = GradeRisk::try_deserialize(&mut &grade_bytes[..]).unwrap();
    let benchmark = feed.read(false, NOW, ReadOptions::max_age(600)).unwrap();

    let mut defaulted = pool();
    defaulted.status = PoolStatus::Defaulted;
    defaulted.total_recovered = FACE / 100;
    for (pool, capped) in [(pool(), true), (defaulted, false)] {
        let pool_bytes = account_bytes(&pool, 8 + Pool::INIT_SPACE);
        let pool = Pool::try_deserialize(&mut &pool_bytes[..]).unwrap();
        let s = mirror::scenario(mirror_value(benchmark), pool.total_repaid, pool.units_minted);
        let inputs = s.inputs.map(|v| FeedValue {
            value: v.value,
            confidence: v.confidence,
            publish_ts: v.publish_ts,
        });
        let (flows, recovered) = value_flows(&pool, &grade, &inputs, NOW).unwrap();
        let value = PoolValue::new(s.vault, &flows, recovered).unwrap();
        let computed = value.unit_price_floor(s.units).unwrap();
        let params = PricingParams {
            max_input_age_secs: s.params.max_input_age_secs,
            max_rise_bps: s.params.max_rise_bps,
            rise_interval_secs: s.params.rise_interval_secs,
        };
        params.validate().unwrap();
        let limit: RiseLimit = params.rise_limit().unwrap();
        let cash_floor = Fixed::from_ratio_floor(value.vault_cash, s.units).unwrap();
        let (state, cap_bit) = next_price(s.state, computed, cash_floor, NOW, limit).unwrap();

        let mut out =
            [rwa_math::CashFlow { due_ts: 0, amount: 0, status: rwa_math::FlowStatus::Scheduled };
                mirror::MAX_SCHEDULE_LEN];
        let head = mirror::pool_flows(&mirror::RECEIVABLES_ID, &pool_bytes, &mut out).unwrap();
        let (_, steps, len) = mirror::grade_steps(&mirror::RWA_ORACLE_ID, &grade_bytes).unwrap();
        let facts = mirror::PoolFacts {
            status: head.status,
            total_recovered: head.total_recovered,
            steps: &steps[..len],
        };
        let valued = &out[..head.valued];
        let flows_as = |status| valued.iter().map(move |f| rwa_math::CashFlow { status, ..*f });
        let priced = mirror::price(&flows_as, &facts, &s).unwrap();
        assert_eq!(
            (priced.unit_price, priced.computed_price, priced.pool_value, priced.flows_value),
            (state.published.raw(), computed.raw(), value.value, value.flows_value),
            "{:?}",
            pool.status
        );
        assert_eq!(
            (priced.reference_price, priced.previous_low, priced.capped),
            (state.reference.raw(), state.previous_low.raw(), cap_bit)
        );
        assert_eq!(cap_bit, capped, "{:?}: {priced:?}", pool.status);
        assert!(priced.pool_value > s.vault && priced.unit_price < 1 << 64, "{priced:?}");
    }
}

/// The bench's `bps_of` (on rwa-math's limbs) is the oracle's.
#[test]
fn pool_fixture_bps_of_is_the_oracles() {
    for value in [0, 1, 9_999, 10_000, 123_456_789_012_345, u128::MAX / 3, u128::MAX] {
        for bps in [0, 1, 333, 9_999, 10_000, 65_535] {
            assert_eq!(mirror::bps_of(value, bps), rwa_oracle::state::bps_of(value, bps));
        }
    }
}
