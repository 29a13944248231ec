// Initialises the protocol after the programs are deployed (`anchor deploy`, or
// `solana program deploy` of target/deploy/*.so), and on every later run converges it on the
// cluster's configuration: configs of all five programs, oracle feeds and their publishers,
// credit grades, per-pool pricing, value-anchor's accepted pools and the reserve's listed pools.
//
//   npx tsx migrations/deploy.ts --cluster localnet|devnet|mainnet [--dry-run] [--config FILE]
//   npm run deploy:plan -- --cluster devnet       # the plan only, nothing is sent
//
// Environment:
//   RWA_RPC_URL     the cluster's RPC (also ANCHOR_PROVIDER_URL; a localnet run that sends
//                   defaults to http://127.0.0.1:8899, a dry run without it plans offline);
//                   RWA_WS_URL its websocket (default: derived, RPC port + 1)
//   RWA_WALLET      keypair file of the programs' upgrade authority (also ANCHOR_WALLET;
//                   default ~/.config/solana/id.json); it becomes `admin` of every config
//   ADMIN           who must hold `admin` of every existing config (default: the wallet)
//   PENDING_ADMIN   the governance timelock: `propose_admin` on every config the wallet
//                   administers (the timelock then calls accept_admin)
//   $ENV:NAME       in the config file, an address read from the environment variable NAME
//
// Idempotent: the plan is computed from what the cluster holds, so a re-run plans nothing.
// What has a setter (grades, pricing params, value-anchor and reserve params, pool params and
// caps, guardians) is updated; what cannot change on chain (a feed's params, the reserve
// mint, an admin held by someone else) stops the run with the difference, before anything is
// sent. `--dry-run` prints the plan and sends nothing; without an RPC it plans against an
// empty cluster (offline).
import {
  address,
  appendTransactionMessageInstructions,
  createKeyPairSignerFromBytes,
  createNoopSigner,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  fetchEncodedAccount,
  generateKeyPairSigner,
  getAddressEncoder,
  getBase58Decoder,
  getProgramDerivedAddress,
  getSignatureFromTransaction,
  pipe,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type Address,
  type Instruction,
  type Rpc,
  type SolanaRpcApi,
  type TransactionSigner,
} from "@solana/kit";
import { getCreateAccountInstruction } from "@solana-program/system";
import {
  getInitializeMint2Instruction,
  getMintSize,
  TOKEN_PROGRAM_ADDRESS,
} from "@solana-program/token";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  BuybackReserve,
  configPda,
  DcfPricer,
  PROGRAM_IDS,
  Receivables,
  RwaOracle,
  TransferHook,
  ValueAnchor,
  type ProgramName,
} from "../app/src";
import * as pdas from "../app/src/pdas";

// ---------------------------------------------------------------------------------------------
// The configuration (migrations/config/<cluster>.json)

type U64 = string;
export interface FeedConfig {
  /** The feed id: up to 32 ASCII bytes, zero-padded (as `pricer::BENCHMARK`). */
  id: string;
  kind: keyof typeof RwaOracle.FeedKind;
  minBps: number;
  maxBps: number;
  maxDeviationBps: number;
  deviationWindowSecs: number;
  maxStalenessSecs: number;
  minPublishers: number;
  maxConfidenceBps: number;
  singleSource: boolean;
  /** 32 bytes hex; absent: none. */
  pythFeedId?: string;
  publishers: string[];
}
export interface GradeConfig {
  grade: number;
  label: string;
  spreadFeed: string;
  pdFeed: string;
  lgdFeed: string;
  /** `[days late, bps written down]`. */
  writeDown: [number, number][];
}
export interface DeployConfig {
  cluster: "localnet" | "devnet" | "mainnet";
  /** null: the wallet. */
  guardian: string | null;
  /** The 6-decimal reserve stablecoin; null on localnet: one is created. */
  reserveMint: string | null;
  oracle: {
    maxStalenessSecs: number;
    minPublishers: number;
    feeds: FeedConfig[];
    grades: GradeConfig[];
  };
  pricer: {
    maxRateAgeSecs: number;
    pools: {
      pool: string;
      benchmark: string;
      maxInputAgeSecs: number;
      maxRiseBps: number;
      riseIntervalSecs: number;
    }[];
  };
  valueAnchor: {
    /** The anchor token: "token-2022" (a mint with metadata: name 1..=32 bytes, symbol 1..=10,
     * URI 0..=200, shown by wallets and explorers) or "spl-token" (a bare mint; name, symbol and
     * URI must be empty). Fixed at initialisation. */
    anchorToken: {
      program: "token-2022" | "spl-token";
      name: string;
      symbol: string;
      uri: string;
    };
    params: {
      feeInBps: number;
      feeOutBps: number;
      overcollateralBps: number;
      maxEntryAgeSecs: number;
      maxPriceAgeSecs: number;
      globalCeiling: U64;
    };
    pools: {
      pool: string;
      haircutBps: number;
      ceiling: U64;
      capacity: U64;
      capacityWindowSecs: number;
      intakeOpen: boolean;
    }[];
  };
  reserve: {
    params: {
      epochSecs: number;
      saleBudget: U64;
      minDiscountBps: number[];
      maxDiscountBps: number;
      curveExponent: number;
      bidBandBps: number;
      bidBudget: U64;
      maxPriceAgeSecs: number;
      discountToInsuranceBps: number;
      feeToInsuranceBps: number;
      feeToStakersBps: number;
      depositCooldownSecs: number;
      depositWindowSecs: number;
      stakeCooldownSecs: number;
      stakeWindowSecs: number;
    };
    pools: { pool: string; cap: U64 }[];
  };
  /** The transfer hook of permissioned units; absent: initialised with no attestors. */
  transferHook?: {
    /** Attestor authority keys the admin approves (names resolve as the other keys do). */
    attestors: string[];
  };
}

