import { loadConfig, type Env } from "../../config/env";
import type { Fetch } from "../../lib/connection-cap";
import type { Logger } from "../../lib/log";
import { metaUpstream } from "./meta";
import { sandboxUpstream } from "./sandbox";
import type { WhatsAppUpstream } from "./types";

export type UpstreamKind = "meta" | "sandbox";

/** The adapter a deployment uses: each deployment keeps the upstream it was created with. */
export function whatsappUpstream(kind: UpstreamKind, env: Env, log: Logger, outbound: Fetch): WhatsAppUpstream {
  const config = loadConfig(env);
  if (kind === "sandbox") return sandboxUpstream(config.SANDBOX_OTP_CODE);
  return metaUpstream(
    {
      graphUrl: config.META_GRAPH_URL,
      version: config.META_API_VERSION,
      accessToken: config.META_ACCESS_TOKEN,
      appId: config.META_APP_ID,
      timeoutMs: config.META_TIMEOUT_MS,
      production: config.production,
      fetch: outbound,
    },
    log,
  );
}
