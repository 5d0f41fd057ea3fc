import type { CoreContext } from "../../config/context";
import { randomBytes, sha256Hex, timingSafeEqualText, toBase64Url } from "../../lib/crypto";
import { fail, ok, type Result } from "../../lib/errors";
import { deleteSession, readSession, saveSession, type StoredSession } from "../../stores/sessions";
import { verifyAccountKey } from "../accounts/accounts";
import { ensureActive } from "../accounts/suspension";
import { rateLimit } from "../limits/rate-limits";
import { resolveToken } from "./tokens";

/**
 * Console sessions: a random id in an HttpOnly cookie, stored (hashed) in KV with the role it was
 * opened for and a CSRF token. A session authenticates exactly as the credential shown at login:
 * the operator's ADMIN_TOKEN, an id_user/key_user pair, or an account's bearer token.
 */
export const SESSION_TTL_SECONDS = 12 * 3600;

export type SessionProof =
  | { role: "admin"; token: string }
  | { role: "account"; idUser: string; keyUser: string }
  | { role: "account"; token: string };

export interface Session {
  role: "admin" | "account";
  accountId: string | null;
  csrfToken: string;
  expiresAt: number;
  /** Names the session in the audit log without revealing it: a prefix of its hash. */
  actor: string;
}

const sessionOf = (hash: string, s: StoredSession): Session => ({
  role: s.r,
  accountId: s.a,
  csrfToken: s.c,
  expiresAt: s.e,
  actor: `session:${hash.slice(0, 12)}`,
});

/**
 * The operator's token, compared in constant time: `forbidden` while ADMIN_TOKEN is not
 * configured (the admin API is off), `unauthorized` when wrong. Returns the actor the audit names.
 */
export function verifyAdminToken(ctx: CoreContext, presented: string | null): Result<string> {
  const expected = ctx.config.ADMIN_TOKEN;
  if (!expected) return fail("forbidden", "The admin API is disabled: set the ADMIN_TOKEN secret");
  if (!presented || !timingSafeEqualText(presented, expected)) return fail("unauthorized", "Missing or wrong admin token");
  return ok(ADMIN_TOKEN_ACTOR);
}

const adminTokenHash = async (ctx: CoreContext) => sha256Hex(ctx.config.ADMIN_TOKEN ?? "");

/** The audit log's name for a change made with the ADMIN_TOKEN itself (there is one operator token). */
const ADMIN_TOKEN_ACTOR = "admin-token";

async function provenAccount(ctx: CoreContext, proof: SessionProof): Promise<Result<string | null>> {
  if (proof.role === "admin") {
    // Per target, like every credential check: guessing the operator's token is throttled.
    const admitted = await rateLimit(ctx, "signin", "operator");
    if (!admitted.ok) return admitted;
    const admin = verifyAdminToken(ctx, proof.token);
    return admin.ok ? ok(null) : admin;
  }
  const account = "idUser" in proof ? await verifyAccountKey(ctx, proof.idUser, proof.keyUser) : await resolveToken(ctx, proof.token);
  if (!account.ok) return account;
  const active = await ensureActive(ctx, account.value);
  return active.ok ? account : active;
}

/** Opens a session for a proven credential; the session id is returned once, for the cookie. */
export async function openSession(ctx: CoreContext, proof: SessionProof): Promise<Result<{ sessionId: string; session: Session }>> {
  const proven = await provenAccount(ctx, proof);
  if (!proven.ok) return proven;
  const sessionId = toBase64Url(randomBytes(32));
  const hash = await sha256Hex(sessionId);
  const now = ctx.clock.now();
  const stored: StoredSession = { r: proof.role, a: proven.value, c: toBase64Url(randomBytes(24)), e: now + SESSION_TTL_SECONDS * 1000 };
  if (proof.role === "admin") stored.k = await adminTokenHash(ctx);
  await saveSession(ctx.kv, hash, stored, now);
  return ok({ sessionId, session: sessionOf(hash, stored) });
}

/** The live session behind a cookie's id, or null (unknown, expired or logged out). */
export async function resolveSession(ctx: CoreContext, sessionId: string): Promise<Session | null> {
  const hash = await sha256Hex(sessionId);
  const stored = await readSession(ctx.kv, hash);
  // KV may keep an entry a little past its TTL; the stored expiry is what decides.
  if (!stored || stored.e <= ctx.clock.now()) return null;
  // An operator session ends with the ADMIN_TOKEN it was opened with (rotated or removed).
  if (stored.r === "admin" && (!ctx.config.ADMIN_TOKEN || stored.k !== (await adminTokenHash(ctx)))) return null;
  return sessionOf(hash, stored);
}

export async function closeSession(ctx: CoreContext, sessionId: string): Promise<void> {
  await deleteSession(ctx.kv, await sha256Hex(sessionId));
}
