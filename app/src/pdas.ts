// Program ids and PDA derivations of the protocol, mirroring each program's `seeds.rs`.
import { PublicKey } from "@solana/web3.js";

export const PROGRAM_IDS = {
  rwaOracle: new PublicKey("26qb6MRuvoqQN4gKJ7nBES5roEGnNSUxohSs7LmXuQNy"),
  receivables: new PublicKey("8xeUKRHnR97J61AKMwnFf3CR4hYCfMhRkNG729fUwspR"),
  dcfPricer: new PublicKey("EpDbvupDThGsry11CQrFSh4F3gbqbX7dmFhuJ8JEb8hn"),
  valueAnchor: new PublicKey("6uK1dyU8Xm4WVp7ycNZUCT7cmto3NGtH4fbrkEBNowDe"),
  buybackReserve: new PublicKey("HiNCehJWkz62ymcSV97j89v6VaCESYEec1Mcqn1vhrvF"),
} as const;

function find(programId: PublicKey, ...seeds: (Buffer | Uint8Array)[]): PublicKey {
  return PublicKey.findProgramAddressSync(seeds, programId)[0];
}

const s = (seed: string) => Buffer.from(seed);

/** Every program's singleton config: `[b"config"]`. */
export const configPda = (programId: PublicKey) => find(programId, s("config"));

export const receivables = {
  issuer: (authority: PublicKey) => find(PROGRAM_IDS.receivables, s("issuer"), authority.toBuffer()),
  pool: (issuerAuthority: PublicKey, index: number) => {
    const le = Buffer.alloc(4);
    le.writeUInt32LE(index);
    return find(PROGRAM_IDS.receivables, s("pool"), issuerAuthority.toBuffer(), le);
  },
  unitMint: (pool: PublicKey) => find(PROGRAM_IDS.receivables, s("unit_mint"), pool.toBuffer()),
  vault: (pool: PublicKey) => find(PROGRAM_IDS.receivables, s("vault"), pool.toBuffer()),
  servicer: (authority: PublicKey) =>
    find(PROGRAM_IDS.receivables, s("servicer"), authority.toBuffer()),
};

export const rwaOracle = {
  /** `[b"feed", feed_id]`, the feed id 32 bytes. */
  feed: (feedId: Uint8Array) => find(PROGRAM_IDS.rwaOracle, s("feed"), feedId),
  grade: (grade: number) => find(PROGRAM_IDS.rwaOracle, s("grade"), Uint8Array.of(grade)),
};

export const dcfPricer = {
  poolPricing: (pool: PublicKey) => find(PROGRAM_IDS.dcfPricer, s("pricing"), pool.toBuffer()),
};

export const valueAnchor = {
  anchorMint: () => find(PROGRAM_IDS.valueAnchor, s("anchor_mint")),
  stableReserve: () => find(PROGRAM_IDS.valueAnchor, s("stable_reserve")),
  backing: () => find(PROGRAM_IDS.valueAnchor, s("backing")),
  acceptedPool: (pool: PublicKey) =>
    find(PROGRAM_IDS.valueAnchor, s("accepted"), pool.toBuffer()),
  collateral: (pool: PublicKey) => find(PROGRAM_IDS.valueAnchor, s("collateral"), pool.toBuffer()),
  /** `[b"claim", holder, nonce u64 LE]`, a nonce of the holder's choosing. */
  claim: (holder: PublicKey, nonce: bigint) => {
    const le = Buffer.alloc(8);
    le.writeBigUInt64LE(nonce);
    return find(PROGRAM_IDS.valueAnchor, s("claim"), holder.toBuffer(), le);
  },
};

export const buybackReserve = {
  stableVault: () => find(PROGRAM_IDS.buybackReserve, s("stable_vault")),
};
