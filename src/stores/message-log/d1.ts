import { MESSAGE_COLUMNS as COLUMNS, STATUS_RANK as RANK, type CampaignStatusCounts, type InboundRecord, type LogDetail, type MessageLog, type MessageRow, type NewMessage, type SendOutcome, type StatusChange, type TimelineStep } from "./model";
import { listD1Log } from "./d1-list";

/**
 * The message log in D1 (tables messages, inbound_messages, contacts; a message's timeline is
 * read from its processed status events in meta_events).
 */
/** SQL on the row: a status of rank ?5 moves it. failed may only follow accepted or sent; the others only move to a higher rank. */
const movesForward = (status: StatusChange["status"]) =>
  `status != 'failed' AND (CASE status ${rankCase()} END) ${status === "failed" ? "IN (1, 2) AND ?5 > 0" : "< ?5"}`;

const rankCase = () =>
  Object.entries(RANK)
    .map(([s, r]) => `WHEN '${s}' THEN ${r}`)
    .join(" ");

export function d1MessageLog(db: D1Database): MessageLog {
  const insert = (m: NewMessage, outcome?: SendOutcome) => {
    const status = outcome ? ("wamid" in outcome ? "accepted" : "failed") : "pending";
    return db
      .prepare(
        `INSERT INTO messages (${COLUMNS})
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      )
      .bind(
        m.id, m.account_id, m.phone_number_id, m.upstream, m.to_input, m.wa_id, m.type, m.category,
        outcome && "wamid" in outcome ? outcome.wamid : null, status, outcome && "error" in outcome ? outcome.error : null,
        m.hold_reference, m.charge_currency, m.charge_amount, m.client_data, m.campaign_id, m.created_at, m.created_at,
      );
  };
  // Nothing can come between finding the message and moving it: the guard decides per column
  // (SET expressions all read the row as it was), so the row is answered even when unchanged.
  const applyStatement = (c: StatusChange) => {
    const guard = `(${movesForward(c.status)})`;
    return db
      .prepare(
        `UPDATE messages SET status = CASE WHEN ${guard} THEN ?1 ELSE status END, error = CASE WHEN ${guard} THEN COALESCE(?2, error) ELSE error END,
         updated_at = CASE WHEN ${guard} THEN ?3 ELSE updated_at END, pricing = COALESCE(pricing, ?6)
         WHERE wamid = ?4 RETURNING ${COLUMNS}`,
      )
      .bind(c.status, c.error ?? null, c.at, c.wamid, RANK[c.status], c.pricing ? JSON.stringify(c.pricing) : null);
  };
  return {
    async recordSends(sends) {
      if (sends.length) await db.batch(sends.map((s) => insert(s.message, s.outcome)));
    },

    recordSendsThen: (sends, writes) => writes(sends.map((s) => insert(s.message, s.outcome))),

    async settleSend(_phoneNumberId, id, outcome, at) {
      const statement =
        "wamid" in outcome
          ? db.prepare("UPDATE messages SET status = 'accepted', wamid = ?, updated_at = ? WHERE id = ? AND status = 'pending'").bind(outcome.wamid, at, id)
          : db.prepare("UPDATE messages SET status = 'failed', error = ?, updated_at = ? WHERE id = ? AND status = 'pending'").bind(outcome.error, at, id);
      const result = await statement.run();
      // D1 keeps no early statuses of its own: their events may be waiting in meta_events.
      return result.meta.changes ? { kind: "settled", mayHaveEarlyStatuses: "wamid" in outcome } : { kind: "not_pending" };
    },

    async applyStatus(change) {
      const message = await applyStatement(change).first<MessageRow>();
      return message ? { kind: "recorded", message } : { kind: "not_found" };
    },

    byWamid: (_phoneNumberId, wamid) => db.prepare(`SELECT ${COLUMNS} FROM messages WHERE wamid = ?`).bind(wamid).first<MessageRow>(),

    async byWamids(_phoneNumberId, wamids) {
      if (!wamids.length) return [];
      const { results } = await db.prepare(`SELECT ${COLUMNS} FROM messages WHERE wamid IN (SELECT value FROM json_each(?))`).bind(JSON.stringify(wamids)).all<MessageRow>();
      return results;
    },

    byId: (accountId, id) => db.prepare(`SELECT ${COLUMNS} FROM messages WHERE account_id = ? AND id = ?`).bind(accountId, id).first<MessageRow>(),

    async failStale(before, error, at, limit) {
      const { results } = await db
        .prepare(
          `UPDATE messages SET status = 'failed', error = ?1, updated_at = ?2
           WHERE id IN (SELECT id FROM messages WHERE status = 'pending' AND created_at <= ?3 LIMIT ?4) AND status = 'pending'
           RETURNING ${COLUMNS}`,
        )
        .bind(error, at, before, limit)
        .all<MessageRow>();
      return results;
    },

    async sends(accountId, limit) {
      const { results } = await db.prepare(`SELECT ${COLUMNS} FROM messages WHERE account_id = ? ORDER BY created_at, rowid LIMIT ?`).bind(accountId, limit).all<MessageRow>();
      return results;
    },

    // A campaign's messages are its recipients' message ids: read on both primary keys (messages.campaign_id has no index).
    async campaignCounts(_phoneNumberId, campaignId) {
      const row = await db
        .prepare(
          `SELECT COALESCE(SUM(m.status IN ('delivered', 'read')), 0) AS delivered, COALESCE(SUM(m.status = 'read'), 0) AS read,
                  COALESCE(SUM(m.status = 'failed' AND m.wamid IS NOT NULL), 0) AS failedAfterAccepted
           FROM campaign_recipients r JOIN messages m ON m.id = r.message_id WHERE r.campaign_id = ?`,
        )
        .bind(campaignId)
        .first<CampaignStatusCounts>();
      return row!;
    },

    async hasSentTo(accountId, phoneNumberId, waId) {
      const row = await db.prepare("SELECT 1 AS yes FROM messages WHERE account_id = ? AND phone_number_id = ? AND wa_id = ? LIMIT 1").bind(accountId, phoneNumberId, waId).first();
      return row !== null;
    },

    async recordInbound(m: InboundRecord) {
      await db.batch([
        db
          .prepare(
            `INSERT INTO inbound_messages (wamid, account_id, phone_number_id, from_wa_id, profile_name, type, content, media_id, sent_at, received_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (wamid) DO NOTHING`,
          )
          .bind(m.wamid, m.account_id, m.phone_number_id, m.from_wa_id, m.profile_name, m.type, m.content, m.media_id, m.sent_at, m.received_at),
        // Keeps the latest time when messages arrive out of order.
        db
          .prepare(
            `INSERT INTO contacts (phone_number_id, wa_id, last_inbound_at) VALUES (?, ?, ?)
             ON CONFLICT (phone_number_id, wa_id) DO UPDATE SET last_inbound_at = MAX(last_inbound_at, excluded.last_inbound_at)`,
          )
          .bind(m.phone_number_id, m.from_wa_id, m.sent_at),
      ]);
    },

    async wroteSince(phoneNumberId, waIds, since) {
      const { results } = await db
        .prepare("SELECT wa_id FROM contacts WHERE phone_number_id = ? AND wa_id IN (SELECT value FROM json_each(?)) AND last_inbound_at > ?")
        .bind(phoneNumberId, JSON.stringify(waIds), since)
        .all<{ wa_id: string }>();
      return results.map((r) => r.wa_id);
    },

    async lastInbound(accountId, waId, phoneNumberId) {
      const { results } = await db
        .prepare(
          `SELECT phone_number_id, MAX(sent_at) AS last_inbound_at FROM inbound_messages
           WHERE account_id = ?1 AND from_wa_id = ?2 AND (?3 IS NULL OR phone_number_id = ?3) GROUP BY phone_number_id ORDER BY phone_number_id`,
        )
        .bind(accountId, waId, phoneNumberId ?? null)
        .all<{ phone_number_id: string; last_inbound_at: number }>();
      return results;
    },

    inboundWithMedia: (accountId, mediaId) =>
      db
        .prepare("SELECT phone_number_id, type, content, received_at FROM inbound_messages WHERE media_id = ? AND account_id = ? ORDER BY received_at DESC LIMIT 1")
        .bind(mediaId, accountId)
        .first<{ phone_number_id: string; type: string; content: string; received_at: number }>(),

    list: (accountId, filter) => listD1Log(db, accountId, filter),

    async detail(accountId, id) {
      const sent = await db
        .prepare(
          `SELECT 'outbound' AS direction, id, wamid, phone_number_id, wa_id, to_input, type, status, error, charge_currency, charge_amount, NULL AS content,
                  created_at AS at, pricing, client_data, updated_at
           FROM messages WHERE account_id = ?1 AND ${id.startsWith("msg_") ? "id" : "wamid"} = ?2`,
        )
        .bind(accountId, id)
        .first<Omit<LogDetail, "timeline">>();
      if (sent) return { ...sent, timeline: await timelineOf(db, accountId, sent) };
      const received = await db
        .prepare(
          `SELECT 'inbound' AS direction, wamid AS id, wamid, phone_number_id, from_wa_id AS wa_id, NULL AS to_input, type, NULL AS status, NULL AS error,
                  NULL AS charge_currency, NULL AS charge_amount, content, received_at AS at, NULL AS pricing, NULL AS client_data, received_at AS updated_at
           FROM inbound_messages WHERE account_id = ? AND wamid = ?`,
        )
        .bind(accountId, id)
        .first<Omit<LogDetail, "timeline">>();
      return received ? { ...received, timeline: [{ status: "received", at: received.at, error: null }] } : null;
    },
  };
}

/** Written, then each status Meta reported (processed, in this account), in Meta's order of time. */
async function timelineOf(db: D1Database, accountId: string, m: Pick<LogDetail, "wamid" | "at">): Promise<TimelineStep[]> {
  const first: TimelineStep = { status: m.wamid ? "accepted" : "pending", at: m.at, error: null };
  if (!m.wamid) return [first];
  const { results } = await db
    .prepare(
      `SELECT body, received_at FROM meta_events WHERE event_key > 'status:' || ?1 || ':' AND event_key < 'status:' || ?1 || ';'
       AND account_id = ?2 AND state = 'processed'`,
    )
    .bind(m.wamid, accountId)
    .all<{ body: string; received_at: number }>();
  const steps = results.map((r) => {
    const item = (JSON.parse(r.body) as { item: { status: string; timestamp?: string; errors?: unknown[] } }).item;
    const seconds = Number(item.timestamp);
    return { status: item.status, at: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : r.received_at, error: item.errors?.[0] ?? null };
  });
  return [first, ...steps.sort((x, y) => x.at - y.at)];
}
