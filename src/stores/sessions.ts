import { cacheUntil, kvKeys } from "./kv";

/**
 * Console sessions live in KV only, by the SHA-256 of the session id, until they expire (the
 * entry's TTL never reaches past it). Losing one costs a new login, nothing more: a session
 * grants what the credential shown at login granted, and that credential stays in D1.
 */
export interface StoredSession {
  /** Role: the operator, or one account. */
  r: "admin" | "account";
  /** The account, for role account. */
  a: string | null;
  /** The CSRF token every cookie-authenticated change must echo. */
  c: string;
  /** Expiry, ms. */
  e: number;
  /** Operator sessions: the SHA-256 of the ADMIN_TOKEN they were opened with. */
  k?: string;
}

export async function saveSession(kv: KVNamespace, hash: string, session: StoredSession, now: number): Promise<void> {
  await cacheUntil(kv, kvKeys.session(hash), session, session.e, now);
  if (session.a) await cacheUntil(kv, kvKeys.accountSession(session.a, hash), 1, session.e, now);
}

export const readSession = (kv: KVNamespace, hash: string) => kv.get<StoredSession>(kvKeys.session(hash), "json");

export const deleteSession = (kv: KVNamespace, hash: string) => kv.delete(kvKeys.session(hash));

/**
 * Ends every console session of an account (its key was rotated): found through their index
 * entries. KV lists are eventually consistent, so a session opened in the last minute elsewhere
 * may survive this; its login proved the old key, which is why the next rotation ends it too.
 */
export async function deleteAccountSessions(kv: KVNamespace, accountId: string): Promise<void> {
  const prefix = kvKeys.accountSessions(accountId);
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix, cursor });
    await Promise.all(page.keys.flatMap(({ name }) => [kv.delete(name), kv.delete(kvKeys.session(name.slice(prefix.length)))]));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}
