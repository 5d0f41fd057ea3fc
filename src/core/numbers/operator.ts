import type { CoreContext } from "../../config/context";
import type { DeploymentState } from "../../durable/deployment-model";

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

export async function searchNumbers(ctx: CoreContext, q: string | undefined, limit: number): Promise<NumberListing[]> {
  const digits = (q ?? "").replace(/[\s()+.-]/g, "");
  const term = /^\d{1,20}$/.test(digits) ? digits : null;
  const { results } = await ctx.db
    .prepare(
      `SELECT id, account_id, cc, number, phone_number_id, state, detail, created_at, updated_at FROM deployments
       WHERE ?1 IS NULL OR phone_number_id = ?1 OR account_id = ?1 OR (cc || number) LIKE '%' || ?1 || '%'
       ORDER BY created_at DESC LIMIT ?2`,
    )
    .bind(term, limit)
    .all<{ id: string; account_id: string; cc: string; number: string; phone_number_id: string | null; state: DeploymentState; detail: string; created_at: number; updated_at: number }>();
  return results.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    cc: r.cc,
    number: r.number,
    phoneNumberId: r.phone_number_id,
    state: r.state,
    detail: r.detail,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
