import { probeClientUrl } from "../../core/client-webhooks/url-probe";
import { AppError, unwrap } from "../../lib/errors";
import { randomBytes, toHex } from "../../lib/crypto";
import type { RequestContext } from "../dialect";

/**
 * Meta's verification request, made to the client's URL before it is registered: `GET
 * <url>?hub.mode=subscribe&hub.verify_token=<the client's token>&hub.challenge=<random>`; the
 * receiver must answer 200 with the challenge as its whole body, as Meta requires.
 */
export async function verifyLikeMeta(rc: RequestContext, url: string, verifyToken: string): Promise<void> {
  const challenge = String(BigInt(`0x${toHex(randomBytes(6))}`));
  const target = new URL(url);
  target.searchParams.set("hub.mode", "subscribe");
  target.searchParams.set("hub.verify_token", verifyToken);
  target.searchParams.set("hub.challenge", challenge);
  const answer = unwrap(await probeClientUrl(rc.core, target.href, "url"));
  if (answer.status === 200 && answer.body.trim() === challenge) return;
  const reason = `must answer Meta's verification request (GET with hub.mode=subscribe, hub.verify_token, hub.challenge) with 200 and the hub.challenge; it answered ${answer.status}`;
  throw new AppError("invalid_request", "The webhook URL failed Meta's verification request", { issues: [{ field: "url", kind: "invalid_value", reason }] });
}
