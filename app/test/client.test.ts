// The generated client against the Rust SDK, on fixtures the Rust side writes
// (tests/fixtures_ts/main.rs, from a run of the real programs): same instruction bytes and
// account metas, same PDAs, and the same field values decoded from the programs' accounts.
import {
  AccountRole,
  address,
  createNoopSigner,
  getAddressEncoder,
  getProgramDerivedAddress,
  getU32Encoder,
  getU64Encoder,
  type Address,
  type Instruction,
} from "@solana/kit";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pdas from "../src/pdas";
import {
  at,
  camel,
  derivable,
  flatAccounts,
  fixture,
  fromFixture,
  fromHex,
  idl,
  normalise,
  pascal,
  PROGRAMS,
  toHex,
  type Program,
} from "./idl";

interface IxFixture {
  name: string;
  program: Program;
  programId: string;
  accounts: { address: string; signer: boolean; writable: boolean }[];
  data: string;
  args: Record<string, unknown>;
}

interface PdaFixture {
  program: Program;
  family: string;
  programId: string;
  seeds: (
    | { utf8: string }
    | { pubkey: string }
    | { u8: number }
    | { u32: number }
    | { u64: string }
    | { bytes: string }
  )[];
  address: string;
}

interface AccountFixture {
  program: Program;
  account: string;
  address: string;
  owner: string;
  data: string;
  fields: Record<string, unknown>;
}

const instructions = fixture<IxFixture[]>("instructions.json");
const pdaFixtures = fixture<PdaFixture[]>("pdas.json");
const accountFixtures = fixture<AccountFixture[]>("accounts.json");

/**
 * Builds the fixture's instruction with the generated builder: the synchronous one, given
 * every account, or (`derive`) the async one, given only the accounts it cannot derive.
 */
async function build(f: IxFixture, derive = false): Promise<Instruction> {
  const spec = idl(f.program).instructions.find((i) => camel(i.name) === f.name);
  assert.ok(spec, `${f.name} is an instruction of ${f.program}'s IDL`);
  const named = flatAccounts(spec.accounts);
  assert.ok(f.accounts.length >= named.length, `${f.name}: fewer metas than the IDL's accounts`);
  const input: Record<string, unknown> = {};
  named.forEach((a, i) => {
    if (derive && derivable(a)) return;
    const addr = address(f.accounts[i].address);
    input[camel(a.name)] = a.signer ? createNoopSigner(addr) : addr;
  });
  // Codama inlines a struct type used by one instruction only (no `types/` module, no
  // encoder of its own) and flattens a single such argument into the instruction's input.
  const module = PROGRAMS[f.program].module;
  for (const arg of spec.args) {
    const value = fromFixture(f.args[camel(arg.name)], arg.type, f.program);
    const flatten =
      spec.args.length === 1 &&
      typeof arg.type === "object" &&
      "defined" in arg.type &&
      module[`get${arg.type.defined.name}Encoder`] === undefined;
    if (flatten) Object.assign(input, value as object);
    else input[camel(arg.name)] = value;
  }
  const builder = module[`get${pascal(spec.name)}Instruction${derive ? "Async" : ""}`] as (
    input: unknown,
  ) => Instruction | Promise<Instruction>;
  assert.equal(typeof builder, "function", `generated builder for ${f.name}`);
  const ix = await builder(input);
  // remaining accounts (the pools a valuation reads) follow the named ones, as in Rust
  const remaining = f.accounts.slice(named.length).map((m) => ({
    address: address(m.address),
    role: m.writable ? AccountRole.WRITABLE : AccountRole.READONLY,
  }));
  return { ...ix, accounts: [...(ix.accounts ?? []), ...remaining] };
}

describe("instructions: the generated builders encode what the Rust builders encode", () => {
  const names = new Set(instructions.map((f) => f.name));
  for (const required of [
    "createPool",
    "submitObservation",
    "refreshRate",
    "exchange",
    "redeemForStable",
    "sellToReserve",
    "deposit",
  ]) {
    it(`the fixtures cover ${required}`, () => assert.ok(names.has(required)));
  }
  for (const [f, derive] of instructions.flatMap(
    (f) =>
      [
        [f, false],
        [f, true],
      ] as const,
  )) {
    it(`${f.program}.${f.name}${derive ? " (async builder, PDAs derived)" : ""}`, async () => {
      const ix = await build(f, derive);
      assert.equal(ix.programAddress, f.programId);
      assert.deepEqual(
        (ix.accounts ?? []).map((m) => ({
          address: m.address,
          signer: m.role === AccountRole.READONLY_SIGNER || m.role === AccountRole.WRITABLE_SIGNER,
          writable: m.role === AccountRole.WRITABLE || m.role === AccountRole.WRITABLE_SIGNER,
        })),
        f.accounts,
      );
      assert.equal(toHex(ix.data ?? new Uint8Array()), f.data);
    });
  }
});

