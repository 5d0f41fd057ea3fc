// Fails when clients/typescript/src/schema.d.ts is not what openapi-typescript generates from
// clients/typescript/openapi.json (itself checked against /openapi.json by
// test/system/openapi-document.test.ts). Fix: npm run client:generate.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "tuma-client-"));
try {
  const fresh = join(dir, "schema.d.ts");
  execFileSync("openapi-typescript", ["clients/typescript/openapi.json", "-o", fresh], { stdio: ["ignore", "ignore", "inherit"] });
  if (readFileSync(fresh, "utf8") !== readFileSync("clients/typescript/src/schema.d.ts", "utf8")) {
    console.error("clients/typescript/src/schema.d.ts is stale: run `npm run client:generate`");
    process.exit(1);
  }
  console.log("client: clients/typescript/src/schema.d.ts matches clients/typescript/openapi.json");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
