import type { CoreContext } from "../../config/context";
import { queueEvents } from "./intake";

/**
 * Statuses that arrived before their send was recorded. Meta can post `sent` (or `failed`) for a
 * wamid before its answer to the send reaches Tuma; such an event is left `received`
 * (process.ts), and the batch that records the wamid reads it back in the same transaction
 * (`batchWakingAwaitingStatuses`), so whichever of the two commits first, the status is applied:
 * either processing finds the message, or the send finds the event.
 */

/** How long a status may wait for its send; after that its wamid was not sent through Tuma. */
export const AWAIT_SEND_MS = 5 * 60 * 1000;

/**
 * Runs `statements` (which record these wamids) in one batch together with the read of their
 * still-unprocessed status events, then queues those events once the batch has committed.
 */
export async function batchWakingAwaitingStatuses(ctx: CoreContext, statements: D1PreparedStatement[], wamids: string[]): Promise<void> {
  if (!wamids.length) {
    if (statements.length) await ctx.db.batch(statements);
    return;
  }
  const results = await ctx.db.batch<{ id: string }>([...statements, awaitingStatusesStatement(ctx, wamids)]);
  const ids = results.at(-1)?.results.map((r) => r.id) ?? [];
  if (ids.length) await queueEvents(ctx, ids);
}

/** Reads the ids of the still-unprocessed status events of these wamids (event_key `status:<wamid>:<status>`). */
function awaitingStatusesStatement(ctx: CoreContext, wamids: string[]): D1PreparedStatement {
  // ';' sorts right after ':': the range is every key of the wamid, on the UNIQUE index.
  return ctx.db
    .prepare(
      `SELECT e.id FROM json_each(?1) w JOIN meta_events e
       ON e.event_key > 'status:' || w.value || ':' AND e.event_key < 'status:' || w.value || ';'
       WHERE e.state = 'received'`,
    )
    .bind(JSON.stringify(wamids));
}
