// Source rules a layer check cannot see.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
const sources = walk("src")
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ f, text: readFileSync(f, "utf8") }));
const errors = [];

// Size: a file in src/ has at most 300 lines (one concept).
const LIMIT = 300;
for (const { f, text } of sources) {
  const lines = text.split("\n").length - 1;
  if (lines > LIMIT) errors.push(`${f}: ${lines} lines (at most ${LIMIT})`);
}

// Money: every SQL statement on the money tables is built in the money store, and only there
// (DESIGN.md "Money"). The tables named after an SQL keyword (or ledger_entries, anywhere) count.
const MONEY_STORE = "src/stores/money/";
const MONEY_TABLES = ["ledger_entries", "holds", "wallets", "deposits"];
const MONEY_SQL = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE)\\s+(${MONEY_TABLES.join("|")})\\b|\\b(ledger_entries)\\b`, "g");
const inStore = new Set();
for (const { f, text } of sources) {
  for (const match of text.matchAll(MONEY_SQL)) {
    const table = match[1] ?? match[2];
    if (f.split("\\").join("/").startsWith(MONEY_STORE)) inStore.add(table);
    else errors.push(`${f}:${text.slice(0, match.index).split("\n").length}: SQL on ${table} outside ${MONEY_STORE} ("${match[0]}")`);
  }
}
// The rule must have seen the store write to each table, or it would pass by finding nothing.
for (const table of MONEY_TABLES) {
  if (!inStore.has(table)) errors.push(`${MONEY_STORE}: no SQL on ${table} found: the money rule looks in the wrong place`);
}

for (const e of errors) console.error(e);
if (errors.length > 0) process.exit(1);
console.log(`file size: every source file in src/ has at most ${LIMIT} lines`);
console.log(`money: SQL on ${MONEY_TABLES.join(", ")} only in ${MONEY_STORE} (found there on each)`);
