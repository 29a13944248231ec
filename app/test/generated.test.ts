// The checked-in generated client is what Codama renders from the checked-in IDLs (which
// `cargo run -p rwa-idl -- --check` proves current against the programs' sources).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { it } from "node:test";
import { ROOT } from "./idl";

it("app/src/generated is current with idl/*.json (else: npm run generate)", () => {
  const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
  const run = spawnSync(tsx, [path.join(ROOT, "app", "scripts", "generate.ts"), "--check"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
});
