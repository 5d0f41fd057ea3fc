import type { CoreContext } from "../../config/context";
import { queueEvents } from "./intake";

/**
 * Statuses that arrived before their send was recorded. Meta can post `sent` (or `failed`) for a
 * wamid before its answer to the send reaches Tuma; such an event is left `received`
 * (process.ts), and once the log has recorded the wamid its still-unprocessed status events are
 * read back and queued again (`wakeAwaitingStatuses`). The read comes after the record, so
 * whichever runs first, the status is applied: either processing finds the message, or this
 * read finds the event (still `received`).
 */

/** How long a status may wait for its send; after that its wamid was not sent through Tuma. */
export const AWAIT_SEND_MS = 5 * 60 * 1000;

/** Queues the still-unprocessed status events of these wamids, which the log has just recorded. */
export async function wakeAwaitingStatuses(ctx: CoreContext, wamids: string[]): Promise<void> {
  if (!wamids.length) return;
  // ';' sorts right after ':': the range is every key of the wamid (event_key `status:<wamid>:<status>`), on the UNIQUE index.
  const { results } = await ctx.db
    .prepare(
      `SELECT e.id FROM json_each(?1) w JOIN meta_events e
       ON e.event_key > 'status:' || w.value || ':' AND e.event_key < 'status:' || w.value || ';'
       WHERE e.state = 'received'`,
    )
    .bind(JSON.stringify(wamids))
    .all<{ id: string }>();
  if (results.length) await queueEvents(ctx, results.map((r) => r.id));
}
