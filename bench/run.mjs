// `npm run bench`: starts the gateway locally and measures, in one run, each scenario beside the
// bare route (`GET /ping`, which does no work). Writes bench/report.md and bench/report.json.
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { authenticatedAccount } from "./scenarios/account.mjs";
import { metaIntake } from "./scenarios/intake.mjs";
import { campaign } from "./scenarios/campaign.mjs";
import { metaCampaigns } from "./scenarios/meta-campaigns.mjs";
import { metaIntakeFresh, metaStatuses } from "./scenarios/meta-statuses.mjs";
import { singleSends } from "./scenarios/send.mjs";
import { json, startGateway, warm } from "./lib.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

// BENCH_ONLY=metaIntake,singleSends runs only those scenarios; BENCH_PORT picks the local port.
const ONLY = process.env.BENCH_ONLY?.split(",");
// The machine may be shared: its load before and after the run goes into the report.
const loadBefore = loadavg();
const gateway = await startGateway({ port: Number(process.env.BENCH_PORT ?? 8797) });
const rows = [];
const checks = [];
try {
  const bare = { title: "bare route: GET /ping", url: `${gateway.url}/ping`, seconds: SECONDS, connections: CONNECTIONS };
  const ctx = { url: gateway.url, json, bare, seconds: SECONDS, connections: CONNECTIONS, rounds: ROUNDS };
  await warm(bare.url);
  for (const scenario of [authenticatedAccount, singleSends, metaIntake, campaign, metaIntakeFresh, metaStatuses, metaCampaigns].filter((s) => !ONLY || ONLY.includes(s.name))) {
    const outcome = await scenario(ctx);
    rows.push(...outcome.rows);
    checks.push(...outcome.checks);
  }
} finally {
  gateway.stop();
}

const report = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}, load average ${loadBefore.map((l) => l.toFixed(1)).join("/")} before, ${loadavg().map((l) => l.toFixed(1)).join("/")} after (1/5/15 min)`,
  settings: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, server: "wrangler dev (local workerd, local D1/KV)" },
  rows,
  checks,
};
// A partial run (BENCH_ONLY) writes bench/report-<scenarios>.{md,json}, leaving the full report alone.
const out = `bench/report${ONLY ? `-${ONLY.join("-")}` : ""}`;
writeFileSync(`${out}.json`, JSON.stringify(report, null, 2) + "\n");
const md = [
  "# Tuma benchmark report",
  "",
  `${report.date} · ${report.machine} · ${ROUNDS} alternating rounds of ${SECONDS} s per route, ${CONNECTIONS} connections, ${report.settings.server}`,
  "",
  "Each scenario is measured beside the bare route (`GET /ping`, no work) in alternating rounds; figures are medians over the rounds.",
  "",
  "| route | requests | req/s | p50 ms | p99 ms |",
  "|---|---:|---:|---:|---:|",
  ...rows.map((r) => `| ${r.title} | ${r.requests} | ${r.rps} | ${r.p50_ms} | ${r.p99_ms} |`),
  "",
  "| target | measured | met |",
  "|---|---|---|",
  ...checks.map((c) => `| ${c.target} | ${c.measured} | ${c.met ? "yes" : "NO"} |`),
  "",
].join("\n");
writeFileSync(`${out}.md`, md);
console.log(md);
