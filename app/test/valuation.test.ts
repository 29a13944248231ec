// The TS valuation previews against rwa-math and the programs (values written by
// tests/fixtures_ts/main.rs, including what the programs actually minted and paid).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ExitCurve,
  exchangePreview,
  Fixed,
  sellToReservePreview,
  ValuationError,
} from "../src/valuation";
import { fixture } from "./idl";

type S = string;
interface Valuation {
  exchange: { units: S; priceRaw: S; haircutBps: number; gross: S; out: S; minted: S };
  sellToReserve: {
    units: S;
    priceRaw: S;
    minBps: number;
    maxBps: number;
    exponent: number;
    budget: S;
    used: S;
    value: S;
    discount: S;
    paid: S;
    received: S;
  };
  curve: {
    minBps: number;
    maxBps: number;
    exponent: number;
    budget: S;
    used: S;
    value: S;
    bpsAtUsed: S;
    discount?: S;
    paid?: S;
    error?: string;
  }[];
  exchangeCases: { units: S; priceRaw: S; haircutBps: number; gross: S; out: S }[];
}

const v = fixture<Valuation>("valuation.json");
const B = BigInt;

describe("valuation previews", () => {
  it("exchange: the preview is what value-anchor minted in the fixture run", () => {
    const e = v.exchange;
    const p = exchangePreview(B(e.units), B(e.priceRaw), e.haircutBps);
    assert.deepEqual(p, { gross: B(e.gross), out: B(e.out) });
    assert.equal(p.out, B(e.minted));
  });

  it("sell_to_reserve: the preview is what the reserve paid in the fixture run", () => {
    const s = v.sellToReserve;
    const curve = ExitCurve.fromBps(s.minBps, s.maxBps, s.exponent);
    const sale = sellToReservePreview(B(s.units), B(s.priceRaw), curve, B(s.budget), B(s.used));
    assert.deepEqual(sale, { value: B(s.value), discount: B(s.discount), paid: B(s.paid) });
    assert.equal(sale.paid, B(s.received));
  });

  it("exchange_out over rwa-math's rounding cases", () => {
    for (const c of v.exchangeCases) {
      assert.deepEqual(exchangePreview(B(c.units), B(c.priceRaw), c.haircutBps), {
        gross: B(c.gross),
        out: B(c.out),
      });
    }
  });

  it("the exit curve: sales, refusals and the quoted discount equal rwa-math's", () => {
    assert.ok(v.curve.some((c) => c.error === "Overflow"));
    assert.ok(v.curve.some((c) => c.error === "BudgetExceeded"));
    for (const c of v.curve) {
      const curve = ExitCurve.fromBps(c.minBps, c.maxBps, c.exponent);
      const label = JSON.stringify(c);
      assert.equal(curve.discountBpsAt(B(c.used), B(c.budget)), B(c.bpsAtUsed), label);
      if (c.error) {
        assert.throws(
          () => curve.sale(B(c.budget), B(c.used), B(c.value)),
          (e: unknown) => e instanceof ValuationError && e.kind === c.error,
          label,
        );
      } else {
        const s = curve.sale(B(c.budget), B(c.used), B(c.value));
        assert.deepEqual([s.discount, s.paid], [B(c.discount!), B(c.paid!)], label);
      }
    }
  });

  it("rwa-math's own unit cases (exit_curve.rs tests)", () => {
    const c = ExitCurve.fromBps(100, 1_000, 2);
    assert.deepEqual(
      [0n, 25n, 50n, 75n, 100n].map((u) => c.discountBpsAt(u, 100n)),
      [100n, 157n, 325n, 607n, 1_000n],
    );
    assert.deepEqual(c.sale(1_000_000n, 0n, 1_000_000n), {
      value: 1_000_000n,
      discount: 40_000n,
      paid: 960_000n,
    });
    assert.equal(c.sale(1_000_000n, 0n, 100_000n).discount, 1_030n);
    assert.equal(c.sale(1_000_000n, 900_000n, 100_000n).discount, 9_131n);
    assert.throws(() => ExitCurve.fromBps(200, 100, 2), ValuationError);
    assert.throws(() => ExitCurve.fromBps(0, 100, 0), ValuationError);
    assert.throws(() => ExitCurve.fromBps(0, 100, 5), ValuationError);
    assert.throws(() => c.sale(100n, 60n, 41n), ValuationError);
    assert.throws(() => c.sale(0n, 0n, 1n), ValuationError);
  });

  it("refuses what Rust's unsigned types cannot hold instead of quoting it", () => {
    // bps are u16 in Rust: a negative or fractional one is no curve and no haircut
    assert.throws(() => ExitCurve.fromBps(-500, 100, 2), ValuationError);
    assert.throws(() => ExitCurve.fromBps(0.5, 100, 2), ValuationError);
    assert.throws(() => ExitCurve.fromBps(0, 100.5, 2), ValuationError);
    // a negative haircut would quote more than the gross value
    assert.throws(() => exchangePreview(1_000n, 1n << 64n, -100), ValuationError);
    assert.throws(() => exchangePreview(1_000n, 1n << 64n, 10_001), ValuationError);
    assert.throws(() => exchangePreview(1_000n, 1n << 64n, 1.5), ValuationError);
    assert.deepEqual(exchangePreview(1_000n, 1n << 64n, 10_000), { gross: 1_000n, out: 0n });
    // amounts are u64: a negative sale is no sale
    const c = ExitCurve.fromBps(100, 1_000, 2);
    assert.throws(() => c.sale(1_000_000n, 500_000n, -1n), ValuationError);
    assert.throws(() => c.sale(1_000_000n, -1n, 2n), ValuationError);
    assert.throws(() => c.sale(1n << 64n, 0n, 1n), ValuationError);
  });

  it("Fixed rounds like rwa-math", () => {
    const third = Fixed.fromRatioFloor(1n, 3n);
    assert.equal(third.mulU64Floor(3n), 0n);
    assert.equal(Fixed.fromRatioFloor(1n, 4n).raw, 1n << 62n);
    assert.throws(
      () => Fixed.fromRaw((1n << 128n) - 1n).mulFloor(Fixed.fromU64(2n)),
      ValuationError,
    );
  });
});
