import type { CoreContext } from "../../config/context";
import { queueEvents } from "./intake";

/** Events for numbers no account has (yet): kept, listed for the operator, re-processable. */
export interface UnroutedEvent {
  id: string;
  kind: string;
  phone_number_id: string;
  body: string;
  received_at: number;
}

export async function listUnrouted(ctx: CoreContext, limit = 100): Promise<UnroutedEvent[]> {
  const { results } = await ctx.db
    .prepare("SELECT id, kind, phone_number_id, body, received_at FROM meta_events WHERE state = 'unrouted' ORDER BY received_at DESC LIMIT ?")
    .bind(limit)
    .all<UnroutedEvent>();
  return results;
}

/** Processes the unrouted events of a number again (once it belongs to an account). */
export async function retryUnrouted(ctx: CoreContext, phoneNumberId: string): Promise<number> {
  const { results } = await ctx.db
    .prepare("UPDATE meta_events SET state = 'received' WHERE state = 'unrouted' AND phone_number_id = ? RETURNING id")
    .bind(phoneNumberId)
    .all<{ id: string }>();
  await queueEvents(ctx, results.map((r) => r.id));
  return results.length;
}
