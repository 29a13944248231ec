// Valuation previews for wallets and front ends, exactly as the programs compute them: the
// Q64.64 fixed-point type of rwa-math (crates/rwa-math/src/fixed.rs), buyback-reserve's exit
// curve (exit_curve.rs) and value-anchor's exchange (programs/value-anchor/src/math.rs), on
// bigint. Every rounding is the Rust one; where rwa-math refuses (overflow, a sale past the
// epoch budget) these throw `ValuationError` with the same name. Proven equal to the Rust side
// by app/test/valuation.test.ts on values it writes to app/test/fixtures/valuation.json.

export class ValuationError extends Error {
  constructor(readonly kind: "Overflow" | "BudgetExceeded" | "CurveOutOfRange" | "DivisionByZero") {
    super(kind);
    this.name = "ValuationError";
  }
}

const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
const FRAC_BITS = 64n;
const FRAC_MASK = (1n << FRAC_BITS) - 1n;
const BPS = 10_000n;

function u64(x: bigint): bigint {
  if (x < 0n || x > U64_MAX) throw new ValuationError("Overflow");
  return x;
}

/** A basis-point count as Rust's `u16` holds it, at most 10,000 (else `kind`). */
function bps(x: number, kind: "Overflow" | "CurveOutOfRange"): bigint {
  if (!Number.isInteger(x) || x < 0 || x > 10_000) throw new ValuationError(kind);
  return BigInt(x);
}

function u128(x: bigint): bigint {
  if (x < 0n || x > U128_MAX) throw new ValuationError("Overflow");
  return x;
}

/** rwa-math's `Fixed`: an unsigned Q64.64 number held as its raw u128. */
export class Fixed {
  static readonly ONE = new Fixed(1n << FRAC_BITS);
  static readonly ZERO = new Fixed(0n);

  private constructor(readonly raw: bigint) {}

  static fromRaw(raw: bigint): Fixed {
    return new Fixed(u128(raw));
  }

  static fromU64(n: bigint): Fixed {
    return new Fixed(u64(n) << FRAC_BITS);
  }

  /** `numerator / denominator`, rounded down. */
  static fromRatioFloor(numerator: bigint, denominator: bigint): Fixed {
    if (denominator === 0n) throw new ValuationError("DivisionByZero");
    return Fixed.fromRaw((u64(numerator) << FRAC_BITS) / u64(denominator));
  }

  checkedSub(other: Fixed): Fixed {
    return Fixed.fromRaw(this.raw - other.raw);
  }

  mulFloor(other: Fixed): Fixed {
    return Fixed.fromRaw((this.raw * other.raw) >> FRAC_BITS);
  }

  mulCeil(other: Fixed): Fixed {
    const p = this.raw * other.raw;
    return Fixed.fromRaw((p >> FRAC_BITS) + ((p & FRAC_MASK) !== 0n ? 1n : 0n));
  }

  floorU64(): bigint {
    return u64(this.raw >> FRAC_BITS);
  }

  ceilU64(): bigint {
    return u64((this.raw >> FRAC_BITS) + ((this.raw & FRAC_MASK) !== 0n ? 1n : 0n));
  }

  /** `floor(self x amount)`: the value of `amount` units at this price. */
  mulU64Floor(amount: bigint): bigint {
    return this.mulFloor(Fixed.fromU64(amount)).floorU64();
  }

  mulU64Ceil(amount: bigint): bigint {
    return this.mulCeil(Fixed.fromU64(amount)).ceilU64();
  }
}

/** What a sale of gross value `value` pays: `value - discount` (discount rounded up). */
export interface CurveSale {
  value: bigint;
  discount: bigint;
  paid: bigint;
}

export const MAX_EXPONENT = 4;

/** `used / budget`, rounded down; 1 when the budget is used up or zero. */
function utilisation(used: bigint, budget: bigint): Fixed {
  if (used >= budget) return Fixed.ONE;
  return Fixed.fromRaw((u64(used) << 64n) / budget);
}

