import type { CoreContext } from "../../config/context";
import { queueEvents } from "./intake";

/**
 * Statuses that arrived before their send was recorded. Meta can post `sent` (or `failed`) for a
 * wamid before its answer to the send reaches Tuma; such an event is left `received`
 * (process.ts), and the batch that records the wamid reads it back in the same transaction
 * (`awaitingStatusesStatement`), so whichever of the two commits first, the status is applied:
 * either processing finds the message, or the send finds the event.
 */

/** How long a status may wait for its send; after that its wamid was not sent through Tuma. */
export const AWAIT_SEND_MS = 5 * 60 * 1000;

/** Reads the ids of the still-unprocessed status events of these wamids (event_key `status:<wamid>:<status>`). */
export function awaitingStatusesStatement(ctx: CoreContext, wamids: string[]): D1PreparedStatement {
  // ';' sorts right after ':': the range is every key of the wamid, on the UNIQUE index.
  return ctx.db
    .prepare(
      `SELECT e.id FROM json_each(?1) w JOIN meta_events e
       ON e.event_key > 'status:' || w.value || ':' AND e.event_key < 'status:' || w.value || ';'
       WHERE e.state = 'received'`,
    )
    .bind(JSON.stringify(wamids));
}

/** Queues the events `awaitingStatusesStatement` found (after its batch committed). */
export async function wakeAwaitingStatuses(ctx: CoreContext, found: D1Result<{ id: string }> | undefined): Promise<void> {
  const ids = found?.results.map((r) => r.id) ?? [];
  if (ids.length) await queueEvents(ctx, ids);
}
