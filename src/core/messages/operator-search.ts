import type { CoreContext } from "../../config/context";
import { fail, ok, type Result } from "../../lib/errors";
import { getLogEntry, type MessageDetail } from "./log";

/**
 * The operator finds a message of any account by Tuma's id (msg_…), Meta's wamid, or the
 * customer's number (newest first), then reads it as its owner would (log.ts), timeline included.
 */
export async function findMessagesAnywhere(ctx: CoreContext, q: string, limit: number): Promise<{ accountId: string; message: MessageDetail }[]> {
  const term = q.trim();
  const waId = term.replace(/[\s()+.-]/g, "");
  const { results } = await ctx.db
    .prepare(
      `SELECT account_id, id, at FROM (
         SELECT account_id, id, created_at AS at FROM messages WHERE id = ?1 OR wamid = ?1 OR wa_id = ?2
         UNION ALL
         SELECT account_id, wamid, received_at FROM inbound_messages WHERE account_id IS NOT NULL AND (wamid = ?1 OR from_wa_id = ?2)
       ) ORDER BY at DESC LIMIT ?3`,
    )
    .bind(term, /^\d{6,20}$/.test(waId) ? waId : null, limit)
    .all<{ account_id: string; id: string }>();
  const found = await Promise.all(results.map(async (r) => ({ accountId: r.account_id, read: await getLogEntry(ctx, r.account_id, r.id) })));
  return found.flatMap((f) => (f.read.ok ? [{ accountId: f.accountId, message: f.read.value }] : []));
}

/** One message of any account, by id or wamid, with its owner. */
export async function findMessageAnywhere(ctx: CoreContext, id: string): Promise<Result<{ accountId: string; message: MessageDetail }>> {
  const owner = await ctx.db
    .prepare("SELECT account_id FROM messages WHERE id = ?1 OR wamid = ?1 UNION ALL SELECT account_id FROM inbound_messages WHERE wamid = ?1 AND account_id IS NOT NULL LIMIT 1")
    .bind(id)
    .first<{ account_id: string }>();
  if (!owner) return fail("not_found", `No message ${id}`);
  const read = await getLogEntry(ctx, owner.account_id, id);
  return read.ok ? ok({ accountId: owner.account_id, message: read.value }) : read;
}
