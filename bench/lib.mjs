// Shared pieces of the benchmark: a local gateway (scripts/local-gateway.mjs), a load run with
// autocannon, and the report. Each scenario file adds its measurements to one report.
import autocannon from "autocannon";
import { startGateway } from "../scripts/local-gateway.mjs";

/** The benchmark's gateway: on port 8797 unless the scenario names another. */
const benchGateway = ({ port = 8797, vars = {}, detach = [] } = {}) => startGateway({ port, vars, detach });
export { benchGateway as startGateway };

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
