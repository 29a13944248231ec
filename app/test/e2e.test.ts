// End to end over RPC, against deployed programs (what `anchor test` runs against
// solana-test-validator, after `anchor deploy`): the deploy script initialises everything and
// a re-run plans nothing; then an issuer's pool is created and activated, the oracle fed, the
// pool priced, accepted and listed (by the deploy script again), units exchanged for anchor
// tokens and sold to the reserve, each amount checked against the TS valuation preview.
//
//   RWA_RPC_URL=http://127.0.0.1:8899 RWA_WALLET=~/.config/solana/id.json \
//     node --import tsx --test app/test/e2e.test.ts
//
// Without RWA_RPC_URL it reports itself skipped, with the reason. The wallet must be the
// programs' upgrade authority on a localnet (it creates the reserve stablecoin and mints it).
import {
  createKeyPairSignerFromBytes,
  createSolanaRpc,
  type Address,
  type Instruction,
  type KeyPairSigner,
  type Rpc,
  type SolanaRpcApi,
} from "@solana/kit";
import {
  fetchToken,
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstructionAsync,
  getMintToInstruction,
  TOKEN_PROGRAM_ADDRESS,
} from "@solana-program/token";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import {
  buildPlan,
  bpsToFixed,
  defaultWsUrl,
  execute,
  feedId,
  loadConfig,
  printPlan,
  resolver,
  type DeployConfig,
} from "../../migrations/deploy";
import {
  BuybackReserve,
  DcfPricer,
  exchangePreview,
  ExitCurve,
  Receivables,
  RwaOracle,
  sellToReservePreview,
  ValueAnchor,
  withPools,
} from "../src";
import * as pdas from "../src/pdas";

const RPC_URL = process.env.RWA_RPC_URL;
const SKIP = RPC_URL
  ? false
  : "RWA_RPC_URL is not set: the end-to-end suite needs a cluster with the programs deployed " +
    "(anchor test / solana-test-validator), so it is skipped";

const WALLET_FILE =
  process.env.RWA_WALLET ||
  process.env.ANCHOR_WALLET ||
  path.join(os.homedir(), ".config", "solana", "id.json");
const CONFIG = path.join(__dirname, "..", "..", "migrations", "config", "localnet.json");
const DAY = 86_400n;
/** Reads see what the suite's own (confirmed) transactions wrote. */
const CONFIRMED = { commitment: "confirmed" } as const;
const FACE = 1_000_000_000_000n;

interface World {
  rpc: Rpc<SolanaRpcApi>;
  wallet: KeyPairSigner;
  cfg: DeployConfig;
  send: (ixs: Instruction[], what: string) => Promise<void>;
}

async function world(): Promise<World> {
  const rpc = createSolanaRpc(RPC_URL!);
  const bytes = Uint8Array.from(JSON.parse(fs.readFileSync(WALLET_FILE, "utf8")) as number[]);
  const wallet = await createKeyPairSignerFromBytes(bytes);
  const cfg = loadConfig(CONFIG);
  const ws = process.env.RWA_WS_URL ?? defaultWsUrl(RPC_URL!);
  const send = async (ixs: Instruction[], what: string) => {
    await execute(
      {
        steps: [{ program: "receivables", action: what, detail: "", instructions: ixs }],
        conflicts: [],
        notes: [],
      },
      RPC_URL!,
      ws,
      wallet,
      () => {},
    );
  };
  return { rpc, wallet, cfg, send };
}

async function converge(w: World): Promise<number> {
  const options = { rpc: w.rpc, wallet: w.wallet, resolve: resolver(w.wallet.address) };
  const plan = await buildPlan(w.cfg, options);
  printPlan(plan, (l) => console.log(`  ${l}`));
  assert.deepEqual(plan.conflicts, []);
  await execute(
    plan,
    RPC_URL!,
    process.env.RWA_WS_URL ?? defaultWsUrl(RPC_URL!),
    w.wallet,
    () => {},
  );
  const again = await buildPlan(w.cfg, options);
  assert.deepEqual(
    again.steps.map((s) => `${s.program} ${s.action}`),
    [],
    "a re-run of the deploy script plans nothing",
  );
  return plan.steps.length;
}

async function now(rpc: Rpc<SolanaRpcApi>): Promise<bigint> {
  const slot = await rpc.getSlot(CONFIRMED).send();
  const t = await rpc.getBlockTime(slot).send();
  return BigInt(t ?? Math.floor(Date.now() / 1000));
}

async function balance(rpc: Rpc<SolanaRpcApi>, account: Address): Promise<bigint> {
  return (await fetchToken(rpc, account, CONFIRMED)).data.amount;
}

async function ata(
  w: World,
  mint: Address,
  tokenProgram: Address = TOKEN_PROGRAM_ADDRESS,
): Promise<Address> {
  const [account] = await findAssociatedTokenPda({
    owner: w.wallet.address,
    mint,
    tokenProgram,
  });
  await w.send(
    [
      await getCreateAssociatedTokenIdempotentInstructionAsync({
        payer: w.wallet,
        owner: w.wallet.address,
        mint,
        tokenProgram,
      }),
    ],
    "create ATA",
  );
  return account;
}

