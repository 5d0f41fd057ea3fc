import { compactVerify, decodeJwt, decodeProtectedHeader, exportPKCS8, exportSPKI, generateKeyPair, importSPKI, type JWTPayload } from "jose";
import { sha256Hex } from "../../lib/crypto";
import { cacheJwt, findAccountVonageApplication, findVonageApplication, readCachedJwt, saveVonageApplication, saveVonageApplicationStatement } from "../../stores/jwt-applications";
import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { createAccount } from "../accounts/accounts";
import { rateLimit } from "../limits/rate-limits";
import { accountDerivedSecret } from "./derived-secrets";
import { draftDevKey } from "./dev-keys";

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
  apiKey?: string,
): Promise<Result<VonageApplication>> {
  const pem = publicKeyPem.trim();
  const valid = await checkPublicKey(pem);
  if (!valid.ok) return valid;
  const fingerprint = await sha256Hex(pem);
  const now = ctx.clock.now();
  const saved = await saveVonageApplication(ctx.db, { accountId, applicationId, publicKey: pem, keyFingerprint: fingerprint, apiKey, now });
  if (saved === "taken") return fail("conflict", "This application id is registered by another account");
  return ok({ applicationId, keyFingerprint: fingerprint, updatedAt: now });
}

async function checkPublicKey(pem: string): Promise<Result<void>> {
  try {
    await importSPKI(pem, "RS256");
    return ok(undefined);
  } catch {
    return fail("invalid_request", "public_key is not an RSA public key in PEM (SPKI) form", {
      issues: [{ field: "public_key", kind: "invalid_format", reason: "must be an RSA public key in PEM form (-----BEGIN PUBLIC KEY-----)" }],
    });
  }
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
  const admitted = await rateLimit(ctx, "credential", `jwt-app:${applicationId.slice(0, 100)}`);
  if (!admitted.ok) return admitted;
  const app = await findVonageApplication(ctx.db, applicationId);
  if (!app) return unauthorized("unknown application_id");

  const nowS = Math.floor(ctx.clock.now() / 1000);
  const tokenHash = await sha256Hex(token);
  const cached = await readCachedJwt(ctx.kv, app.key_fingerprint, tokenHash);
  if (cached) return cached.e > nowS ? ok(cached.a) : fail("token_expired", "The token has expired");

  try {
    await compactVerify(token, await importSPKI(app.public_key, "RS256"), { algorithms: ["RS256"] });
  } catch {
    return unauthorized("bad signature");
  }
  const expiry = expiryOf(claims, nowS);
  if (!expiry.ok) return expiry;
  if (expiry.value <= nowS) return fail("token_expired", "The token has expired");
  ctx.defer(cacheJwt(ctx.kv, app.key_fingerprint, tokenHash, { a: app.account_id, e: expiry.value }, nowS * 1000));
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

/**
 * What a Vonage customer gets from its dashboard, in one step: an account, an API key and secret
 * (Basic auth; the same kind of key pair as EngageLab's dev_key/dev_secret), an application whose
 * RSA key signs its JWTs (generated here when the client brings no public key: its private half
 * is returned once and never stored), and the signature secret its webhooks are signed with.
 */

export interface VonageSignup {
  accountId: string;
  apiKey: string;
  apiSecret: string;
  signatureSecret: string;
  application: VonageApplication & { publicKey: string; privateKey: string | null };
}

export async function signupVonageAccount(
  ctx: CoreContext,
  input: { name: string; publicKey: string | null; keyLabel: string; clientIp: string | null },
): Promise<Result<VonageSignup>> {
  const admitted = await rateLimit(ctx, "signup", input.clientIp);
  if (!admitted.ok) return admitted;
  let publicKey = input.publicKey?.trim() ?? null;
  let privateKey: string | null = null;
  if (publicKey) {
    // Checked before anything is written: a refused key leaves no account behind.
    const valid = await checkPublicKey(publicKey);
    if (!valid.ok) return valid;
  } else {
    const pair = await generateKeyPair("RS256", { extractable: true, modulusLength: 2048 });
    publicKey = await exportSPKI(pair.publicKey);
    privateKey = await exportPKCS8(pair.privateKey);
  }
  const key = await draftDevKey(ctx, input.keyLabel);
  const pem = publicKey.trim();
  const application = { applicationId: crypto.randomUUID(), keyFingerprint: await sha256Hex(pem), updatedAt: ctx.clock.now() };
  // The account, its key and its application in one batch: a failure leaves no half-made account.
  const created = await createAccount(ctx, { name: input.name }, (accountId) => [
    key.insert(accountId),
    saveVonageApplicationStatement(ctx.db, { accountId, ...application, publicKey: pem, apiKey: key.devKey, now: application.updatedAt }),
  ]);
  if (!created.ok) return created;
  const accountId = created.value.account.id;
  return ok({
    accountId,
    apiKey: key.devKey,
    apiSecret: key.devSecret,
    signatureSecret: await vonageSignatureSecret(ctx, accountId),
    application: { ...application, publicKey: pem, privateKey },
  });
}

/** The secret the account's Vonage webhooks are signed with (HS256): derived, never stored. */
export async function vonageSignatureSecret(ctx: CoreContext, accountId: string): Promise<string> {
  return `sigsec_${await accountDerivedSecret(ctx, "application-signature", accountId)}`;
}

/** What a signed Vonage webhook of the account carries: the application, its API key, the secret. */
export async function vonageSigningKey(
  ctx: CoreContext,
  accountId: string,
): Promise<Result<{ applicationId: string; apiKey: string | null; secret: string }>> {
  const app = await findAccountVonageApplication(ctx.db, accountId);
  if (!app) return fail("not_found", "The account has no application registered");
  return ok({ applicationId: app.application_id, apiKey: app.api_key, secret: await vonageSignatureSecret(ctx, accountId) });
}