export function loadConfig(file: string): DeployConfig {
  return JSON.parse(fs.readFileSync(file, "utf8")) as DeployConfig;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const BPF_LOADER_UPGRADEABLE = address("BPFLoaderUpgradeab1e11111111111111111111111");
const DEFAULT_ADDRESS = address("11111111111111111111111111111111");
const CONFIRMED = { commitment: "confirmed" } as const;
const TOKEN_2022_PROGRAM_ADDRESS = address("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");

/** The token program the config's anchor token names. */
const anchorTokenProgram = (program: "token-2022" | "spl-token"): Address =>
  program === "token-2022" ? TOKEN_2022_PROGRAM_ADDRESS : TOKEN_PROGRAM_ADDRESS;

/** Fixed raw (Q64.64) of `bps` basis points, rounded down (rwa-testkit's `oracle::bps`). */
export const bpsToFixed = (bps: number | bigint) => (BigInt(bps) << 64n) / 10_000n;

/** A feed id: ASCII, zero-padded to 32 bytes. */
export function feedId(id: string): Uint8Array {
  const bytes = new TextEncoder().encode(id);
  if (bytes.length > 32) throw new Error(`feed id ${id} is longer than 32 bytes`);
  const out = new Uint8Array(32);
  out.set(bytes);
  return out;
}

function label8(label: string): Uint8Array {
  const bytes = new TextEncoder().encode(label);
  if (bytes.length > 8) throw new Error(`grade label ${label} is longer than 8 bytes`);
  const out = new Uint8Array(8);
  out.set(bytes);
  return out;
}

/**
 * `len` bytes from exactly `2 x len` hex digits (an optional `0x` prefix), or zeros when absent.
 * Anything else is refused: a feed's params (its Pyth id) have no setter on chain.
 */
export const hexBytes = (hex: string | undefined, len: number) => {
  const out = new Uint8Array(len);
  if (hex === undefined || hex === "") return out;
  const digits = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (!new RegExp(`^[0-9a-fA-F]{${2 * len}}$`).test(digits)) {
    throw new Error(`\`${hex}\` is not ${len} bytes of hex (${2 * len} hex digits)`);
  }
  out.set(Uint8Array.from(digits.match(/../g)!.map((b) => parseInt(b, 16))));
  return out;
};

const sameBytes = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((x, i) => x === b[i]);

/** Canonical JSON of a decoded value: keys sorted, bigints as strings, bytes as arrays. */
const plain = (v: unknown): string =>
  JSON.stringify(v, (_, x: unknown) => {
    if (typeof x === "bigint") return x.toString();
    if (x instanceof Uint8Array) return Array.from(x);
    if (x && typeof x === "object" && !Array.isArray(x)) {
      return Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)));
    }
    return x;
  });

// ---------------------------------------------------------------------------------------------
// The plan

export interface Step {
  program: ProgramName | "token";
  action: string;
  detail: string;
  instructions: Instruction[];
}

export interface Plan {
  steps: Step[];
  /** Differences no instruction can fix: the run stops before sending anything. */
  conflicts: string[];
  notes: string[];
}

/** Reads accounts, or nothing at all when planning offline. */
interface Reader {
  rpc: Rpc<SolanaRpcApi> | null;
}

async function read<T>(
  r: Reader,
  fetchMaybe: (
    rpc: Rpc<SolanaRpcApi>,
    a: Address,
    config: { commitment: "confirmed" },
  ) => Promise<{ exists: boolean; data?: T }>,
  at: Address,
): Promise<T | null> {
  if (!r.rpc) return null;
  // read what the previous steps' transactions (confirmed) wrote
  const account = await fetchMaybe(r.rpc, at, CONFIRMED);
  return account.exists ? (account.data as T) : null;
}

async function programData(programId: Address): Promise<Address> {
  const [pda] = await getProgramDerivedAddress({
    programAddress: BPF_LOADER_UPGRADEABLE,
    seeds: [getAddressEncoder().encode(programId)],
  });
  return pda;
}

