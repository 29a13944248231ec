// Initialises every program's config after `anchor deploy` (or inside `anchor test`), and on
// every later run verifies who holds the admin role of each config.
//
//   anchor migrate                      # Anchor calls the exported function with its provider
//   npx ts-node migrations/deploy.ts    # standalone: ANCHOR_PROVIDER_URL and ANCHOR_WALLET
//
// `initialize` only accepts the program's upgrade authority (checked on chain against the
// program's ProgramData account), so the wallet must be the key that deployed the programs;
// it becomes `admin` of every program.
//
// Environment:
//   GUARDIAN       pause key (default: the wallet; use a separate hot key in production)
//   RESERVE_MINT   the 6-decimal reserve stablecoin; on localnet one is created when unset
//   ADMIN          who must hold `admin` of every config (default: the wallet); set it to the
//                  governance timelock once it has accepted the role
//   PENDING_ADMIN  the governance timelock to hand `admin` to: proposed (propose_admin) on
//                  every config the wallet administers, then the timelock calls accept_admin
//                  (see README, "Deploying"); unset, no handover may be pending
//
// An existing config is never skipped silently: its admin and pending admin are checked against
// ADMIN and PENDING_ADMIN, and any difference stops the script with the program's name.
import * as anchor from "@anchor-lang/core";
import { createMint, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { PublicKey } from "@solana/web3.js";
import * as fs from "fs";
import * as path from "path";

const IDL_DIR = path.resolve(__dirname, "..", "target", "idl");
const BPF_LOADER_UPGRADEABLE_ID = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");
/** `UpgradeableLoaderState::ProgramData`: tag 3 (u32 LE), slot (u64), Option<Pubkey>. */
const PROGRAM_DATA_TAG = 3;
const PROGRAM_DATA_HEADER_LEN = 45;

function program(provider: anchor.AnchorProvider, name: string): anchor.Program {
  const idl = JSON.parse(fs.readFileSync(path.join(IDL_DIR, `${name}.json`), "utf8"));
  return new anchor.Program(idl, provider);
}

function pda(programId: PublicKey, seed: string): PublicKey {
  return PublicKey.findProgramAddressSync([Buffer.from(seed)], programId)[0];
}

/** The program's ProgramData account, as `initialize` derives it on chain. */
function programDataAddress(programId: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([programId.toBuffer()], BPF_LOADER_UPGRADEABLE_ID)[0];
}

function envKey(name: string): PublicKey | undefined {
  const value = process.env[name];
  return value ? new PublicKey(value) : undefined;
}

/** Who must hold the admin role of every existing config, and who may be offered it. */
interface Expected {
  admin: PublicKey;
  /** `null`: no handover may be pending. */
  pendingAdmin: PublicKey | null;
}

/** Fails unless the wallet is the upgrade authority recorded in the program's ProgramData. */
async function requireUpgradeAuthority(
  provider: anchor.AnchorProvider,
  name: string,
  programId: PublicKey,
): Promise<PublicKey> {
  const address = programDataAddress(programId);
  const info = await provider.connection.getAccountInfo(address);
  if (
    !info ||
    !info.owner.equals(BPF_LOADER_UPGRADEABLE_ID) ||
    info.data.length < PROGRAM_DATA_HEADER_LEN ||
    info.data.readUInt32LE(0) !== PROGRAM_DATA_TAG
  ) {
    throw new Error(
      `${name}: no ProgramData account at ${address.toBase58()}; deploy ${programId.toBase58()} ` +
        "with the upgradeable loader (anchor deploy) before initialising it",
    );
  }
  if (info.data[12] === 0) {
    throw new Error(`${name}: program ${programId.toBase58()} is immutable; it cannot be initialised`);
  }
  const authority = new PublicKey(info.data.subarray(13, PROGRAM_DATA_HEADER_LEN));
  if (!authority.equals(provider.wallet.publicKey)) {
    throw new Error(
      `${name}: the wallet ${provider.wallet.publicKey.toBase58()} is not the upgrade authority ` +
        `${authority.toBase58()} of ${programId.toBase58()}; only the upgrade authority may ` +
        "initialise (run with its keypair as ANCHOR_WALLET)",
    );
  }
  return address;
}

/** Decodes a config account's admin and pending admin, checking that `prog` owns it. */
async function readRoles(
  provider: anchor.AnchorProvider,
  prog: anchor.Program,
  config: PublicKey,
): Promise<{ admin: PublicKey; pendingAdmin: PublicKey } | null> {
  const info = await provider.connection.getAccountInfo(config);
  if (!info) {
    return null;
  }
  const name = prog.idl.metadata.name;
  if (!info.owner.equals(prog.programId)) {
    throw new Error(`${name}: ${config.toBase58()} is owned by ${info.owner.toBase58()}, not the program`);
  }
  // The config's type, found by its 8-byte discriminator (which also proves it is a config).
  const type = prog.idl.accounts?.find((a) =>
    Buffer.from(a.discriminator).equals(info.data.subarray(0, 8)),
  );
  if (!type) {
    throw new Error(`${name}: ${config.toBase58()} is not an account of the program's IDL`);
  }
  const decoded = prog.coder.accounts.decode<{ admin: PublicKey; pendingAdmin: PublicKey }>(
    type.name,
    info.data,
  );
  return { admin: decoded.admin, pendingAdmin: decoded.pendingAdmin };
}

/**
 * Sends `initialize` (as the upgrade authority) unless the config PDA exists, then checks the
 * config's admin and pending admin against `expected`, proposing `expected.pendingAdmin` where
 * the wallet is still admin and nothing is pending. Throws, naming the program, on any
 * difference.
 */
async function initAndVerify(
  provider: anchor.AnchorProvider,
  prog: anchor.Program,
  params: Record<string, unknown>,
  accounts: Record<string, PublicKey>,
  expected: Expected,
): Promise<void> {
  const name = prog.idl.metadata.name;
  const wallet = provider.wallet.publicKey;
  const config = pda(prog.programId, "config");
  let roles = await readRoles(provider, prog, config);
  if (!roles) {
    if (!expected.admin.equals(wallet)) {
      throw new Error(
        `${name}: no config yet, and initialize makes the wallet ${wallet.toBase58()} admin, ` +
          `not ADMIN=${expected.admin.toBase58()}; initialise with ADMIN unset, then hand over`,
      );
    }
    const programData = await requireUpgradeAuthority(provider, name, prog.programId);
    const sig = await prog.methods
      .initialize(params)
      .accountsPartial({ admin: wallet, programData, config, ...accounts })
      .rpc();
    console.log(`${name}: config ${config.toBase58()} initialised (${sig})`);
    roles = await readRoles(provider, prog, config);
    if (!roles) {
      throw new Error(`${name}: config ${config.toBase58()} missing after initialize`);
    }
  }

  if (!roles.admin.equals(expected.admin)) {
    throw new Error(
      `${name}: config ${config.toBase58()} has admin ${roles.admin.toBase58()}, expected ` +
        `${expected.admin.toBase58()} (set ADMIN to the key that should hold the role)`,
    );
  }
  const nonePending = roles.pendingAdmin.equals(PublicKey.default);
  const wanted = expected.pendingAdmin;
  if (wanted && nonePending && roles.admin.equals(wallet)) {
    const sig = await prog.methods
      .proposeAdmin(wanted)
      .accountsPartial({ admin: wallet, config })
      .rpc();
    console.log(`${name}: admin offered to ${wanted.toBase58()}, awaiting accept_admin (${sig})`);
  } else if (wanted ? !roles.pendingAdmin.equals(wanted) : !nonePending) {
    throw new Error(
      `${name}: config ${config.toBase58()} has pending admin ${roles.pendingAdmin.toBase58()}, ` +
        `expected ${wanted ? wanted.toBase58() : "none"} (set PENDING_ADMIN, or withdraw the ` +
        "offer with propose_admin(default pubkey))",
    );
  } else {
    const pending = nonePending ? "none pending" : `pending ${roles.pendingAdmin.toBase58()}`;
    console.log(`${name}: config ${config.toBase58()} admin ${roles.admin.toBase58()}, ${pending}`);
  }
}

async function reserveMint(provider: anchor.AnchorProvider): Promise<PublicKey> {
  if (process.env.RESERVE_MINT) {
    return new PublicKey(process.env.RESERVE_MINT);
  }
  const endpoint = provider.connection.rpcEndpoint;
  if (!endpoint.includes("127.0.0.1") && !endpoint.includes("localhost")) {
    throw new Error("RESERVE_MINT must be set outside localnet");
  }
  const payer = (provider.wallet as anchor.Wallet).payer;
  const mint = await createMint(provider.connection, payer, payer.publicKey, null, 6);
  console.log(`created localnet reserve mint ${mint.toBase58()}`);
  return mint;
}

export default async function deploy(provider: anchor.AnchorProvider): Promise<void> {
  anchor.setProvider(provider);
  const guardian = envKey("GUARDIAN") ?? provider.wallet.publicKey;
  const expected: Expected = {
    admin: envKey("ADMIN") ?? provider.wallet.publicKey,
    pendingAdmin: envKey("PENDING_ADMIN") ?? null,
  };

  await initAndVerify(provider, program(provider, "rwa_oracle"), {
    guardian,
    maxStalenessSecs: 600,
    minPublishers: 3,
  }, {}, expected);
  await initAndVerify(provider, program(provider, "receivables"), { guardian }, {}, expected);
  await initAndVerify(
    provider,
    program(provider, "dcf_pricer"),
    { guardian, maxRateAgeSecs: 900 },
    {},
    expected,
  );

  // Only a first initialise binds the reserve mint (and, on localnet, creates one).
  const anchorToken = program(provider, "value_anchor");
  const reserveProgram = program(provider, "buyback_reserve");
  const configExists = async (prog: anchor.Program) =>
    (await provider.connection.getAccountInfo(pda(prog.programId, "config"))) !== null;
  const reserve =
    (await configExists(anchorToken)) && (await configExists(reserveProgram))
      ? undefined
      : await reserveMint(provider);

  // PSM fees 5 bps each side, 1% overcollateral, backing entries and prices 15 minutes fresh;
  // no pool is taken in until the admin accepts one (and sets its ceiling), and the global
  // ceiling starts at 10,000,000.000000 of the reserve stablecoin.
  await initAndVerify(provider, anchorToken, {
    guardian,
    params: {
      feeInBps: 5,
      feeOutBps: 5,
      overcollateralBps: 100,
      maxEntryAgeSecs: 900,
      maxPriceAgeSecs: 900,
      globalCeiling: new anchor.BN("10000000000000"),
    },
  }, {
    ...(reserve ? { reserveMint: reserve } : {}),
    anchorMint: pda(anchorToken.programId, "anchor_mint"),
    stableReserve: pda(anchorToken.programId, "stable_reserve"),
    backing: pda(anchorToken.programId, "backing"),
    tokenProgram: TOKEN_PROGRAM_ID,
  }, expected);

  await initAndVerify(provider, reserveProgram, {
    guardian,
    minDiscountBps: 50,
    maxDiscountBps: 1_500,
  }, {
    ...(reserve ? { stableMint: reserve } : {}),
    stableVault: pda(reserveProgram.programId, "stable_vault"),
    tokenProgram: TOKEN_PROGRAM_ID,
  }, expected);
}

// `anchor migrate` imports the default export; run directly, use the environment's provider.
if (require.main === module) {
  deploy(anchor.AnchorProvider.env()).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
module.exports = deploy;