/** `ceil(x / d)` as an integer (x a Fixed). */
function ceilDiv(x: Fixed, d: bigint): bigint {
  const q = x.raw / d;
  const inexact = (q & FRAC_MASK) !== 0n || x.raw % d !== 0n;
  return u64((q >> FRAC_BITS) + (inexact ? 1n : 0n));
}

/**
 * buyback-reserve's exit curve `d(u) = d_min + (d_max - d_min) x u^k` over the epoch budget's
 * utilisation; a sale pays the curve's average over the utilisation it spans.
 */
export class ExitCurve {
  private constructor(
    readonly minBps: number,
    readonly maxBps: number,
    readonly exponent: number,
  ) {}

  static fromBps(minBps: number, maxBps: number, exponent: number): ExitCurve {
    if (
      !Number.isInteger(minBps) ||
      !Number.isInteger(maxBps) ||
      minBps < 0 ||
      minBps > maxBps ||
      maxBps > 10_000 ||
      !Number.isInteger(exponent) ||
      exponent < 1 ||
      exponent > MAX_EXPONENT
    ) {
      throw new ValuationError("CurveOutOfRange");
    }
    return new ExitCurve(minBps, maxBps, exponent);
  }

  private get spreadBps(): bigint {
    return BigInt(this.maxBps - this.minBps);
  }

  /** `d(u)` in bps at `u = used / budget`, rounded up (the SPEC's table, quotes). */
  discountBpsAt(used: bigint, budget: bigint): bigint {
    const u = utilisation(used, budget);
    let p = Fixed.ONE;
    for (let i = 0; i < this.exponent; i++) p = p.mulCeil(u);
    return BigInt(this.minBps) + p.mulU64Ceil(this.spreadBps);
  }

  /** `F(u) = u^(k+1)`, each product rounded down. */
  private area(used: bigint, budget: bigint): Fixed {
    const u = utilisation(used, budget);
    let p = u;
    for (let i = 0; i < this.exponent; i++) p = p.mulFloor(u);
    return p;
  }

  /** The discount and payout of a sale of gross `value` with `used` of `budget` used. */
  sale(budget: bigint, used: bigint, value: bigint): CurveSale {
    const after = u64(u64(used) + u64(value));
    u64(budget);
    if (after > budget) throw new ValuationError("BudgetExceeded");
    const product = value * BigInt(this.minBps);
    const flat = product / BPS + (product % BPS !== 0n ? 1n : 0n);
    const area = this.area(after, budget).checkedSub(this.area(used, budget));
    const steepFixed = area.mulCeil(Fixed.fromU64(budget)).mulCeil(Fixed.fromU64(this.spreadBps));
    const steep = ceilDiv(steepFixed, BPS * BigInt(this.exponent + 1));
    let discount = u64(flat + steep);
    if (discount > value) discount = value;
    return { value, discount, paid: value - discount };
  }
}

/** value-anchor's `exchange`: `gross = floor(units x price)`, `out = floor(gross x (1 - haircut))`. */
export function exchangePreview(
  units: bigint,
  unitPriceRaw: bigint,
  haircutBps: number,
): { gross: bigint; out: bigint } {
  const keep = BPS - bps(haircutBps, "Overflow");
  const gross = Fixed.fromRaw(unitPriceRaw).mulU64Floor(units);
  const out = u64((gross * keep) / BPS);
  return { gross, out };
}

/**
 * buyback-reserve's `sell_to_reserve` for `units` at the pricer's fresh `unitPriceRaw`, with
 * `used` of the epoch's `budget` already used (the book's `sale_used` after its epoch roll) and
 * the pool grade's curve from the reserve's params.
 */
export function sellToReservePreview(
  units: bigint,
  unitPriceRaw: bigint,
  curve: ExitCurve,
  budget: bigint,
  used: bigint,
): CurveSale {
  const value = Fixed.fromRaw(unitPriceRaw).mulU64Floor(units);
  return curve.sale(budget, used, value);
}
