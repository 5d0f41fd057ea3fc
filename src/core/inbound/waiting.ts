import type { CoreContext } from "../../config/context";
import { queueEvents } from "./intake";

/**
 * Statuses that arrived before their send was recorded. Meta can post `sent` (or `failed`) for a
 * wamid before its answer to the send reaches Tuma; such an event is left `received`
 * (process.ts), and once the log has recorded the wamid its still-unprocessed status events are
 * read back and queued again (`wakeAwaitingStatuses`, or with a batch of writes that follow the record:
 * `batchWakingAwaitingStatuses`). The read comes after the record, so
 * whichever runs first, the status is applied: either processing finds the message, or this
 * read finds the event (still `received`).
 */

/** How long a status may wait for its send; after that its wamid was not sent through Tuma. */
export const AWAIT_SEND_MS = 5 * 60 * 1000;

/**
 * Runs `statements` (D1 writes that come after the log recorded these wamids: a campaign group's
 * recipients and holds) in one batch with the read of the wamids' still-unprocessed status
 * events, then queues those events: one round trip for both.
 */
export async function batchWakingAwaitingStatuses(ctx: CoreContext, statements: D1PreparedStatement[], wamids: string[]): Promise<void> {
  if (!wamids.length) {
    if (statements.length) await ctx.db.batch(statements);
    return;
  }
  // ';' sorts right after ':': the range is every key of the wamid (event_key `status:<wamid>:<status>`), on the UNIQUE index.
  const awaiting = ctx.db
    .prepare(
      `SELECT e.id FROM json_each(?1) w JOIN meta_events e
       ON e.event_key > 'status:' || w.value || ':' AND e.event_key < 'status:' || w.value || ';'
       WHERE e.state = 'received'`,
    )
    .bind(JSON.stringify(wamids));
  const results = await ctx.db.batch<{ id: string }>([...statements, awaiting]);
  const ids = results.at(-1)?.results.map((r) => r.id) ?? [];
  if (ids.length) await queueEvents(ctx, ids);
}

/** Queues the still-unprocessed status events of these wamids, which the log has just recorded. */
export function wakeAwaitingStatuses(ctx: CoreContext, wamids: string[]): Promise<void> {
  return batchWakingAwaitingStatuses(ctx, [], wamids);
}
