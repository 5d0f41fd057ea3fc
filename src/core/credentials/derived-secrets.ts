import { hmacSha256Hex } from "../../lib/crypto";
import type { CoreContext } from "../../config/context";

/**
 * An account's secrets that can be shown again yet are never stored: HMAC-SHA256 of WEBHOOK_SIGNING_KEY
 * over `<purpose>:<account id>`. Changing the key changes every one of them; the closed purposes
 * keep two secrets of one account apart (client webhook endpoints derive theirs from endpoint ids).
 */
export function accountDerivedSecret(ctx: CoreContext, purpose: "cloud-api-app-secret" | "application-signature", accountId: string): Promise<string> {
  return hmacSha256Hex(ctx.config.WEBHOOK_SIGNING_KEY, `${purpose}:${accountId}`);
}
