// Shared pieces of the benchmark: a local gateway (wrangler dev on a fresh local state), a load
// run with autocannon, and the report. Each scenario file adds its measurements to one report.
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = join(process.cwd(), "node_modules", ".bin");
const WRANGLER = join(BIN, "wrangler");
// wrangler needs the project's Node 24 (node_modules/.bin/node) even when this runs outside npm.
const ENV = { ...process.env, PATH: `${BIN}:${process.env.PATH}` };

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: ENV, ...options });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(" ")} failed:\n${output}`))));
  });
}

/** Starts the Worker locally on a fresh, migrated state directory; returns its URL and a stop(). */
export async function startGateway({ port = 8797, vars = {} } = {}) {
  const state = mkdtempSync(join(tmpdir(), "tuma-bench-"));
  await run(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child = spawn(WRANGLER, ["dev", "--port", String(port), "--persist-to", state, "--log-level", "warn", ...varArgs], {
    stdio: ["ignore", "ignore", "pipe"],
    env: ENV,
    detached: true,
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
    if (process.env.BENCH_DEBUG) process.stderr.write(d);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/ping`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`the gateway did not start:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    /** What the gateway logged at warn level and above so far. */
    logs: () => stderr,
    /** Runs SQL against the gateway's local D1 (for the checks a client cannot see); returns the rows. */
    async sql(command) {
      const out = await run(WRANGLER, ["d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", command]);
      return JSON.parse(out.slice(out.indexOf("[")))[0].results;
    },
    stop() {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** One measured load: requests/s and latency percentiles (ms). Any non-2xx answer fails the run. */
export async function load({ title, url, method = "GET", headers = {}, body, requests, seconds = 8, connections = 16 }) {
  // `requests` (autocannon's) lets a scenario make each request different, e.g. sign a fresh body.
  const result = await autocannon({ url, method, headers, body, ...(requests ? { requests } : {}), duration: seconds, connections, pipelining: 1 });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${title}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  return {
    title,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
  };
}

export async function warm(url, options = {}) {
  await autocannon({ url, duration: 2, connections: 8, ...options });
}

export async function json(url, body, headers = {}) {
  const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
  const parsed = await res.json();
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(parsed)}`);
  return parsed;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Measures a route beside the bare one in alternating rounds (bare, route, bare, route, …), so
 * whatever else the machine does weighs on both alike. Reports the medians over the rounds and the
 * median of the per-round throughput ratios.
 */
export async function beside(bareOptions, routeOptions, rounds = 3) {
  const bare = [];
  const route = [];
  for (let i = 0; i < rounds; i++) {
    bare.push(await load(bareOptions));
    route.push(await load(routeOptions));
  }
  const summarize = (runs) => ({
    title: runs[0].title,
    requests: runs.reduce((n, r) => n + r.requests, 0),
    rps: median(runs.map((r) => r.rps)),
    p50_ms: median(runs.map((r) => r.p50_ms)),
    p99_ms: median(runs.map((r) => r.p99_ms)),
  });
  return {
    bare: summarize(bare),
    route: summarize(route),
    throughputRatio: median(route.map((r, i) => r.rps / bare[i].rps)),
    p99Ratio: median(route.map((r, i) => r.p99_ms / bare[i].p99_ms)),
  };
}
