import { loadConfig, type Config, type Env } from "./env";
import { cappedFetch, type Fetch } from "../lib/connection-cap";
import { systemClock, type Clock } from "../lib/clock";
import type { Logger } from "../lib/log";
import type { CoreContext } from "./context";

/** The upstream fetch of one invocation: production's connection cap emulated when the config asks for it. */
export function invocationFetch(config: Config): Fetch {
  return config.EMULATE_CONNECTION_CAP ? cappedFetch() : (input, init) => fetch(input, init);
}

export function createCoreContext(env: Env, waitUntil: (p: Promise<unknown>) => void, log: Logger, clock: Clock = systemClock): CoreContext {
  const config = loadConfig(env);
  return {
    env,
    db: env.DB,
    kv: env.TOKENS,
    config,
    outbound: invocationFetch(config),
    clock,
    log,
    memo: new Map(),
    defer: (work) =>
      waitUntil(work.catch((e) => log.log("error", "deferred_work_failed", { error_message: String(e) }))),
  };
}
