// The deploy script's offline guards: what it refuses before planning or sending anything.
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { clusterMismatch, GENESIS, hexBytes, shownUrl } from "../../migrations/deploy";

describe("deploy script guards", () => {
  it("runs only against the cluster it is configured for", () => {
    assert.equal(clusterMismatch("devnet", "devnet", GENESIS.devnet), null);
    assert.equal(clusterMismatch("mainnet", "mainnet", GENESIS.mainnet), null);
    assert.equal(clusterMismatch("localnet", "localnet", "SomeLocalGenesis111111111111111"), null);
    // offline (a dry run without an RPC): nothing to compare
    assert.equal(clusterMismatch("localnet", "localnet", null), null);
    // a localnet config (it creates its own reserve mint) never goes to a public cluster
    assert.match(clusterMismatch("localnet", "localnet", GENESIS.mainnet)!, /mainnet/);
    assert.match(clusterMismatch("localnet", "localnet", GENESIS.devnet)!, /devnet/);
    // a devnet run against mainnet's RPC, or a local validator, is refused
    assert.match(clusterMismatch("devnet", "devnet", GENESIS.mainnet)!, /not devnet/);
    assert.match(clusterMismatch("mainnet", "mainnet", "Local111")!, /not mainnet/);
    // the config file must be the cluster's
    assert.match(clusterMismatch("mainnet", "localnet", GENESIS.mainnet)!, /config file/);
  });

  it("refuses a Pyth feed id that is not 32 bytes of hex (feed params have no setter)", () => {
    const id = "ef0d8b6fda2ceba41da15d4095d1da392a0d2f8ed0c6c7bc0f4cfac8c280b56d";
    assert.equal(hexBytes(id, 32)[0], 0xef);
    assert.deepEqual(hexBytes(`0x${id}`, 32), hexBytes(id, 32));
    assert.deepEqual(hexBytes(undefined, 32), new Uint8Array(32));
    assert.throws(() => hexBytes(id.slice(1), 32), /hex/); // odd length
    assert.throws(() => hexBytes(id.slice(2), 32), /hex/); // 31 bytes
    assert.throws(() => hexBytes(`${id.slice(2)}zz`, 32), /hex/); // not hex
  });

  it("never logs an RPC URL's key", () => {
    assert.equal(shownUrl("http://127.0.0.1:8899"), "http://127.0.0.1:8899");
    assert.equal(
      shownUrl("https://mainnet.helius-rpc.com/?api-key=SECRET"),
      "https://mainnet.helius-rpc.com/…",
    );
    assert.equal(shownUrl("https://x.quiknode.pro/SECRET/"), "https://x.quiknode.pro/…");
    assert.ok(!shownUrl("https://user:SECRET@rpc.example.com").includes("SECRET"));
  });
});