function seedBytes(s: PdaFixture["seeds"][number]): Uint8Array {
  if ("utf8" in s) return new TextEncoder().encode(s.utf8);
  if ("pubkey" in s) return new Uint8Array(getAddressEncoder().encode(address(s.pubkey)));
  if ("u8" in s) return Uint8Array.of(s.u8);
  if ("u32" in s) return new Uint8Array(getU32Encoder().encode(s.u32));
  if ("u64" in s) return new Uint8Array(getU64Encoder().encode(BigInt(s.u64)));
  return fromHex(s.bytes);
}

type Derive = (seeds: PdaFixture["seeds"]) => Promise<Address>;
const arg = (seeds: PdaFixture["seeds"], i: number) => seeds[i] as unknown as Record<string, never>;
const key = (seeds: PdaFixture["seeds"], i: number) => address(arg(seeds, i).pubkey);

/** app/src/pdas.ts, family by family. */
const handWritten: Record<string, Derive> = {
  "receivables.config": () => pdas.configPda("receivables"),
  "receivables.issuer": (s) => pdas.receivables.issuer(key(s, 1)),
  "receivables.pool": (s) => pdas.receivables.pool(key(s, 1), arg(s, 2).u32),
  "receivables.servicer": (s) => pdas.receivables.servicer(key(s, 1)),
  "receivables.unitMint": (s) => pdas.receivables.unitMint(key(s, 1)),
  "receivables.vault": (s) => pdas.receivables.vault(key(s, 1)),
  "rwaOracle.config": () => pdas.configPda("rwaOracle"),
  "rwaOracle.feed": (s) => pdas.rwaOracle.feed(fromHex(arg(s, 1).bytes)),
  "rwaOracle.grade": (s) => pdas.rwaOracle.grade(arg(s, 1).u8),
  "dcfPricer.config": () => pdas.configPda("dcfPricer"),
  "dcfPricer.poolPricing": (s) => pdas.dcfPricer.poolPricing(key(s, 1)),
  "valueAnchor.config": () => pdas.configPda("valueAnchor"),
  "valueAnchor.anchorMint": () => pdas.valueAnchor.anchorMint(),
  "valueAnchor.stableReserve": () => pdas.valueAnchor.stableReserve(),
  "valueAnchor.backing": () => pdas.valueAnchor.backing(),
  "valueAnchor.acceptedPool": (s) => pdas.valueAnchor.acceptedPool(key(s, 1)),
  "valueAnchor.collateral": (s) => pdas.valueAnchor.collateral(key(s, 1)),
  "valueAnchor.claim": (s) => pdas.valueAnchor.claim(key(s, 1), BigInt(arg(s, 2).u64)),
  "buybackReserve.config": () => pdas.configPda("buybackReserve"),
  "buybackReserve.book": () => pdas.buybackReserve.book(),
  "buybackReserve.stableVault": () => pdas.buybackReserve.stableVault(),
  "buybackReserve.insuranceVault": () => pdas.buybackReserve.insuranceVault(),
  "buybackReserve.feeVault": () => pdas.buybackReserve.feeVault(),
  "buybackReserve.rewardsVault": () => pdas.buybackReserve.rewardsVault(),
  "buybackReserve.anchorVault": () => pdas.buybackReserve.anchorVault(),
  "buybackReserve.protocolMint": () => pdas.buybackReserve.protocolMint(),
  "buybackReserve.treasury": () => pdas.buybackReserve.treasury(),
  "buybackReserve.stakeVault": () => pdas.buybackReserve.stakeVault(),
  "buybackReserve.listedPool": (s) => pdas.buybackReserve.listedPool(key(s, 1)),
  "buybackReserve.unitsVault": (s) => pdas.buybackReserve.unitsVault(key(s, 1)),
  "buybackReserve.position": (s) => pdas.buybackReserve.position(arg(s, 1).u8, key(s, 2)),
  "transferHook.config": () => pdas.configPda("transferHook"),
  "transferHook.attestor": (s) => pdas.transferHook.attestor(key(s, 1)),
  "transferHook.attestation": (s) => pdas.transferHook.attestation(key(s, 1), key(s, 2)),
  "transferHook.mintGate": (s) => pdas.transferHook.mintGate(key(s, 1)),
  "transferHook.extraAccountMetas": (s) => pdas.transferHook.extraAccountMetas(key(s, 1)),
};

