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

export const saveSession = (kv: KVNamespace, hash: string, session: StoredSession, now: number) =>
  cacheUntil(kv, kvKeys.session(hash), session, session.e, now);

export const readSession = (kv: KVNamespace, hash: string) => kv.get<StoredSession>(kvKeys.session(hash), "json");

export const deleteSession = (kv: KVNamespace, hash: string) => kv.delete(kvKeys.session(hash));