/** Deployed, upgradeable, and upgradeable by `wallet` (only it may `initialize`). */
async function checkUpgradeAuthority(
  r: Reader,
  program: ProgramName,
  wallet: Address,
  conflicts: string[],
): Promise<Address> {
  const pd = await programData(PROGRAM_IDS[program]);
  if (!r.rpc) return pd;
  const account = await fetchEncodedAccount(r.rpc, pd, CONFIRMED);
  if (!account.exists || account.programAddress !== BPF_LOADER_UPGRADEABLE) {
    conflicts.push(
      `${program}: no ProgramData at ${pd}; deploy ${PROGRAM_IDS[program]} with the ` +
        "upgradeable loader (anchor deploy) first",
    );
    return pd;
  }
  const data = account.data;
  if (data.length < 45 || data[12] === 0) {
    conflicts.push(`${program}: ${PROGRAM_IDS[program]} is immutable; it cannot be initialised`);
    return pd;
  }
  const authority = getBase58Decoder().decode(data.subarray(13, 45)) as Address;
  if (authority !== wallet) {
    conflicts.push(
      `${program}: the wallet ${wallet} is not the upgrade authority ${authority}; only the ` +
        "upgrade authority may initialise (run with its keypair as RWA_WALLET)",
    );
  }
  return pd;
}

interface Roles {
  admin: Address;
  pendingAdmin: Address;
  guardian: Address;
}

interface Ctx {
  r: Reader;
  wallet: TransactionSigner;
  guardian: Address;
  admin: Address;
  pendingAdmin: Address | null;
  plan: Plan;
}

const step = (ctx: Ctx, s: Step) => ctx.plan.steps.push(s);

/**
 * The admin checks every existing config gets: the expected admin, the guardian (updated), and
 * the handover to PENDING_ADMIN (proposed where the wallet administers and nothing is pending).
 */
function roles(
  ctx: Ctx,
  program: ProgramName,
  config: Address,
  state: Roles,
  setGuardian: () => Instruction,
  proposeAdmin: (to: Address) => Instruction,
): boolean {
  const { plan, wallet } = ctx;
  if (state.admin !== ctx.admin) {
    plan.conflicts.push(
      `${program}: config ${config} has admin ${state.admin}, expected ${ctx.admin} ` +
        "(set ADMIN to the key that holds the role)",
    );
    return false;
  }
  const mine = state.admin === wallet.address;
  if (state.guardian !== ctx.guardian) {
    if (mine) {
      step(ctx, {
        program,
        action: "set_guardian",
        detail: `${state.guardian} -> ${ctx.guardian}`,
        instructions: [setGuardian()],
      });
    } else {
      plan.conflicts.push(`${program}: guardian ${state.guardian} != ${ctx.guardian}`);
    }
  }
  const nonePending = state.pendingAdmin === DEFAULT_ADDRESS;
  if (ctx.pendingAdmin && nonePending && mine) {
    step(ctx, {
      program,
      action: "propose_admin",
      detail: `admin offered to ${ctx.pendingAdmin} (it must call accept_admin)`,
      instructions: [proposeAdmin(ctx.pendingAdmin)],
    });
  } else if (ctx.pendingAdmin ? state.pendingAdmin !== ctx.pendingAdmin : !nonePending) {
    plan.conflicts.push(
      `${program}: pending admin ${state.pendingAdmin}, expected ` +
        `${ctx.pendingAdmin ?? "none"} (set PENDING_ADMIN, or withdraw with propose_admin(default))`,
    );
  }
  return mine;
}

export interface PlanOptions {
  rpc: Rpc<SolanaRpcApi> | null;
  wallet: TransactionSigner;
  resolve: (value: string) => Address;
  admin?: Address;
  pendingAdmin?: Address | null;
}

