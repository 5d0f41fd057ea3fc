import type { Config, Env } from "./env";
import type { Clock } from "../lib/clock";
import type { Logger } from "../lib/log";
import type { Fetch } from "../lib/connection-cap";

/** What every core function may use: the stores, the configuration, the time and a logger. */
export interface CoreContext {
  env: Env;
  db: D1Database;
  kv: KVNamespace;
  config: Config;
  clock: Clock;
  log: Logger;
  /** Request-scoped memo (e.g. the account snapshot that came with the bearer token). */
  memo: Map<string, unknown>;
  /** This invocation's fetch for upstream calls (production's connection cap emulated in tests and benchmarks). */
  outbound: Fetch;
  /** Runs work after the response (ctx.waitUntil in the Worker). */
  defer(work: Promise<unknown>): void;
}