describe("end to end over RPC", () => {
  it(
    "deploys, initialises idempotently, and prices, exchanges and sells a pool",
    { skip: SKIP },
    async () => {
      const w = await world();
      const W = w.wallet;
      await converge(w);

      const vaConfig = await ValueAnchor.fetchAnchorConfig(
        w.rpc,
        await pdas.configPda("valueAnchor"),
        CONFIRMED,
      );
      const stableMint = vaConfig.data.reserveMint;

      // the wallet is issuer and servicer of a new pool
      const issuerPda = await pdas.receivables.issuer(W.address);
      const servicerPda = await pdas.receivables.servicer(W.address);
      const setup: Instruction[] = [];
      if (!(await Receivables.fetchMaybeIssuer(w.rpc, issuerPda, CONFIRMED)).exists) {
        setup.push(
          await Receivables.getApproveIssuerInstructionAsync({
            admin: W,
            issuerAuthority: W.address,
            params: { maxPools: 1_000, maxFaceValue: 1_000n * FACE },
          }),
        );
      }
      if (!(await Receivables.fetchMaybeServicer(w.rpc, servicerPda, CONFIRMED)).exists) {
        setup.push(
          await Receivables.getApproveServicerInstructionAsync({
            admin: W,
            servicerAuthority: W.address,
          }),
        );
      }
      if (setup.length > 0) await w.send(setup, "approve issuer and servicer");
      const issuer = await Receivables.fetchIssuer(w.rpc, issuerPda, CONFIRMED);
      const index = issuer.data.poolsCreated;
      const pool = await pdas.receivables.pool(W.address, index);
      const t0 = await now(w.rpc);
      const schedule = Array.from({ length: 12 }, (_, i) => ({
        dueTs: t0 + 30n * DAY * BigInt(i + 1),
        amount: FACE / 12n + (i === 11 ? (FACE % 12n) + 50_000_000_000n : 0n),
      }));
      await w.send(
        [
          await Receivables.getCreatePoolInstructionAsync({
            issuerAuthority: W,
            pool,
            servicer: servicerPda,
            currencyMint: stableMint,
            currencyTokenProgram: TOKEN_PROGRAM_ADDRESS,
            unitTokenProgram: TOKEN_PROGRAM_ADDRESS,
            assetClass: Receivables.AssetClass.TradeReceivable,
            grade: 1,
            faceValue: FACE,
            unitSize: 1n,
            docHash: new Uint8Array(32).fill(7),
            uri: "https://issuer.example/pools/e2e/bundle.json",
            schedule,
            // classic SPL Token units: no metadata, open
            name: "",
            symbol: "",
            unitAccess: Receivables.UnitAccess.Open,
          }),
        ],
        "create_pool",
      );
      const unitMint = await pdas.receivables.unitMint(pool);
      const units = await ata(w, unitMint);
      await w.send(
        [
          await Receivables.getActivatePoolInstructionAsync({
            issuerAuthority: W,
            pool,
            unitMint,
            destination: units,
            unitTokenProgram: TOKEN_PROGRAM_ADDRESS,
          }),
        ],
        "activate_pool",
      );
      assert.equal(await balance(w.rpc, units), FACE, "every unit minted to the issuer");

      // the oracle: the localnet config makes the wallet the single-source publisher
      const inputs: [string, number][] = [
        ["USD-SOFR-1M", 450],
        ["SPREAD-B", 350],
        ["PD-B", 300],
        ["LGD-B", 4_500],
      ];
      const publishTs = await now(w.rpc);
      const submits = await Promise.all(
        inputs.map(async ([id, bps]) =>
          RwaOracle.getSubmitObservationInstructionAsync({
            publisher: W,
            feed: await pdas.rwaOracle.feed(feedId(id)),
            value: bpsToFixed(bps),
            confidence: bpsToFixed(bps) / 10_000n,
            publishTs,
          }),
        ),
      );
      await w.send(submits, "submit_observation x4");

      // pricing, acceptance and listing are configuration: the deploy script adds them
      w.cfg.pricer.pools.push({
        pool,
        benchmark: "USD-SOFR-1M",
        maxInputAgeSecs: 600,
        maxRiseBps: 100,
        riseIntervalSecs: 3_600,
      });
      w.cfg.valueAnchor.pools.push({
        pool,
        haircutBps: 300,
        ceiling: FACE.toString(),
        capacity: (FACE / 5n).toString(),
        capacityWindowSecs: 86_400,
        intakeOpen: true,
      });
      w.cfg.reserve.pools.push({ pool, cap: (FACE / 5n).toString() });
      assert.equal(await converge(w), 3, "create_pool_pricing, accept_pool, list_pool");

      const poolPricing = await pdas.dcfPricer.poolPricing(pool);
      const gradeRisk = await pdas.rwaOracle.grade(1);
      const feeds = await Promise.all(inputs.map(([id]) => pdas.rwaOracle.feed(feedId(id))));
      const refresh = await DcfPricer.getRefreshRateInstructionAsync({
        pool,
        vault: await pdas.receivables.vault(pool),
        unitMint,
        benchmarkFeed: feeds[0],
        gradeRisk,
        spreadFeed: feeds[1],
        pdFeed: feeds[2],
        lgdFeed: feeds[3],
      });

      // exchange a tenth of face value for anchor tokens
      const backing = await ValueAnchor.fetchBacking(
        w.rpc,
        await pdas.valueAnchor.backing(),
        CONFIRMED,
      );
      const accepted = backing.data.entries.slice(0, backing.data.poolCount).map((e) => e.pool);
      const anchorMint = await pdas.valueAnchor.anchorMint();
      // the anchor token lives under the program value-anchor's config names (Token-2022)
      const anchorTokenProgram = vaConfig.data.anchorTokenProgram;
      const holderAnchor = await ata(w, anchorMint, anchorTokenProgram);
      const exchanged = FACE / 10n;
      const anchorBefore = await balance(w.rpc, holderAnchor);
      const exchange = await ValueAnchor.getExchangeInstructionAsync({
        holder: W,
        acceptedPool: await pdas.valueAnchor.acceptedPool(pool),
        pricing: poolPricing,
        pool,
        unitMint,
        holderUnits: units,
        collateral: await pdas.valueAnchor.collateral(pool),
        anchorMint,
        holderAnchor,
        stableReserve: await pdas.valueAnchor.stableReserve(),
        unitTokenProgram: TOKEN_PROGRAM_ADDRESS,
        anchorTokenProgram,
        units: exchanged,
        minOut: 1n,
      });
      await w.send([refresh, withPools(exchange, accepted)], "refresh_rate + exchange");
      const pricing = await DcfPricer.fetchPoolPricing(w.rpc, poolPricing, CONFIRMED);
      const minted = (await balance(w.rpc, holderAnchor)) - anchorBefore;
      const preview = exchangePreview(exchanged, pricing.data.rate.unitPrice, 300);
      assert.equal(minted, preview.out, "minted what the TS preview says");

      // capital for the reserve, then a sale to it
      const stable = await ata(w, stableMint);
      const deposit = 10n * (FACE / 100n);
      await w.send(
        [
          getMintToInstruction({
            mint: stableMint,
            token: stable,
            mintAuthority: W,
            amount: deposit,
          }),
        ],
        "mint stable",
      );
      const bookAddress = await pdas.buybackReserve.book();
      const book = await BuybackReserve.fetchReserveBook(w.rpc, bookAddress, CONFIRMED);
      const listed = book.data.holdings.slice(0, book.data.holdingCount).map((h) => h.pool);
      const depositIx = await BuybackReserve.getDepositInstructionAsync({
        depositor: W,
        position: await pdas.buybackReserve.position(pdas.PositionKind.Deposit, W.address),
        depositorStable: stable,
        stableMint,
        stableVault: await pdas.buybackReserve.stableVault(),
        amount: deposit,
        minShares: 0n,
      });
      await w.send([refresh, withPools(depositIx, [...listed, ...accepted])], "deposit");

      const config = await BuybackReserve.fetchReserveConfig(
        w.rpc,
        await pdas.configPda("buybackReserve"),
        CONFIRMED,
      );
      const before = await BuybackReserve.fetchReserveBook(w.rpc, bookAddress, CONFIRMED);
      const sold = FACE / 1_000n;
      const stableBefore = await balance(w.rpc, stable);
      const sell = await BuybackReserve.getSellToReserveInstructionAsync({
        seller: W,
        sellerUnits: units,
        sellerStable: stable,
        pool,
        pricing: poolPricing,
        unitMint,
        unitsVault: await pdas.buybackReserve.unitsVault(pool),
        stableMint,
        stableVault: await pdas.buybackReserve.stableVault(),
        insuranceVault: await pdas.buybackReserve.insuranceVault(),
        unitTokenProgram: TOKEN_PROGRAM_ADDRESS,
        units: sold,
        minOut: 1n,
      });
      await w.send([refresh, sell], "refresh_rate + sell_to_reserve");
      const paid = (await balance(w.rpc, stable)) - stableBefore;
      const p = config.data.params;
      const price = (await DcfPricer.fetchPoolPricing(w.rpc, poolPricing, CONFIRMED)).data.rate
        .unitPrice;
      const curve = ExitCurve.fromBps(p.minDiscountBps[1], p.maxDiscountBps, p.curveExponent);
      const after = await BuybackReserve.fetchReserveBook(w.rpc, bookAddress, CONFIRMED);
      // the sale's epoch usage starts from the book's (rolled) usage before it
      const used =
        after.data.saleUsed - sellToReservePreview(sold, price, curve, p.saleBudget, 0n).value;
      assert.ok(used === before.data.saleUsed || used === 0n, "same epoch or a new one");
      const sale = sellToReservePreview(sold, price, curve, p.saleBudget, used);
      assert.equal(paid, sale.paid, "paid what the TS preview says");
    },
  );
});
