// Helpers shared by the tests: the checked-in IDLs, the generated modules by program, and the
// conversion of fixture JSON (written by tests/fixtures_ts/main.rs) into the client's inputs.
import { address, type Address } from "@solana/kit";
import * as fs from "node:fs";
import * as path from "node:path";
import * as client from "../src";

export const ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURES = path.join(ROOT, "app", "test", "fixtures");

export const fixture = <T>(name: string): T =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as T;

/** Fixture program names (camelCase) to IDL file names and generated namespaces. */
export const PROGRAMS = {
  rwaOracle: { idl: "rwa_oracle", module: client.RwaOracle as Record<string, unknown> },
  receivables: { idl: "receivables", module: client.Receivables as Record<string, unknown> },
  dcfPricer: { idl: "dcf_pricer", module: client.DcfPricer as Record<string, unknown> },
  valueAnchor: { idl: "value_anchor", module: client.ValueAnchor as Record<string, unknown> },
  buybackReserve: {
    idl: "buyback_reserve",
    module: client.BuybackReserve as Record<string, unknown>,
  },
  transferHook: {
    idl: "transfer_hook",
    module: client.TransferHook as Record<string, unknown>,
  },
} as const;
export type Program = keyof typeof PROGRAMS;

// A minimal view of the Anchor IDL (spec 0.1.0) the tests need.
export type IdlType =
  | string
  | { array: [IdlType, number] }
  | { vec: IdlType }
  | { option: IdlType }
  | { defined: { name: string } };
export interface IdlAccountItem {
  name: string;
  signer?: boolean;
  writable?: boolean;
  accounts?: IdlAccountItem[];
  address?: string;
  pda?: { seeds: { kind: string; path?: string }[] };
}
export interface IdlTypeDef {
  name: string;
  type:
    | { kind: "struct"; fields?: { name: string; type: IdlType }[] }
    | { kind: "enum"; variants: { name: string; fields?: unknown[] }[] };
}
export interface Idl {
  address: string;
  instructions: {
    name: string;
    discriminator: number[];
    accounts: IdlAccountItem[];
    args: { name: string; type: IdlType }[];
  }[];
  accounts?: { name: string; discriminator: number[] }[];
  types?: IdlTypeDef[];
}

const idls = new Map<string, Idl>();
export function idl(program: Program): Idl {
  const name = PROGRAMS[program].idl;
  if (!idls.has(name)) {
    idls.set(
      name,
      JSON.parse(fs.readFileSync(path.join(ROOT, "idl", `${name}.json`), "utf8")) as Idl,
    );
  }
  return idls.get(name)!;
}

export const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
export const pascal = (s: string) => {
  const c = camel(s);
  return c[0].toUpperCase() + c.slice(1);
};

/** The instruction's accounts in order, nested groups flattened (as Codama flattens them). */
export function flatAccounts(items: IdlAccountItem[]): IdlAccountItem[] {
  return items.flatMap((a) => (a.accounts ? flatAccounts(a.accounts) : [a]));
}

/**
 * Whether the generated async builder derives this account itself: a fixed address, or a PDA
 * whose seeds are constants, other accounts and arguments (not another account's data, such
 * as `feed.feed_id`, which only the caller knows).
 */
export const derivable = (a: IdlAccountItem) =>
  a.address !== undefined ||
  (a.pda !== undefined && a.pda.seeds.every((s) => s.kind !== "account" || !s.path?.includes(".")));

export const fromHex = (hex: string) =>
  Uint8Array.from(hex.match(/../g)?.map((b) => parseInt(b, 16)) ?? []);
export const toHex = (bytes: Uint8Array | ArrayLike<number>) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** Converts a fixture value of IDL type `type` into what the generated encoders take. */
export function fromFixture(value: unknown, type: IdlType, program: Program): unknown {
  if (typeof type === "string") {
    switch (type) {
      case "u64":
      case "u128":
      case "i64":
      case "i128":
        return BigInt(value as string);
      case "u8":
      case "u16":
      case "u32":
      case "i8":
      case "i16":
      case "i32":
        return Number(value);
      case "pubkey":
        return address(value as string);
      default:
        return value;
    }
  }
  if ("array" in type) {
    if (type.array[0] === "u8") return fromHex(value as string);
    return (value as unknown[]).map((v) => fromFixture(v, type.array[0], program));
  }
  if ("vec" in type) return (value as unknown[]).map((v) => fromFixture(v, type.vec, program));
  if ("option" in type) return value === null ? null : fromFixture(value, type.option, program);
  const def = idl(program).types?.find((t) => t.name === type.defined.name);
  if (!def) throw new Error(`type ${type.defined.name} not in the IDL`);
  if (def.type.kind === "enum") return Number(value);
  const out: Record<string, unknown> = {};
  for (const f of def.type.fields ?? []) {
    out[camel(f.name)] = fromFixture(
      (value as Record<string, unknown>)[camel(f.name)],
      f.type,
      program,
    );
  }
  return out;
}

/** A decoded value in the fixture's JSON form: big integers as strings, bytes as hex. */
export function normalise(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Uint8Array) return toHex(v);
  return v;
}

/** `a.b[2].c` (and `.length`) of a decoded object; `x.__option` of a kit Option. */
export function at(obj: unknown, pathExpr: string): unknown {
  let cur: unknown = obj;
  for (const part of pathExpr.split(".")) {
    const m = /^(\w+)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`bad path ${pathExpr}`);
    cur = (cur as Record<string, unknown>)[m[1]];
    for (const idx of m[2].match(/\d+/g) ?? []) cur = (cur as unknown[])[Number(idx)];
  }
  return cur;
}

export type { Address };
