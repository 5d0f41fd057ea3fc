// Source rules a layer check cannot see. Size: a file in src/ has at most 300 lines (one concept).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const LIMIT = 300;
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
const tooLong = walk("src")
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ f, lines: readFileSync(f, "utf8").split("\n").length - 1 }))
  .filter(({ lines }) => lines > LIMIT);
for (const { f, lines } of tooLong) console.error(`${f}: ${lines} lines (at most ${LIMIT})`);
if (tooLong.length > 0) process.exit(1);
console.log(`file size: every source file in src/ has at most ${LIMIT} lines`);
