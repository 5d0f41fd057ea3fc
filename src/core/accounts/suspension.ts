import type { CoreContext } from "../../config/context";
import { fail, ok, type Result } from "../../lib/errors";
import { cacheSuspension, forgetSuspension, readCachedSuspension } from "../../stores/account-state";
import { suspensionChanged, findAccount, findSuspension, setSuspendedStatement, type AccountRow } from "../../stores/accounts";
import { auditStatement } from "../audit/audit";
import { refillThenConfirm } from "../credentials/refill";
import { forgetAccountSessions, sessionAccount } from "../credentials/tokens";

/**
 * Suspension: the operator cuts an account off without deleting anything. Every credential
 * resolves to an account and then passes `ensureActive` (dialects/bearer.ts `admitAccount`, the
 * one door every dialect's authentication ends at), so no credential of a suspended account
 * works, whatever cached it.
 */
const suspended = () => fail("forbidden", "This account is suspended; contact the operator", { reason: "account_suspended" });

/**
 * `forbidden` (reason `account_suspended`) while the account is suspended. Reads the account
 * snapshot that came with a bearer token when there is one (dropped from KV on suspension), else
 * a 60-second KV copy of the flag, else D1.
 */
export async function ensureActive(ctx: CoreContext, accountId: string): Promise<Result<void>> {
  const snapshot = sessionAccount(ctx, accountId);
  if (snapshot) return snapshot.suspended_at != null ? suspended() : ok(undefined);
  let isSuspended = await readCachedSuspension(ctx.kv, accountId);
  if (isSuspended === null) {
    isSuspended = (await findSuspension(ctx.db, accountId)) ?? false;
    const seen = isSuspended;
    // Suspension writes D1 then the copy; a refill that raced it re-reads D1 and drops its stale copy.
    ctx.defer(refillThenConfirm(() => cacheSuspension(ctx.kv, accountId, seen), async () => (await findSuspension(ctx.db, accountId)) === seen, () => forgetSuspension(ctx.kv, accountId)));
  }
  return isSuspended ? suspended() : ok(undefined);
}

/**
 * Suspends (`suspend` true) or reinstates the account, with its audit entry in the same batch;
 * `conflict` when it already is so. Then the caches: the flag's copy, and the token snapshots.
 */
export async function setSuspension(ctx: CoreContext, accountId: string, suspend: boolean, audit: { actor: string; reason: string }): Promise<Result<AccountRow>> {
  const now = ctx.clock.now();
  const at = suspend ? now : null;
  const change = {
    actor: audit.actor,
    action: suspend ? "account.suspend" : "account.reinstate",
    target: `account:${accountId}`,
    before: { suspended: !suspend },
    after: { suspended: suspend },
    reason: audit.reason,
  } as const;
  const [updated] = await ctx.db.batch<AccountRow>([
    setSuspendedStatement(ctx.db, accountId, at, now),
    auditStatement(ctx, change, undefined, suspensionChanged(accountId, at)),
  ]);
  const row = updated!.results[0];
  if (!row) {
    if (!(await findAccount(ctx.db, accountId))) return fail("not_found", "Account not found");
    return fail("conflict", suspend ? "The account is already suspended" : "The account is not suspended");
  }
  await cacheSuspension(ctx.kv, accountId, suspend);
  await forgetAccountSessions(ctx, accountId);
  ctx.log.log("info", change.action === "account.suspend" ? "account_suspended" : "account_reinstated", { account_id: accountId, actor: audit.actor });
  return ok(row);
}