export async function buildPlan(cfg: DeployConfig, o: PlanOptions): Promise<Plan> {
  const plan: Plan = { steps: [], conflicts: [], notes: [] };
  const r: Reader = { rpc: o.rpc };
  const wallet = o.wallet;
  const ctx: Ctx = {
    r,
    wallet,
    guardian: cfg.guardian ? o.resolve(cfg.guardian) : wallet.address,
    admin: o.admin ?? wallet.address,
    pendingAdmin: o.pendingAdmin ?? null,
    plan,
  };
  if (!r.rpc) plan.notes.push("offline: planned against an empty cluster (no RPC given)");
  const W = wallet;

  // -- the reserve stablecoin: configured, or what value-anchor is bound to, or a new one
  const vaConfigAddress = await configPda("valueAnchor");
  const vaConfig = await read(r, ValueAnchor.fetchMaybeAnchorConfig, vaConfigAddress);
  let reserveMint: Address;
  if (vaConfig) {
    reserveMint = vaConfig.reserveMint;
    if (cfg.reserveMint && o.resolve(cfg.reserveMint) !== reserveMint) {
      plan.conflicts.push(
        `valueAnchor: bound to reserve mint ${reserveMint}, the config says ${cfg.reserveMint}`,
      );
    }
  } else if (cfg.reserveMint) {
    reserveMint = o.resolve(cfg.reserveMint);
  } else {
    if (cfg.cluster !== "localnet") {
      throw new Error("reserveMint must be set outside localnet");
    }
    const mint = await generateKeyPairSigner();
    reserveMint = mint.address;
    const lamports = r.rpc
      ? await r.rpc.getMinimumBalanceForRentExemption(BigInt(getMintSize())).send()
      : 1_461_600n;
    step(ctx, {
      program: "token",
      action: "create reserve mint",
      detail: `localnet 6-decimal stablecoin ${mint.address}, mint authority the wallet`,
      instructions: [
        getCreateAccountInstruction({
          payer: W,
          newAccount: mint,
          lamports,
          space: BigInt(getMintSize()),
          programAddress: TOKEN_PROGRAM_ADDRESS,
        }),
        getInitializeMint2Instruction({
          mint: mint.address,
          decimals: 6,
          mintAuthority: W.address,
        }),
      ],
    });
  }

  // -- receivables: config, and the reserve stablecoin as an accepted currency
  {
    const at = await configPda("receivables");
    const state = await read(r, Receivables.fetchMaybeRegistryConfig, at);
    if (!state) {
      const programData = await checkUpgradeAuthority(r, "receivables", W.address, plan.conflicts);
      step(ctx, {
        program: "receivables",
        action: "initialize",
        detail: `config ${at}, guardian ${ctx.guardian}`,
        instructions: [
          await Receivables.getInitializeInstructionAsync({
            admin: W,
            programData,
            guardian: ctx.guardian,
          }),
        ],
      });
    } else {
      roles(
        ctx,
        "receivables",
        at,
        state,
        () =>
          Receivables.getSetGuardianInstruction({ admin: W, config: at, guardian: ctx.guardian }),
        (to) => Receivables.getProposeAdminInstruction({ admin: W, config: at, newAdmin: to }),
      );
    }
    if (!state || !state.currencies.includes(reserveMint)) {
      step(ctx, {
        program: "receivables",
        action: "add_currency",
        detail: `reserve stablecoin ${reserveMint}`,
        instructions: [
          await Receivables.getAddCurrencyInstructionAsync({
            admin: W,
            currencyMint: reserveMint,
            currencyTokenProgram: TOKEN_PROGRAM_ADDRESS,
          }),
        ],
      });
    }
  }

  // -- rwa-oracle: config, feeds and publishers, grades
  {
    const at = await configPda("rwaOracle");
    const state = await read(r, RwaOracle.fetchMaybeOracleConfig, at);
    const o2 = cfg.oracle;
    if (!state) {
      const programData = await checkUpgradeAuthority(r, "rwaOracle", W.address, plan.conflicts);
      step(ctx, {
        program: "rwaOracle",
        action: "initialize",
        detail: `config ${at}, staleness ${o2.maxStalenessSecs}s, ${o2.minPublishers} publishers`,
        instructions: [
          await RwaOracle.getInitializeInstructionAsync({
            admin: W,
            programData,
            guardian: ctx.guardian,
            maxStalenessSecs: o2.maxStalenessSecs,
            minPublishers: o2.minPublishers,
          }),
        ],
      });
    } else {
      roles(
        ctx,
        "rwaOracle",
        at,
        state,
        () => RwaOracle.getSetGuardianInstruction({ admin: W, config: at, guardian: ctx.guardian }),
        (to) => RwaOracle.getProposeAdminInstruction({ admin: W, config: at, newAdmin: to }),
      );
      if (
        state.maxStalenessSecs !== o2.maxStalenessSecs ||
        state.minPublishers !== o2.minPublishers
      ) {
        plan.conflicts.push(
          `rwaOracle: config has staleness ${state.maxStalenessSecs}s / ${state.minPublishers} ` +
            `publishers, the config file ${o2.maxStalenessSecs}s / ${o2.minPublishers} (no setter)`,
        );
      }
    }
    for (const f of o2.feeds) {
      const id = feedId(f.id);
      const feed = await pdas.rwaOracle.feed(id);
      const params: RwaOracle.FeedParamsArgs = {
        kind: RwaOracle.FeedKind[f.kind],
        minValue: bpsToFixed(f.minBps),
        maxValue: bpsToFixed(f.maxBps),
        maxDeviationBps: f.maxDeviationBps,
        deviationWindowSecs: f.deviationWindowSecs,
        maxStalenessSecs: f.maxStalenessSecs,
        minPublishers: f.minPublishers,
        maxConfidenceBps: f.maxConfidenceBps,
        pythFeedId: hexBytes(f.pythFeedId, 32),
        singleSource: f.singleSource,
      };
      const onChain = await read(r, RwaOracle.fetchMaybeFeed, feed);
      if (!onChain) {
        step(ctx, {
          program: "rwaOracle",
          action: "create_feed",
          detail: `${f.id} (${f.kind}) at ${feed}`,
          instructions: [
            await RwaOracle.getCreateFeedInstructionAsync({ admin: W, feed, feedId: id, params }),
          ],
        });
      } else if (plain(onChain.params) !== plain(params)) {
        plan.conflicts.push(`rwaOracle: feed ${f.id} has other params on chain (no setter)`);
      }
      const present = new Set(
        (onChain?.observations ?? [])
          .map((ob) => ob.publisher)
          .filter((p) => p !== DEFAULT_ADDRESS),
      );
      const wanted = f.publishers.map(o.resolve);
      for (const p of wanted.filter((p) => !present.has(p))) {
        step(ctx, {
          program: "rwaOracle",
          action: "add_publisher",
          detail: `${p} on ${f.id}`,
          instructions: [
            await RwaOracle.getAddPublisherInstructionAsync({ admin: W, feed, publisher: p }),
          ],
        });
      }
      for (const p of [...present].filter((p) => !wanted.includes(p))) {
        plan.notes.push(`rwaOracle: ${p} publishes on ${f.id} but is not in the config (kept)`);
      }
    }
    for (const g of o2.grades) {
      const gradeRisk = await pdas.rwaOracle.grade(g.grade);
      const [spreadFeed, pdFeed, lgdFeed] = await Promise.all(
        [g.spreadFeed, g.pdFeed, g.lgdFeed].map((id) => pdas.rwaOracle.feed(feedId(id))),
      );
      const writeDown = g.writeDown.map(([daysLate, bps]) => ({
        daysLate,
        fraction: bpsToFixed(bps),
      }));
      const onChain = await read(r, RwaOracle.fetchMaybeGradeRisk, gradeRisk);
      const same =
        onChain &&
        sameBytes(onChain.label, label8(g.label)) &&
        onChain.spreadFeed === spreadFeed &&
        onChain.pdFeed === pdFeed &&
        onChain.lgdFeed === lgdFeed &&
        plain(onChain.writeDown.slice(0, onChain.writeDownLen)) === plain(writeDown);
      if (!same) {
        step(ctx, {
          program: "rwaOracle",
          action: onChain ? "set_grade (update)" : "set_grade",
          detail: `grade ${g.grade} "${g.label}": ${g.spreadFeed}, ${g.pdFeed}, ${g.lgdFeed}`,
          instructions: [
            await RwaOracle.getSetGradeInstructionAsync({
              admin: W,
              gradeRisk,
              spreadFeed,
              pdFeed,
              lgdFeed,
              grade: g.grade,
              label: label8(g.label),
              writeDown,
            }),
          ],
        });
      }
    }
  }

  // -- dcf-pricer: config and each pool's pricing
  {
    const at = await configPda("dcfPricer");
    const state = await read(r, DcfPricer.fetchMaybePricerConfig, at);
    if (!state) {
      const programData = await checkUpgradeAuthority(r, "dcfPricer", W.address, plan.conflicts);
      step(ctx, {
        program: "dcfPricer",
        action: "initialize",
        detail: `config ${at}, rates ${cfg.pricer.maxRateAgeSecs}s fresh`,
        instructions: [
          await DcfPricer.getInitializeInstructionAsync({
            admin: W,
            programData,
            guardian: ctx.guardian,
            maxRateAgeSecs: cfg.pricer.maxRateAgeSecs,
          }),
        ],
      });
    } else {
      roles(
        ctx,
        "dcfPricer",
        at,
        state,
        () => DcfPricer.getSetGuardianInstruction({ admin: W, config: at, guardian: ctx.guardian }),
        (to) => DcfPricer.getProposeAdminInstruction({ admin: W, config: at, newAdmin: to }),
      );
    }
    for (const p of cfg.pricer.pools) {
      const pool = o.resolve(p.pool);
      const poolPricing = await pdas.dcfPricer.poolPricing(pool);
      const params = {
        maxInputAgeSecs: p.maxInputAgeSecs,
        maxRiseBps: p.maxRiseBps,
        riseIntervalSecs: p.riseIntervalSecs,
      };
      const onChain = await read(r, DcfPricer.fetchMaybePoolPricing, poolPricing);
      if (!onChain) {
        const poolState = await read(r, Receivables.fetchMaybePool, pool);
        if (r.rpc && !poolState) {
          plan.conflicts.push(`dcfPricer: pool ${pool} does not exist`);
          continue;
        }
        const grade = poolState?.grade ?? 1;
        step(ctx, {
          program: "dcfPricer",
          action: "create_pool_pricing",
          detail: `pool ${pool} (grade ${grade}, benchmark ${p.benchmark})`,
          instructions: [
            await DcfPricer.getCreatePoolPricingInstructionAsync({
              admin: W,
              pool,
              gradeRisk: await pdas.rwaOracle.grade(grade),
              benchmarkFeed: await pdas.rwaOracle.feed(feedId(p.benchmark)),
              poolPricing,
              params,
            }),
          ],
        });
      } else if (plain(onChain.params) !== plain(params)) {
        step(ctx, {
          program: "dcfPricer",
          action: "set_pricing_params",
          detail: `pool ${pool}: ${plain(onChain.params)} -> ${plain(params)}`,
          instructions: [
            await DcfPricer.getSetPricingParamsInstructionAsync({
              admin: W,
              poolPricing,
              params,
            }),
          ],
        });
      }
    }
  }

  // -- value-anchor: config (bound to the reserve mint) and accepted pools
  {
    const at = vaConfigAddress;
    const v = cfg.valueAnchor;
    const params = { ...v.params, globalCeiling: BigInt(v.params.globalCeiling) };
    if (!vaConfig) {
      const programData = await checkUpgradeAuthority(r, "valueAnchor", W.address, plan.conflicts);
      step(ctx, {
        program: "valueAnchor",
        action: "initialize",
        detail:
          `config ${at}, reserve mint ${reserveMint}, anchor token ${v.anchorToken.program}` +
          (v.anchorToken.symbol ? ` "${v.anchorToken.symbol}"` : ""),
        instructions: [
          await ValueAnchor.getInitializeInstructionAsync({
            admin: W,
            programData,
            reserveMint,
            tokenProgram: TOKEN_PROGRAM_ADDRESS,
            anchorTokenProgram: anchorTokenProgram(v.anchorToken.program),
            guardian: ctx.guardian,
            params,
            name: v.anchorToken.name,
            symbol: v.anchorToken.symbol,
            uri: v.anchorToken.uri,
          }),
        ],
      });
    } else {
      const mine = roles(
        ctx,
        "valueAnchor",
        at,
        vaConfig,
        () =>
          ValueAnchor.getSetGuardianInstruction({ admin: W, config: at, guardian: ctx.guardian }),
        (to) => ValueAnchor.getProposeAdminInstruction({ admin: W, config: at, newAdmin: to }),
      );
      if (mine && plain(vaConfig.params) !== plain(params)) {
        step(ctx, {
          program: "valueAnchor",
          action: "set_params",
          detail: `${plain(vaConfig.params)} -> ${plain(params)}`,
          instructions: [await ValueAnchor.getSetParamsInstructionAsync({ admin: W, params })],
        });
      }
    }
    for (const p of v.pools) {
      const pool = o.resolve(p.pool);
      const acceptedPool = await pdas.valueAnchor.acceptedPool(pool);
      const poolParams = {
        haircutBps: p.haircutBps,
        ceiling: BigInt(p.ceiling),
        capacity: BigInt(p.capacity),
        capacityWindowSecs: p.capacityWindowSecs,
      };
      const onChain = await read(r, ValueAnchor.fetchMaybeAcceptedPool, acceptedPool);
      if (!onChain) {
        step(ctx, {
          program: "valueAnchor",
          action: "accept_pool",
          detail: `pool ${pool}, haircut ${p.haircutBps} bps, ceiling ${p.ceiling}`,
          instructions: [
            await ValueAnchor.getAcceptPoolInstructionAsync({
              admin: W,
              pool,
              unitMint: await pdas.receivables.unitMint(pool),
              unitTokenProgram: TOKEN_PROGRAM_ADDRESS,
              params: poolParams,
            }),
          ],
        });
      }
      if (
        (!onChain && !p.intakeOpen) ||
        (onChain &&
          (plain(onChain.params) !== plain(poolParams) || onChain.intakeOpen !== p.intakeOpen))
      ) {
        step(ctx, {
          program: "valueAnchor",
          action: "set_pool_params",
          detail: `pool ${pool}: ${plain(poolParams)}, intake ${p.intakeOpen ? "open" : "closed"}`,
          instructions: [
            await ValueAnchor.getSetPoolParamsInstructionAsync({
              admin: W,
              acceptedPool,
              params: poolParams,
              intakeOpen: p.intakeOpen,
            }),
          ],
        });
      }
    }
  }

  // -- buyback-reserve: config and listed pools
  {
    const at = await configPda("buybackReserve");
    const state = await read(r, BuybackReserve.fetchMaybeReserveConfig, at);
    const rp = cfg.reserve.params;
    const params = {
      ...rp,
      saleBudget: BigInt(rp.saleBudget),
      bidBudget: BigInt(rp.bidBudget),
    };
    if (!state) {
      const programData = await checkUpgradeAuthority(
        r,
        "buybackReserve",
        W.address,
        plan.conflicts,
      );
      step(ctx, {
        program: "buybackReserve",
        action: "initialize",
        detail: `config ${at}, stable mint ${reserveMint}, sale budget ${rp.saleBudget}`,
        instructions: [
          await BuybackReserve.getInitializeInstructionAsync({
            admin: W,
            programData,
            stableMint: reserveMint,
            anchorMint: await pdas.valueAnchor.anchorMint(),
            tokenProgram: TOKEN_PROGRAM_ADDRESS,
            // value-anchor's, as its config names it (or as this plan initialises it)
            anchorTokenProgram: vaConfig
              ? vaConfig.anchorTokenProgram
              : anchorTokenProgram(cfg.valueAnchor.anchorToken.program),
            guardian: ctx.guardian,
            params,
          }),
        ],
      });
    } else {
      const mine = roles(
        ctx,
        "buybackReserve",
        at,
        state,
        () =>
          BuybackReserve.getSetGuardianInstruction({
            admin: W,
            config: at,
            guardian: ctx.guardian,
          }),
        (to) => BuybackReserve.getProposeAdminInstruction({ admin: W, config: at, newAdmin: to }),
      );
      if (state.stableMint !== reserveMint) {
        plan.conflicts.push(
          `buybackReserve: stable mint ${state.stableMint}, value-anchor's ${reserveMint}`,
        );
      }
      if (mine && plain(state.params) !== plain(params)) {
        step(ctx, {
          program: "buybackReserve",
          action: "set_params",
          detail: `${plain(state.params)} -> ${plain(params)}`,
          instructions: [await BuybackReserve.getSetParamsInstructionAsync({ admin: W, params })],
        });
      }
    }
    for (const p of cfg.reserve.pools) {
      const pool = o.resolve(p.pool);
      const listedPool = await pdas.buybackReserve.listedPool(pool);
      const onChain = await read(r, BuybackReserve.fetchMaybeListedPool, listedPool);
      if (!onChain) {
        step(ctx, {
          program: "buybackReserve",
          action: "list_pool",
          detail: `pool ${pool}, cap ${p.cap}`,
          instructions: [
            await BuybackReserve.getListPoolInstructionAsync({
              admin: W,
              pool,
              pricing: await pdas.dcfPricer.poolPricing(pool),
              unitMint: await pdas.receivables.unitMint(pool),
              unitTokenProgram: TOKEN_PROGRAM_ADDRESS,
              cap: BigInt(p.cap),
            }),
          ],
        });
      } else if (onChain.cap !== BigInt(p.cap)) {
        step(ctx, {
          program: "buybackReserve",
          action: "set_pool_cap",
          detail: `pool ${pool}: ${onChain.cap} -> ${p.cap}`,
          instructions: [
            await BuybackReserve.getSetPoolCapInstructionAsync({
              admin: W,
              listedPool,
              cap: BigInt(p.cap),
            }),
          ],
        });
      }
    }
  }
  // -- transfer-hook: config and approved attestors
  {
    const at = await configPda("transferHook");
    const state = await read(r, TransferHook.fetchMaybeHookConfig, at);
    let mine = true;
    if (!state) {
      const programData = await checkUpgradeAuthority(
        r,
        "transferHook",
        W.address,
        plan.conflicts,
      );
      step(ctx, {
        program: "transferHook",
        action: "initialize",
        detail: `config ${at}, guardian ${ctx.guardian}`,
        instructions: [
          await TransferHook.getInitializeInstructionAsync({
            admin: W,
            programData,
            guardian: ctx.guardian,
          }),
        ],
      });
    } else {
      mine = roles(
        ctx,
        "transferHook",
        at,
        state,
        () =>
          TransferHook.getSetGuardianInstruction({ admin: W, config: at, guardian: ctx.guardian }),
        (to) => TransferHook.getProposeAdminInstruction({ admin: W, config: at, newAdmin: to }),
      );
    }
    for (const key of cfg.transferHook?.attestors ?? []) {
      const authority = o.resolve(key);
      const attestor = await pdas.transferHook.attestor(authority);
      const onChain = await read(r, TransferHook.fetchMaybeAttestor, attestor);
      if (onChain) {
        if (onChain.status !== TransferHook.AttestorStatus.Approved) {
          plan.notes.push(
            `transferHook: attestor ${authority} is suspended (reinstating is the admin's call)`,
          );
        }
      } else if (mine) {
        step(ctx, {
          program: "transferHook",
          action: "approve_attestor",
          detail: `attestor ${authority}`,
          instructions: [
            await TransferHook.getApproveAttestorInstructionAsync({
              admin: W,
              attestorAuthority: authority,
            }),
          ],
        });
      } else {
        plan.conflicts.push(`transferHook: attestor ${authority} not approved (not our admin)`);
      }
    }
  }
  return plan;
}

