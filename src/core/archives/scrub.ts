import type { CoreContext } from "../../config/context";
import { DAY } from "../../lib/clock";

/**
 * Message bodies kept for MESSAGE_BODY_RETENTION_DAYS only: what a customer wrote (an inbound
 * message's content and profile name, the Meta event's message object, a delivered event's
 * content) is removed; ids, numbers, types and times stay until RETENTION_DAYS. Outbound messages
 * keep no body in hot storage. Rows still in flight (an event not yet processed, a delivery still
 * being attempted) are left until they are done. Oldest first, bounded per run.
 */
const SCRUB_ROWS_PER_TABLE = 1000;

// The message events to scrub this run: done (processed, and none of their deliveries still
// being attempted). Both statements below choose the same ones, in one transaction.
const CHOSEN_EVENTS = `SELECT e.rowid FROM meta_events e WHERE e.scrubbed = 0 AND e.kind = 'message' AND e.received_at < ?1 AND e.state != 'received'
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.state = 'pending') ORDER BY e.received_at, e.id LIMIT ?2`;

const SCRUBS = [
  `UPDATE inbound_messages SET content = json_object('type', type), profile_name = NULL, scrubbed = 1
   WHERE rowid IN (SELECT rowid FROM inbound_messages WHERE scrubbed = 0 AND received_at < ?1 ORDER BY received_at LIMIT ?2)`,
  `UPDATE deliveries SET event = json_set(event, '$.message.content', json_object('type', event ->> '$.message.type'), '$.message.profile_name', NULL)
   WHERE event ->> '$.type' = 'message.received' AND event_id IN (SELECT id FROM meta_events WHERE rowid IN (${CHOSEN_EVENTS}))`,
  // The message object keeps id, from, timestamp and type; its content is the member named by its type.
  `UPDATE meta_events SET scrubbed = 1, body = json_remove(body, '$.contact.profile', '$.item.' || (body ->> '$.item.type'), '$.item.context')
   WHERE rowid IN (${CHOSEN_EVENTS})`,
];

export const bodiesKeptLess = (ctx: CoreContext) => ctx.config.MESSAGE_BODY_RETENTION_DAYS < ctx.config.RETENTION_DAYS;

/** The cron's job: rows scrubbed this run (none while bodies are kept as long as the records). */
export async function scrubOldBodies(ctx: CoreContext): Promise<number> {
  if (!bodiesKeptLess(ctx)) return 0;
  const before = ctx.clock.now() - ctx.config.MESSAGE_BODY_RETENTION_DAYS * DAY;
  const results = await ctx.db.batch(SCRUBS.map((sql) => ctx.db.prepare(sql).bind(before, SCRUB_ROWS_PER_TABLE)));
  return results.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}
