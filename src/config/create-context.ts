import { loadConfig, type Env } from "./env";
import { systemClock, type Clock } from "../lib/clock";
import type { Logger } from "../lib/log";
import type { CoreContext } from "./context";

export function createCoreContext(env: Env, waitUntil: (p: Promise<unknown>) => void, log: Logger, clock: Clock = systemClock): CoreContext {
  return {
    env,
    db: env.DB,
    kv: env.TOKENS,
    config: loadConfig(env),
    clock,
    log,
    memo: new Map(),
    defer: (work) =>
      waitUntil(work.catch((e) => log.log("error", "deferred_work_failed", { error_message: String(e) }))),
  };
}
