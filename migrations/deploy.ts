// Initialises every program's config after `anchor deploy` (or inside `anchor test`).
//
//   anchor migrate                      # Anchor calls the exported function with its provider
//   npx ts-node migrations/deploy.ts    # standalone: ANCHOR_PROVIDER_URL and ANCHOR_WALLET
//
// Environment:
//   GUARDIAN      pause key (default: the wallet; use a separate hot key in production)
//   RESERVE_MINT  the 6-decimal reserve stablecoin; on localnet one is created when unset
//
// The wallet becomes `admin` of every program. In production, hand admin to the governance
// timelock right after this script (see README, "Deploying").
import * as anchor from "@anchor-lang/core";
import { createMint, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { PublicKey } from "@solana/web3.js";
import * as fs from "fs";
import * as path from "path";

const IDL_DIR = path.resolve(__dirname, "..", "target", "idl");

function program(provider: anchor.AnchorProvider, name: string): anchor.Program {
  const idl = JSON.parse(fs.readFileSync(path.join(IDL_DIR, `${name}.json`), "utf8"));
  return new anchor.Program(idl, provider);
}

function pda(programId: PublicKey, seed: string): PublicKey {
  return PublicKey.findProgramAddressSync([Buffer.from(seed)], programId)[0];
}

/** Sends `initialize` unless the config PDA already exists (the script is idempotent). */
async function initOnce(
  provider: anchor.AnchorProvider,
  prog: anchor.Program,
  params: Record<string, unknown>,
  accounts: Record<string, PublicKey>,
): Promise<void> {
  const config = pda(prog.programId, "config");
  if (await provider.connection.getAccountInfo(config)) {
    console.log(`${prog.idl.metadata.name}: config ${config.toBase58()} exists, skipped`);
    return;
  }
  const sig = await prog.methods
    .initialize(params)
    .accountsPartial({ admin: provider.wallet.publicKey, config, ...accounts })
    .rpc();
  console.log(`${prog.idl.metadata.name}: config ${config.toBase58()} (${sig})`);
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
  const guardian = new PublicKey(process.env.GUARDIAN ?? provider.wallet.publicKey.toBase58());
  const reserve = await reserveMint(provider);

  await initOnce(provider, program(provider, "rwa_oracle"), {
    guardian,
    maxStalenessSecs: 600,
    minPublishers: 3,
  }, {});
  await initOnce(provider, program(provider, "receivables"), { guardian }, {});
  await initOnce(provider, program(provider, "dcf_pricer"), { guardian, maxRateAgeSecs: 900 }, {});

  const anchorToken = program(provider, "value_anchor");
  await initOnce(provider, anchorToken, { guardian, redeemFeeBps: 10 }, {
    reserveMint: reserve,
    anchorMint: pda(anchorToken.programId, "anchor_mint"),
    tokenProgram: TOKEN_PROGRAM_ID,
  });

  const reserveProgram = program(provider, "buyback_reserve");
  await initOnce(provider, reserveProgram, {
    guardian,
    minDiscountBps: 50,
    maxDiscountBps: 1_500,
  }, {
    stableMint: reserve,
    stableVault: pda(reserveProgram.programId, "stable_vault"),
    tokenProgram: TOKEN_PROGRAM_ID,
  });
}

// `anchor migrate` imports the default export; run directly, use the environment's provider.
if (require.main === module) {
  deploy(anchor.AnchorProvider.env()).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
module.exports = deploy;
