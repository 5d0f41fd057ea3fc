import { compactVerify, decodeJwt, decodeProtectedHeader, importSPKI, type JWTPayload } from "jose";
import { sha256Hex } from "../../lib/crypto";
import { cacheUntil, kvKeys } from "../../stores/kv";
import { fail, ok, type Result } from "../../lib/errors";
import { uniqueViolation } from "../accounts/accounts";
import type { CoreContext } from "../../config/context";

/**
 * Vonage-style JWT credentials: an account registers its Vonage application id and the public
 * half of the application's RSA key; its clients sign RS256 JWTs with the private half, as
 * Vonage's SDK does (`application_id`, `iat`, `jti`, `exp`). Rules, as Vonage applies them:
 * `exp` is honoured up to 24 h after `iat`; without `exp` a token lives 15 min after `iat`; a
 * token with neither is refused; the same token may be used again until it expires; unknown
 * claims are ignored.
 */

const DEFAULT_LIFETIME_S = 15 * 60;
const MAX_LIFETIME_S = 24 * 3600;
const CLOCK_SKEW_S = 5 * 60;

export interface VonageApplication {
  applicationId: string;
  keyFingerprint: string;
  updatedAt: number;
}

/** Registers or replaces the account's application; tokens signed by a replaced key stop working. */
export async function registerVonageApplication(
  ctx: CoreContext,
  accountId: string,
  applicationId: string,
  publicKeyPem: string,
): Promise<Result<VonageApplication>> {
  const pem = publicKeyPem.trim();
  try {
    await importSPKI(pem, "RS256");
  } catch {
    return fail("invalid_request", "public_key is not an RSA public key in PEM (SPKI) form", {
      issues: [{ field: "public_key", kind: "invalid_format", reason: "must be an RSA public key in PEM form (-----BEGIN PUBLIC KEY-----)" }],
    });
  }
  const fingerprint = await sha256Hex(pem);
  const now = ctx.clock.now();
  try {
    await ctx.db
      .prepare(
        `INSERT INTO vonage_applications (account_id, application_id, public_key, key_fingerprint, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account_id) DO UPDATE SET application_id = excluded.application_id, public_key = excluded.public_key,
           key_fingerprint = excluded.key_fingerprint, updated_at = excluded.updated_at`,
      )
      .bind(accountId, applicationId, pem, fingerprint, now)
      .run();
  } catch (e) {
    if (uniqueViolation(e) === "vonage_applications.application_id") {
      return fail("conflict", "This application id is registered by another account");
    }
    throw e;
  }
  return ok({ applicationId, keyFingerprint: fingerprint, updatedAt: now });
}

const unauthorized = (why: string) => fail<never>("unauthorized", `Invalid token: ${why}`);

/**
 * The account a Vonage JWT belongs to. The signature is checked against the key registered now;
 * a verified token is cached in KV until its expiry under that key's fingerprint, so replacing
 * the key makes every cached entry unreachable.
 */
export async function resolveVonageJwt(ctx: CoreContext, token: string): Promise<Result<string>> {
  let claims: JWTPayload;
  try {
    if (decodeProtectedHeader(token).alg !== "RS256") return unauthorized("the algorithm must be RS256");
    claims = decodeJwt(token);
  } catch {
    return unauthorized("not a JWT");
  }
  const applicationId = claims.application_id;
  if (typeof applicationId !== "string") return unauthorized("application_id claim missing");
  const app = await ctx.db
    .prepare("SELECT account_id, public_key, key_fingerprint FROM vonage_applications WHERE application_id = ?")
    .bind(applicationId)
    .first<{ account_id: string; public_key: string; key_fingerprint: string }>();
  if (!app) return unauthorized("unknown application_id");

  const nowS = Math.floor(ctx.clock.now() / 1000);
  const cacheKey = kvKeys.vonageJwt(app.key_fingerprint, await sha256Hex(token));
  const cached = await ctx.kv.get<{ a: string; e: number }>(cacheKey, "json");
  if (cached) return cached.e > nowS ? ok(cached.a) : fail("token_expired", "The token has expired");

  try {
    await compactVerify(token, await importSPKI(app.public_key, "RS256"), { algorithms: ["RS256"] });
  } catch {
    return unauthorized("bad signature");
  }
  const expiry = expiryOf(claims, nowS);
  if (!expiry.ok) return expiry;
  if (expiry.value <= nowS) return fail("token_expired", "The token has expired");
  ctx.defer(cacheUntil(ctx.kv, cacheKey, { a: app.account_id, e: expiry.value }, expiry.value * 1000, nowS * 1000));
  return ok(app.account_id);
}

/** When the token stops being valid (seconds), by Vonage's rules. */
function expiryOf(claims: JWTPayload, nowS: number): Result<number> {
  const { iat, exp, nbf } = claims;
  const isTime = (v: unknown) => v === undefined || (typeof v === "number" && Number.isFinite(v));
  if (!isTime(iat) || !isTime(exp) || !isTime(nbf)) return unauthorized("iat, exp and nbf must be numbers");
  if (iat === undefined && exp === undefined) return unauthorized("the token has neither iat nor exp");
  if (iat !== undefined && iat > nowS + CLOCK_SKEW_S) return unauthorized("issued in the future");
  if (nbf !== undefined && nbf > nowS + CLOCK_SKEW_S) return unauthorized("not valid yet");
  if (iat === undefined) return exp! - nowS > MAX_LIFETIME_S ? unauthorized("exp more than 24 h ahead") : ok(exp!);
  return ok(Math.min(exp ?? iat + DEFAULT_LIFETIME_S, iat + MAX_LIFETIME_S));
}
