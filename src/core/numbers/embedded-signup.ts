import { hmacSha256Hex, timingSafeEqualText } from "../../lib/crypto";
import { fail, ok, type Result } from "../../lib/errors";
import { embeddedSignupUrl, sharedNumberFromCode } from "../../upstreams/whatsapp/embedded-signup";
import { getAccount } from "../accounts/accounts";
import type { CoreContext } from "../../config/context";
import { provisionNumber, type Deployment } from "./numbers";
import { subscriptionOf } from "../plans/subscription";

/**
 * Linking an existing WhatsApp Business number (toKABOLA `goto/addnumber`, OWNER plan only).
 * The round trip through Meta carries a signed, short-lived `state` naming the account, so the
 * callback needs no session and cannot be replayed for another account.
 */
const OWNER_PLAN = "OWNER";
const STATE_TTL_MS = 10 * 60 * 1000;

function configured(ctx: CoreContext): Result<{ secret: string }> {
  const c = ctx.config;
  if (!c.META_APP_ID || !c.META_CONFIG_ID || !c.META_APP_SECRET) {
    return fail("unavailable", "Embedded Signup needs META_APP_ID, META_CONFIG_ID and META_APP_SECRET");
  }
  return ok({ secret: c.META_APP_SECRET });
}

async function requireOwner(ctx: CoreContext, accountId: string): Promise<Result<string>> {
  const account = await getAccount(ctx, accountId);
  if (!account.ok) return account;
  const sub = subscriptionOf(account.value, ctx.clock.now());
  if (sub.plan !== OWNER_PLAN || !sub.active) return fail("forbidden", "Linking an existing number needs an active OWNER plan");
  return ok(accountId);
}

/** The Embedded Signup URL to send the account's owner to. */
export async function startEmbeddedSignup(ctx: CoreContext, accountId: string, redirectUri: string): Promise<Result<string>> {
  const config = configured(ctx);
  if (!config.ok) return config;
  const owner = await requireOwner(ctx, accountId);
  if (!owner.ok) return owner;
  const payload = `${accountId}.${ctx.clock.now() + STATE_TTL_MS}`;
  const state = `${payload}.${await hmacSha256Hex(config.value.secret, payload)}`;
  return ok(embeddedSignupUrl(ctx.config, redirectUri, state));
}

/** Meta's callback: records the shared number as a deployment and registers it. */
export async function completeEmbeddedSignup(
  ctx: CoreContext,
  state: string,
  code: string,
  redirectUri: string,
): Promise<Result<{ deployment: Deployment; apiKey: string }>> {
  const config = configured(ctx);
  if (!config.ok) return config;
  const [accountId, expiry, signature] = state.split(".");
  const expected = await hmacSha256Hex(config.value.secret, `${accountId}.${expiry}`);
  if (!accountId || !signature || !timingSafeEqualText(signature, expected)) return fail("unauthorized", "Invalid state");
  if (Number(expiry) < ctx.clock.now()) return fail("token_expired", "The link has expired; start again");
  const owner = await requireOwner(ctx, accountId);
  if (!owner.ok) return owner;
  const shared = await sharedNumberFromCode(ctx.config, code, redirectUri, ctx.log);
  if (!shared.ok) {
    return fail(shared.fault.kind === "invalid_input" ? "invalid_request" : "upstream_failure", shared.fault.message);
  }
  const n = shared.value;
  return provisionNumber(ctx, accountId, {
    cc: n.cc,
    number: n.number,
    wabaId: n.wabaId,
    verifiedName: n.verifiedName,
    method: "SMS",
    language: "fr_FR",
    autoRequestCode: false,
    inline: true,
    adoptedPhoneNumberId: n.phoneNumberId,
  });
}