export function printPlan(plan: Plan, log: (line: string) => void = console.log): void {
  for (const n of plan.notes) log(`note: ${n}`);
  if (plan.steps.length === 0) log("plan: nothing to do (the cluster matches the config)");
  plan.steps.forEach((s, i) =>
    log(
      `${String(i + 1).padStart(3)}. ${s.program} ${s.action}: ${s.detail} (${s.instructions.length} ix)`,
    ),
  );
  for (const c of plan.conflicts) log(`conflict: ${c}`);
}

/** Sends each step as one transaction, in order; returns the signatures. */
export async function execute(
  plan: Plan,
  rpcUrl: string,
  wsUrl: string,
  payer: TransactionSigner,
  log: (line: string) => void = console.log,
): Promise<string[]> {
  const rpc = createSolanaRpc(rpcUrl);
  const rpcSubscriptions = createSolanaRpcSubscriptions(wsUrl);
  const send = sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions });
  const signatures: string[] = [];
  for (const s of plan.steps) {
    const { value: blockhash } = await rpc.getLatestBlockhash(CONFIRMED).send();
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(payer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
      (m) => appendTransactionMessageInstructions(s.instructions, m),
    );
    const tx = await signTransactionMessageWithSigners(message);
    await send(tx as Parameters<typeof send>[0], { commitment: "confirmed" });
    const sig = getSignatureFromTransaction(tx);
    signatures.push(sig);
    log(`done: ${s.program} ${s.action} (${sig})`);
  }
  return signatures;
}

