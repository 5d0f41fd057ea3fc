import type { CoreContext } from "../../../config/context";
import { fail, ok, type Result } from "../../../lib/errors";
import { findDeposit, type DepositRow } from "../../../stores/money/deposits";
import { countPendingDeposits, findDepositPage, findDepositsPerDay } from "../../../stores/money/deposit-lists";
import { refreshDeposit, type Refreshed } from "./refresh";

/** Opaque cursor of a deposit list: base64url of `<created_at>.<id>`. */
const cursorOf = (d: DepositRow) => btoa(`${d.created_at}.${d.id}`).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

function parseCursor(cursor: string): { at: number; id: string } | null {
  try {
    const m = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(atob(cursor.replaceAll("-", "+").replaceAll("_", "/")));
    return m ? { at: Number(m[1]), id: m[2]! } : null;
  } catch {
    return null;
  }
}

export interface DepositPage {
  deposits: DepositRow[];
  nextCursor: string | null;
}

/**
 * A page of deposits, newest first: one account's (`accountId`), or every account's (the
 * operator), optionally of one status.
 */
export async function listDeposits(
  ctx: CoreContext,
  f: { accountId?: string; status?: DepositRow["status"]; cursor?: string; limit: number },
): Promise<Result<DepositPage>> {
  const before = f.cursor === undefined ? undefined : parseCursor(f.cursor);
  if (before === null) return fail("invalid_request", "Invalid cursor", { issues: [{ field: "cursor", kind: "invalid_format", reason: "must be a next_cursor from a previous page" }] });
  const rows = await findDepositPage(ctx.db, { accountId: f.accountId, status: f.status, before, limit: f.limit + 1 });
  const deposits = rows.slice(0, f.limit);
  return ok({ deposits, nextCursor: rows.length > f.limit ? cursorOf(deposits[deposits.length - 1]!) : null });
}

/** Completed deposits per UTC day and currency, and the pending count (the operator's overview). */
export async function depositFigures(ctx: CoreContext, since: number) {
  const [perDay, pending] = await Promise.all([findDepositsPerDay(ctx.db, since), countPendingDeposits(ctx.db)]);
  return { perDay, pending };
}

/** The operator's "check now": asks the provider about any account's pending deposit, as `verify` does for its owner. */
export async function checkDeposit(ctx: CoreContext, id: string): Promise<Result<Refreshed>> {
  const deposit = await findDeposit(ctx.db, id);
  if (!deposit) return fail("not_found", `No deposit ${id}`);
  if (deposit.status === "COMPLETED" || deposit.status === "FAILED") return ok({ deposit, credited: false });
  return ok(await refreshDeposit(ctx, id));
}
