// Program ids and PDA derivations of the protocol, mirroring each program's `seeds.rs`: every
// seeds family, including those the generated client cannot derive on its own (seeds taken
// from instruction arguments: a pool's index, a grade, a claim's nonce, a position's kind).
// Proven equal to the Rust SDK's derivations by app/test/client.test.ts.
import {
  address,
  getAddressEncoder,
  getProgramDerivedAddress,
  getU32Encoder,
  getU64Encoder,
  type Address,
  type ReadonlyUint8Array,
} from "@solana/kit";

export const PROGRAM_IDS = {
  rwaOracle: address("26qb6MRuvoqQN4gKJ7nBES5roEGnNSUxohSs7LmXuQNy"),
  receivables: address("8xeUKRHnR97J61AKMwnFf3CR4hYCfMhRkNG729fUwspR"),
  dcfPricer: address("EpDbvupDThGsry11CQrFSh4F3gbqbX7dmFhuJ8JEb8hn"),
  valueAnchor: address("6uK1dyU8Xm4WVp7ycNZUCT7cmto3NGtH4fbrkEBNowDe"),
  buybackReserve: address("HiNCehJWkz62ymcSV97j89v6VaCESYEec1Mcqn1vhrvF"),
  transferHook: address("6qmMwsknoSgBTEFWyLEmFYQJzYnLydAMk36ueoRtJx3Q"),
} as const;

export type ProgramName = keyof typeof PROGRAM_IDS;

const utf8 = (s: string) => new TextEncoder().encode(s);
const key = (a: Address) => getAddressEncoder().encode(a);

async function find(programAddress: Address, ...seeds: ReadonlyUint8Array[]): Promise<Address> {
  const [pda] = await getProgramDerivedAddress({ programAddress, seeds });
  return pda;
}

/** Every program's singleton config: `[b"config"]`. */
export const configPda = (program: ProgramName) => find(PROGRAM_IDS[program], utf8("config"));

export const receivables = {
  issuer: (authority: Address) => find(PROGRAM_IDS.receivables, utf8("issuer"), key(authority)),
  /** `[b"pool", issuer authority, index u32 LE]`. */
  pool: (issuerAuthority: Address, index: number) =>
    find(
      PROGRAM_IDS.receivables,
      utf8("pool"),
      key(issuerAuthority),
      new Uint8Array(getU32Encoder().encode(index)),
    ),
  unitMint: (pool: Address) => find(PROGRAM_IDS.receivables, utf8("unit_mint"), key(pool)),
  vault: (pool: Address) => find(PROGRAM_IDS.receivables, utf8("vault"), key(pool)),
  servicer: (authority: Address) => find(PROGRAM_IDS.receivables, utf8("servicer"), key(authority)),
};

export const rwaOracle = {
  /** `[b"feed", feed_id]`, the feed id 32 bytes. */
  feed: (feedId: Uint8Array) => find(PROGRAM_IDS.rwaOracle, utf8("feed"), feedId),
  grade: (grade: number) => find(PROGRAM_IDS.rwaOracle, utf8("grade"), Uint8Array.of(grade)),
};

export const dcfPricer = {
  poolPricing: (pool: Address) => find(PROGRAM_IDS.dcfPricer, utf8("pricing"), key(pool)),
};

export const valueAnchor = {
  anchorMint: () => find(PROGRAM_IDS.valueAnchor, utf8("anchor_mint")),
  stableReserve: () => find(PROGRAM_IDS.valueAnchor, utf8("stable_reserve")),
  backing: () => find(PROGRAM_IDS.valueAnchor, utf8("backing")),
  acceptedPool: (pool: Address) => find(PROGRAM_IDS.valueAnchor, utf8("accepted"), key(pool)),
  collateral: (pool: Address) => find(PROGRAM_IDS.valueAnchor, utf8("collateral"), key(pool)),
  /** `[b"claim", holder, nonce u64 LE]`, a nonce of the holder's choosing. */
  claim: (holder: Address, nonce: bigint) =>
    find(
      PROGRAM_IDS.valueAnchor,
      utf8("claim"),
      key(holder),
      new Uint8Array(getU64Encoder().encode(nonce)),
    ),
};

/** buyback-reserve's position kinds, as `PositionKind` numbers them. */
export const PositionKind = { Deposit: 0, Insurance: 1, Protocol: 2 } as const;

const reserveSingleton = (seed: string) => () => find(PROGRAM_IDS.buybackReserve, utf8(seed));

export const buybackReserve = {
  book: reserveSingleton("book"),
  stableVault: reserveSingleton("stable_vault"),
  insuranceVault: reserveSingleton("insurance_vault"),
  feeVault: reserveSingleton("fee_vault"),
  rewardsVault: reserveSingleton("rewards_vault"),
  anchorVault: reserveSingleton("anchor_vault"),
  protocolMint: reserveSingleton("protocol_mint"),
  treasury: reserveSingleton("treasury"),
  stakeVault: reserveSingleton("stake_vault"),
  listedPool: (pool: Address) => find(PROGRAM_IDS.buybackReserve, utf8("listed"), key(pool)),
  unitsVault: (pool: Address) => find(PROGRAM_IDS.buybackReserve, utf8("units"), key(pool)),
  /** `[b"position", kind u8, owner]`. */
  position: (kind: number, owner: Address) =>
    find(PROGRAM_IDS.buybackReserve, utf8("position"), Uint8Array.of(kind), key(owner)),
};

/** The transfer hook of permissioned units (programs/transfer-hook/SPEC.md). */
export const transferHook = {
  /** `[b"attestor", authority]`: an approved attestor's record. */
  attestor: (authority: Address) =>
    find(PROGRAM_IDS.transferHook, utf8("attestor"), key(authority)),
  /** `[b"attestation", attestor authority, holder]`. */
  attestation: (attestor: Address, holder: Address) =>
    find(PROGRAM_IDS.transferHook, utf8("attestation"), key(attestor), key(holder)),
  /** `[b"mint_gate", mint]`: which attestor a permissioned mint trusts. */
  mintGate: (mint: Address) => find(PROGRAM_IDS.transferHook, utf8("mint_gate"), key(mint)),
  /** `[b"extra-account-metas", mint]`: the transfer-hook interface's validation account. */
  extraAccountMetas: (mint: Address) =>
    find(PROGRAM_IDS.transferHook, utf8("extra-account-metas"), key(mint)),
};