// ---------------------------------------------------------------------------------------------
// Command line

/**
 * An RPC URL as it may be logged: scheme and host only (providers put API keys in the path, the
 * query or the user info), `/…` standing for anything after the host.
 */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    const more = (u.pathname !== "" && u.pathname !== "/") || u.search !== "" || u.username !== "";
    return `${u.protocol}//${u.host}${more ? "/…" : ""}`;
  } catch {
    return "(an unparsable URL)";
  }
}

/** The genesis hashes of the public clusters. */
export const GENESIS = {
  mainnet: "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d",
  devnet: "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG",
  testnet: "4uhcVJyU9pJkvQyS88uRDiswHXSCkY3zQawwpjk2NsNY",
} as const;

/**
 * Why the RPC (of genesis hash `genesis`) is not the cluster the run is for, or null when it is:
 * a devnet or mainnet run goes only to that cluster, a localnet run (which creates its own
 * reserve mint and binds value-anchor to it, for good) never to a public one. The config file
 * must be for the same cluster as `--cluster`.
 */
export function clusterMismatch(
  cluster: string,
  configCluster: string,
  genesis: string | null,
): string | null {
  if (configCluster !== cluster) {
    return `the config file is for ${configCluster}, the run for ${cluster} (--cluster)`;
  }
  if (genesis === null) return null;
  const publicCluster = Object.entries(GENESIS).find(([, hash]) => hash === genesis)?.[0];
  if (cluster === "localnet") {
    return publicCluster
      ? `the RPC is ${publicCluster} (genesis ${genesis}), not a localnet: set RWA_RPC_URL ` +
          "(or ANCHOR_PROVIDER_URL) to the local validator, or pass --cluster"
      : null;
  }
  const expected = GENESIS[cluster as keyof typeof GENESIS];
  if (!expected) return `unknown cluster ${cluster}`;
  return genesis === expected
    ? null
    : `the RPC's genesis ${genesis} is ${publicCluster ?? "not a public cluster"}, not ${cluster}`;
}

