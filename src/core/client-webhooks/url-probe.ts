import { fail, ok, type Result } from "../../lib/errors";
import { fetchClientUrl, RefusedUrlError } from "../../lib/url-policy";
import type { CoreContext } from "../../config/context";

const PROBE_TIMEOUT_MS = 5000;
const MAX_ANSWER_BYTES = 1024;

/**
 * GETs a client's webhook URL once, under the client URL policy, to check it answers before it is
 * registered (a dialect builds the URL, e.g. Meta's verification handshake, and judges the answer).
 * The answer's status and its first bytes; a URL refused or unreachable is `invalid_request` on `field`.
 */
export async function probeClientUrl(ctx: CoreContext, url: string, field: string): Promise<Result<{ status: number; body: string }>> {
  const refused = (reason: string) => fail<never>("invalid_request", `The webhook URL ${reason}`, { issues: [{ field, kind: "invalid_value", reason }] });
  try {
    const response = await fetchClientUrl(url, ctx.config.production, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), maxRedirects: 0 });
    const bytes = new Uint8Array(await response.arrayBuffer()).slice(0, MAX_ANSWER_BYTES);
    return ok({ status: response.status, body: new TextDecoder().decode(bytes) });
  } catch (e) {
    if (e instanceof RefusedUrlError) return refused(e.message);
    ctx.log.log("warn", "webhook_probe_failed", { error_message: e instanceof Error ? e.message : String(e) });
    return refused("could not be reached");
  }
}
