// Source rules a layer check cannot see. Each rule adds its problems; any problem fails the check.
// - size: a file in src/ has at most 300 lines (one concept);
// - stores: no SQL in the core folders whose statements live in a store (DESIGN.md, "Stores");
// - money: every statement on the money tables is built in the money store, and only there;
// - core knows no dialect and no provider: no file in src/core/ names a dialect in its code (its
//   comments may say where a rule comes from) nor holds a Meta error code, comments included
//   (the WhatsApp adapter maps those codes to fault kinds: src/upstreams/whatsapp/meta-errors.ts).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
const sources = walk("src")
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ f: f.split("\\").join("/"), text: readFileSync(f, "utf8") }));
const problems = [];
const passed = [];
const lineOf = (text, index) => text.slice(0, index).split("\n").length;

/** The text with its comments blanked (line breaks kept); strings stay, so a name in a string counts. */
function withoutComments(text) {
  let out = "";
  for (let i = 0; i < text.length; ) {
    const two = text.slice(i, i + 2);
    if (two === "//" || two === "/*") {
      const end = two === "//" ? text.indexOf("\n", i) : text.indexOf("*/", i + 2) + 2;
      const stop = end < (two === "//" ? 0 : 2) ? text.length : end;
      out += text.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
    } else if (`"'\``.includes(text[i])) {
      let j = i + 1;
      while (j < text.length && text[j] !== text[i]) j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += text[i++];
    }
  }
  return out;
}

function rule(description, check) {
  const before = problems.length;
  check();
  if (problems.length === before) passed.push(description);
}

const LIMIT = 300;
rule(`every file in src/ has at most ${LIMIT} lines`, () => {
  for (const { f, text } of sources) {
    const lines = text.split("\n").length - 1;
    if (lines > LIMIT) problems.push(`${f}: ${lines} lines (at most ${LIMIT})`);
  }
});

const STORE_BACKED = ["src/core/accounts/", "src/core/credentials/"];
rule(`no SQL in ${STORE_BACKED.join(", ")}: their statements live in src/stores/`, () => {
  for (const { f, text } of sources) {
    if (STORE_BACKED.some((dir) => f.startsWith(dir)) && text.includes(".prepare(")) problems.push(`${f}: prepares SQL; its statements belong in src/stores/`);
  }
});

// The tables named after an SQL keyword (or ledger_entries, anywhere) count.
const MONEY_STORE = "src/stores/money/";
const MONEY_TABLES = ["ledger_entries", "holds", "wallets", "deposits"];
const MONEY_SQL = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE)\\s+(${MONEY_TABLES.join("|")})\\b|\\b(ledger_entries)\\b`, "g");
rule(`SQL on ${MONEY_TABLES.join(", ")} only in ${MONEY_STORE} (found there on each)`, () => {
  const inStore = new Set();
  for (const { f, text } of sources) {
    for (const match of text.matchAll(MONEY_SQL)) {
      const table = match[1] ?? match[2];
      if (f.startsWith(MONEY_STORE)) inStore.add(table);
      else problems.push(`${f}:${lineOf(text, match.index)}: SQL on ${table} outside ${MONEY_STORE} ("${match[0]}")`);
    }
  }
  // The rule must have seen the store write to each table, or it would pass by finding nothing.
  for (const table of MONEY_TABLES) {
    if (!inStore.has(table)) problems.push(`${MONEY_STORE}: no SQL on ${table} found: the money rule looks in the wrong place`);
  }
});

const DIALECT_NAME = /\b(tokabola|engagelab|vonage|lam)\b/i;
/** Meta's WhatsApp error codes (13xxxx) and its rate-limit code 80007. */
const META_CODE = /\b(13[0-6]\d{3}|80007)\b/;
rule("src/core/ names no dialect and holds no Meta code", () => {
  for (const { f, text } of sources) {
    if (!f.startsWith("src/core/")) continue;
    const code = withoutComments(text).split("\n");
    text.split("\n").forEach((line, n) => {
      const dialect = DIALECT_NAME.exec(code[n]);
      if (dialect) problems.push(`${f}:${n + 1}: core names the dialect "${dialect[1]}" (register what it needs from the dialect instead)`);
      const meta = META_CODE.exec(line);
      if (meta) problems.push(`${f}:${n + 1}: core holds Meta's code ${meta[1]} (map it to a fault kind in src/upstreams/whatsapp/)`);
    });
  }
});

// Cloudflare's Rate Limiting binding does not tell the code its period, so src/core/limits/rate-limits.ts
// repeats each binding's period for Retry-After: the two must agree.
rule("every rate limit's Retry-After period matches its [[ratelimits]] binding in wrangler.toml", () => {
  const toml = readFileSync("wrangler.toml", "utf8");
  const declared = new Map([...toml.matchAll(/\[\[ratelimits\]\][^[]*?name\s*=\s*"(\w+)"[^[]*?period\s*=\s*(\d+)/g)].map((m) => [m[1], Number(m[2])]));
  const table = sources.find(({ f }) => f === "src/core/limits/rate-limits.ts")?.text ?? "";
  const coded = [...table.matchAll(/binding:\s*"(\w+)",\s*periodSeconds:\s*(\d+)/g)].map((m) => [m[1], Number(m[2])]);
  if (coded.length === 0) problems.push("src/core/limits/rate-limits.ts: no rate limit found: the rule looks in the wrong place");
  for (const [binding, period] of coded) {
    if (declared.get(binding) !== period) problems.push(`src/core/limits/rate-limits.ts: ${binding} waits ${period} s, wrangler.toml's period is ${declared.get(binding) ?? "missing"}`);
  }
});

for (const p of problems) console.error(p);
for (const p of passed) console.log(`source rules: ${p}`);
if (problems.length > 0) process.exit(1);
