// Creates the Cloudflare resources wrangler.toml binds (the D1 database, the KV namespace, the three
// queues, any R2 bucket) in the account wrangler is logged in to, and writes their ids into wrangler.toml in place
// of the placeholders. Safe to run twice: a resource that exists is found and reused.
//   node scripts/setup-cloudflare.mjs            (after `npx wrangler login`)
//   node scripts/setup-cloudflare.mjs --dry-run  prints what it would run and change
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const CONFIG = "wrangler.toml";
const dryRun = process.argv.includes("--dry-run");
let config = readFileSync(CONFIG, "utf8");

/** Runs wrangler and returns its output; a failure stops the script with wrangler's own words. */
function wrangler(...args) {
  console.log(`$ wrangler ${args.join(" ")}`);
  if (dryRun) return "";
  const run = spawnSync("npx", ["wrangler", ...args], { encoding: "utf8" });
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    process.exit(run.status ?? 1);
  }
  return run.stdout;
}

/** The placeholders wrangler.toml ships with, replaced by the real ids. */
const D1_PLACEHOLDER = "00000000-0000-4000-8000-000000000000";
const KV_PLACEHOLDER = "0".repeat(32);
const valueOf = (name) => new RegExp(`${name}\\s*=\\s*"([^"]*)"`).exec(config)?.[1];

// D1: the database named in wrangler.toml.
if (config.includes(`"${D1_PLACEHOLDER}"`)) {
  const name = valueOf("database_name");
  const existing = dryRun ? [] : JSON.parse(wrangler("d1", "list", "--json"));
  const id = existing.find((d) => d.name === name)?.uuid ?? /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(wrangler("d1", "create", name))?.[0];
  if (id) config = config.replace(`"${D1_PLACEHOLDER}"`, `"${id}"`);
  console.log(`D1 ${name}: ${id ?? "(dry run)"}`);
}

// KV: the namespace of the TOKENS binding.
if (config.includes(`"${KV_PLACEHOLDER}"`)) {
  const title = "tuma-TOKENS";
  const existing = dryRun ? [] : JSON.parse(wrangler("kv", "namespace", "list"));
  const id = existing.find((n) => n.title === title)?.id ?? /[0-9a-f]{32}/.exec(wrangler("kv", "namespace", "create", title))?.[0];
  if (id) config = config.replace(`"${KV_PLACEHOLDER}"`, `"${id}"`);
  console.log(`KV ${title}: ${id ?? "(dry run)"}`);
}

// Queues: every queue a producer names; creating one that exists is reported and skipped.
const listed = dryRun ? "" : wrangler("queues", "list");
for (const [, queue] of config.matchAll(/\[\[queues\.producers\]\][^[]*?queue\s*=\s*"([^"]+)"/g)) {
  if (listed.includes(queue)) console.log(`queue ${queue}: exists`);
  else wrangler("queues", "create", queue);
}

// R2: every bucket an [[r2_buckets]] entry names (the archives, clients' uploads); creating one that
// exists fails, so list first. Uploads expire after 30 days, as Meta's uploaded ids do (the Worker
// refuses older ones anyway; the rule reclaims the space).
const EXPIRE_DAYS = { "tuma-media": 30 };
const buckets = [...config.matchAll(/\[\[r2_buckets\]\][^[]*?bucket_name\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
const listedBuckets = buckets.length && !dryRun ? wrangler("r2", "bucket", "list") : "";
for (const bucket of buckets) {
  if (listedBuckets.includes(bucket)) console.log(`R2 bucket ${bucket}: exists`);
  else {
    wrangler("r2", "bucket", "create", bucket);
    if (EXPIRE_DAYS[bucket]) wrangler("r2", "bucket", "lifecycle", "add", bucket, "expire", "--expire-days", String(EXPIRE_DAYS[bucket]), "--force");
  }
}

if (dryRun) console.log(`(dry run: ${CONFIG} unchanged)`);
else {
  writeFileSync(CONFIG, config);
  console.log(`${CONFIG} now names your resources. Next: set the secrets (.dev.vars.example lists them) with \`npx wrangler secret put NAME\`, then \`npm run deploy\`.`);
}
