import { hmacSha256Hex, timingSafeEqualText } from "../../lib/crypto";
import { fail, ok, type Result } from "../../lib/errors";
import { embeddedSignupUrl, sharedNumberFromCode } from "../../upstreams/whatsapp/embedded-signup";
import { getAccount, verifyAccountKey } from "../accounts/accounts";
import type { CoreContext } from "../../config/context";
import { provisionNumber, type Deployment } from "./numbers";
import { subscriptionOf } from "../plans/subscription";

/**
 * Linking an existing WhatsApp Business number (toKABOLA `goto/addnumber`, OWNER plan only).
 * It starts only for a caller who proves the account's `key_user`: an unknown account and a wrong
 * key are the same refusal after the same work. The round trip through Meta carries a signed,
 * short-lived `state` naming the account, so the callback needs no session and cannot be replayed
 * for another account. The state is signed with EMBEDDED_SIGNUP_KEY, a key used for nothing else.
 */
const OWNER_PLAN = "OWNER";
const STATE_TTL_MS = 10 * 60 * 1000;

function configured(ctx: CoreContext): Result<{ secret: string }> {
  const c = ctx.config;
  if (!c.META_APP_ID || !c.META_CONFIG_ID || !c.META_APP_SECRET || !c.EMBEDDED_SIGNUP_KEY) {
    return fail("unavailable", "Embedded Signup needs META_APP_ID, META_CONFIG_ID, META_APP_SECRET and EMBEDDED_SIGNUP_KEY");
  }
  return ok({ secret: c.EMBEDDED_SIGNUP_KEY });
}

async function requireOwner(ctx: CoreContext, accountId: string): Promise<Result<string>> {
  const account = await getAccount(ctx, accountId);
  if (!account.ok) return account;
  const sub = subscriptionOf(account.value, ctx.clock.now());
  if (sub.plan !== OWNER_PLAN || !sub.active) return fail("forbidden", "Linking an existing number needs an active OWNER plan");
  return ok(accountId);
}

/** Domain-separated, so a signature made here means nothing anywhere else. */
const signState = (secret: string, payload: string) => hmacSha256Hex(secret, `embedded-signup-state:${payload}`);

/** The Embedded Signup URL to send the account's owner to, once `keyUser` is proven. */
export async function startEmbeddedSignup(ctx: CoreContext, credentials: { accountId: string; keyUser: string }, redirectUri: string): Promise<Result<string>> {
  const config = configured(ctx);
  if (!config.ok) return config;
  const proven = await verifyAccountKey(ctx, credentials.accountId, credentials.keyUser);
  if (!proven.ok) return proven;
  const accountId = proven.value;
  const owner = await requireOwner(ctx, accountId);
  if (!owner.ok) return owner;
  const payload = `${accountId}.${ctx.clock.now() + STATE_TTL_MS}`;
  const state = `${payload}.${await signState(config.value.secret, payload)}`;
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
  const expected = await signState(config.value.secret, `${accountId}.${expiry}`);
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
