// Source rules a layer check cannot see.
// - Size: a file in src/ has at most 300 lines (one concept).
// - No SQL in the core folders whose statements live in a store (DESIGN.md, "stores").
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const LIMIT = 300;
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
const sources = walk("src")
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ f, text: readFileSync(f, "utf8") }));
let failed = false;

const tooLong = sources.map(({ f, text }) => ({ f, lines: text.split("\n").length - 1 })).filter(({ lines }) => lines > LIMIT);
for (const { f, lines } of tooLong) console.error(`${f}: ${lines} lines (at most ${LIMIT})`);
if (tooLong.length > 0) failed = true;
else console.log(`file size: every source file in src/ has at most ${LIMIT} lines`);

const STORE_BACKED = ["src/core/accounts/", "src/core/credentials/"];
const withSql = sources.filter(({ f, text }) => STORE_BACKED.some((dir) => f.startsWith(dir)) && text.includes(".prepare("));
for (const { f } of withSql) console.error(`${f}: prepares SQL; its statements belong in src/stores/`);
if (withSql.length > 0) failed = true;
else console.log(`no SQL in ${STORE_BACKED.join(", ")}: their statements live in src/stores/`);

if (failed) process.exit(1);