/** The generated `find*Pda` helper of a family, where Codama could derive one from the IDL. */
async function generated(f: PdaFixture): Promise<Address | undefined> {
  const find = PROGRAMS[f.program].module[`find${pascal(f.family)}Pda`] as
    ((seeds?: unknown) => Promise<readonly [Address, number]>) | undefined;
  if (!find) return undefined;
  const values = f.seeds
    .slice(1)
    .map((s) => ("pubkey" in s ? address(s.pubkey) : "bytes" in s ? fromHex(s.bytes) : undefined));
  // the generated helpers' seed names, by family (a pool's key where none is given)
  const seedNames: Record<string, string[]> = {
    issuer: ["issuerAuthority"],
    servicer: ["servicerAuthority"],
    feed: ["feedId"],
    attestor: ["attestorAuthority"],
    attestation: ["authority", "holder"],
    mintGate: ["mint"],
    extraAccountMetas: ["mint"],
  };
  const names = seedNames[f.family] ?? ["pool"];
  const seeds =
    values.length === 0 ? undefined : Object.fromEntries(names.map((n, i) => [n, values[i]]));
  const [pda] = seeds ? await find(seeds) : await find();
  return pda;
}

describe("PDAs: app/src/pdas.ts and the generated helpers derive what the Rust SDK derives", () => {
  it("every seeds family has a fixture", () => {
    const families = new Set(pdaFixtures.map((f) => `${f.program}.${f.family}`));
    assert.deepEqual([...families].sort(), Object.keys(handWritten).sort());
  });
  for (const f of pdaFixtures) {
    it(`${f.program}.${f.family} ${f.seeds
      .map((s) => Object.values(s)[0])
      .join(",")
      .slice(0, 60)}`, async () => {
      const [raw] = await getProgramDerivedAddress({
        programAddress: address(f.programId),
        seeds: f.seeds.map(seedBytes),
      });
      assert.equal(raw, f.address, "the seeds as recorded");
      assert.equal(await handWritten[`${f.program}.${f.family}`](f.seeds), f.address, "pdas.ts");
      const gen = await generated(f);
      if (gen !== undefined) assert.equal(gen, f.address, "generated find*Pda");
    });
  }
  it("the generated client derives at least the singleton and per-pool families", async () => {
    const derived = await Promise.all(pdaFixtures.map(generated));
    assert.ok(derived.filter((d) => d !== undefined).length >= 20);
  });
});

describe("accounts: the generated decoders read what the programs wrote", () => {
  for (const f of accountFixtures) {
    it(`${f.program}.${f.account} at ${f.address}`, () => {
      const program = idl(f.program);
      assert.equal(f.owner, program.address, "owned by the program");
      const data = fromHex(f.data);
      const disc = program.accounts?.find((a) => a.name === f.account)?.discriminator;
      assert.deepEqual(Array.from(data.subarray(0, 8)), disc, "the account's discriminator");
      const decoder = PROGRAMS[f.program].module[`get${f.account}Decoder`] as () => {
        decode(bytes: Uint8Array): unknown;
        read(bytes: Uint8Array, offset: number): [unknown, number];
      };
      const [decoded, end] = decoder().read(data, 0);
      assert.ok(end <= data.length, "decoding stays within the account");
      for (const [pathExpr, expected] of Object.entries(f.fields)) {
        assert.deepEqual(normalise(at(decoded, pathExpr)), expected, pathExpr);
      }
      // re-encoding what was decoded gives the program's bytes back
      const encoder = PROGRAMS[f.program].module[`get${f.account}Encoder`] as () => {
        encode(v: unknown): Uint8Array;
      };
      assert.equal(toHex(encoder().encode(decoded)), toHex(data.subarray(0, end)));
    });
  }
});
