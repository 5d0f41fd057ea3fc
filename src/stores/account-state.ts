import { kvKeys } from "./kv";

/**
 * A short-lived KV copy of whether an account is suspended (accounts.suspended_at is the truth),
 * read when a request's credential came without an account snapshot (number keys, dev keys, Cloud
 * API tokens, Vonage JWTs, console sessions). Suspending writes D1, then this copy.
 */
const ACCOUNT_STATE_TTL_SECONDS = 60;

export const readCachedSuspension = async (kv: KVNamespace, accountId: string): Promise<boolean | null> => {
  const entry = await kv.get<{ s: boolean }>(kvKeys.accountState(accountId), "json");
  return entry ? entry.s : null;
};

export const cacheSuspension = (kv: KVNamespace, accountId: string, suspended: boolean) =>
  kv.put(kvKeys.accountState(accountId), JSON.stringify({ s: suspended }), { expirationTtl: ACCOUNT_STATE_TTL_SECONDS });

export const forgetSuspension = (kv: KVNamespace, accountId: string) => kv.delete(kvKeys.accountState(accountId));
