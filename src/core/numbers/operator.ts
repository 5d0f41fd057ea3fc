import type { CoreContext } from "../../config/context";
import type { DeploymentState, HistoryEntry } from "../../durable/deployment-model";
import { fail, ok, type Result } from "../../lib/errors";
import { deploymentHistory } from "./numbers";

/** The operator's search over every account's numbers: by number (any part of the digits), phone_number_id or account. */
export interface NumberListing {
  id: string;
  accountId: string;
  cc: string;
  number: string;
  phoneNumberId: string | null;
  state: DeploymentState;
  detail: string;
  createdAt: number;
  updatedAt: number;
}

const COLUMNS = "id, account_id, cc, number, phone_number_id, state, detail, created_at, updated_at";
type Row = { id: string; account_id: string; cc: string; number: string; phone_number_id: string | null; state: DeploymentState; detail: string; created_at: number; updated_at: number };
const listingOf = (r: Row): NumberListing => ({
  id: r.id,
  accountId: r.account_id,
  cc: r.cc,
  number: r.number,
  phoneNumberId: r.phone_number_id,
  state: r.state,
  detail: r.detail,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function searchNumbers(ctx: CoreContext, q: string | undefined, limit: number): Promise<NumberListing[]> {
  const digits = (q ?? "").replace(/[\s()+.-]/g, "");
  const term = /^\d+$/.test(digits) ? digits : null;
  const { results } = await ctx.db
    .prepare(
      `SELECT ${COLUMNS} FROM deployments
       WHERE ?1 IS NULL OR phone_number_id = ?1 OR account_id = ?1 OR (cc || number) LIKE '%' || ?1 || '%'
       ORDER BY created_at DESC LIMIT ?2`,
    )
    .bind(term, limit)
    .all<Row>();
  return results.map(listingOf);
}

/** Any account's number with its state history (the Deployment object's), oldest first, and the throughput it paces campaigns at. */
export async function numberWithHistory(
  ctx: CoreContext,
  deploymentId: string,
): Promise<Result<{ number: NumberListing; history: HistoryEntry[]; messagesPerSecond: number }>> {
  const row = await ctx.db.prepare(`SELECT ${COLUMNS} FROM deployments WHERE id = ?`).bind(deploymentId).first<Row>();
  if (!row) return fail("not_found", `No number ${deploymentId}`);
  const [history, messagesPerSecond] = await Promise.all([
    deploymentHistory(ctx, row.account_id, deploymentId),
    ctx.env.DEPLOYMENTS.get(ctx.env.DEPLOYMENTS.idFromName(row.id)).throughput(),
  ]);
  return history.ok ? ok({ number: listingOf(row), history: history.value, messagesPerSecond }) : history;
}