export function defaultWsUrl(rpcUrl: string): string {
  const u = new URL(rpcUrl);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  if (u.port) u.port = String(Number(u.port) + 1);
  return u.toString();
}

/** Addresses in the config: literal, `$WALLET`, or `$ENV:NAME`. */
export function resolver(wallet: Address): (value: string) => Address {
  return (value) => {
    if (value === "$WALLET") return wallet;
    if (value.startsWith("$ENV:")) {
      const name = value.slice(5);
      const v = process.env[name];
      if (!v) throw new Error(`the config needs ${name} in the environment`);
      return address(v);
    }
    return address(value);
  };
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dryRun = argv.includes("--dry-run");
  const cluster = arg("--cluster") || process.env.RWA_CLUSTER || "localnet";
  const configFile = arg("--config") ?? path.join(__dirname, "config", `${cluster}.json`);
  const cfg = loadConfig(configFile);
  const rpcUrl =
    process.env.RWA_RPC_URL ||
    process.env.ANCHOR_PROVIDER_URL ||
    (cluster === "localnet" && !dryRun ? "http://127.0.0.1:8899" : undefined);
  const walletFile =
    process.env.RWA_WALLET ||
    process.env.ANCHOR_WALLET ||
    path.join(os.homedir(), ".config", "solana", "id.json");

  let wallet: TransactionSigner;
  if (fs.existsSync(walletFile)) {
    const bytes = Uint8Array.from(JSON.parse(fs.readFileSync(walletFile, "utf8")) as number[]);
    wallet = await createKeyPairSignerFromBytes(bytes);
  } else if (dryRun) {
    // a plan needs only the wallet's address: ADMIN, or a stand-in
    wallet = createNoopSigner(
      process.env.ADMIN ? address(process.env.ADMIN) : (await generateKeyPairSigner()).address,
    );
    console.log(`note: no keypair at ${walletFile}; planning as ${wallet.address}`);
  } else {
    throw new Error(`no wallet keypair at ${walletFile} (set RWA_WALLET)`);
  }
  const env = (name: string) => (process.env[name] ? address(process.env[name]!) : undefined);
  console.log(
    `${cfg.cluster}: ${rpcUrl ? shownUrl(rpcUrl) : "offline"}, wallet ${wallet.address}${dryRun ? " (dry run)" : ""}`,
  );
  const rpc = rpcUrl ? createSolanaRpc(rpcUrl) : null;
  const genesis = rpc ? await rpc.getGenesisHash().send() : null;
  const mismatch = clusterMismatch(cluster, cfg.cluster, genesis);
  if (mismatch) throw new Error(`${mismatch}: nothing was sent`);
  const plan = await buildPlan(cfg, {
    rpc,
    wallet,
    resolve: resolver(wallet.address),
    admin: env("ADMIN"),
    pendingAdmin: env("PENDING_ADMIN") ?? null,
  });
  printPlan(plan);
  if (plan.conflicts.length > 0) {
    throw new Error(`${plan.conflicts.length} conflict(s): nothing was sent`);
  }
  if (dryRun || plan.steps.length === 0) return;
  await execute(plan, rpcUrl!, process.env.RWA_WS_URL || defaultWsUrl(rpcUrl!), wallet);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
