import { MESSAGE_COLUMNS as COLUMNS, STATUS_RANK as RANK, type CampaignStatusCounts, type InboundRecord, type LogDetail, type LogEntry, type LogFilter, type MessageRow, type MessageStatus, type NewMessage, type SendOutcome, type StatusChange } from "../stores/message-log/model";

/**
 * One number's message log in its Durable Object's SQLite: its sends with the timeline of their
 * statuses, what customers wrote to it, and each customer's last message (the 24-hour window).
 * The object runs one call at a time, so a number's events apply in order; a status that arrives
 * before its send is recorded is kept (`early_statuses`) and applied the moment the send records
 * its wamid, so no status is lost to that race. Each (message, status) step is recorded once.
 * Every read is scoped by account: the shared sandbox sender's log holds several accounts' sends.
 */
/** A status moves a message: failed only after accepted or sent; the others only to a higher rank. */
const movesForward = (from: MessageStatus, to: StatusChange["status"]) =>
  from !== "failed" && (to === "failed" ? from === "accepted" || from === "sent" : RANK[from] < RANK[to]);

interface EarlyStatus {
  status: StatusChange["status"];
  error: string | null;
  pricing: string | null;
  at: number;
  reported_at: number;
}

export function createMessageLogTables(sql: SqlStorage): void {
  sql.exec(`
    CREATE TABLE IF NOT EXISTS log_messages (
      id TEXT PRIMARY KEY, account_id TEXT NOT NULL, phone_number_id TEXT NOT NULL, upstream TEXT NOT NULL, to_input TEXT NOT NULL, wa_id TEXT NOT NULL,
      type TEXT NOT NULL, category TEXT NOT NULL, wamid TEXT UNIQUE, status TEXT NOT NULL, error TEXT, hold_reference TEXT, charge_currency TEXT,
      charge_amount INTEGER, client_data TEXT, campaign_id TEXT, pricing TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS log_messages_by_account ON log_messages(account_id, created_at);
    CREATE INDEX IF NOT EXISTS log_messages_pending ON log_messages(created_at) WHERE status = 'pending';
    CREATE INDEX IF NOT EXISTS log_messages_by_campaign ON log_messages(campaign_id) WHERE campaign_id IS NOT NULL;
    CREATE TABLE IF NOT EXISTS log_steps (message_id TEXT NOT NULL, status TEXT NOT NULL, at INTEGER NOT NULL, error TEXT, PRIMARY KEY (message_id, status));
    CREATE TABLE IF NOT EXISTS log_early_statuses (wamid TEXT NOT NULL, status TEXT NOT NULL, error TEXT, pricing TEXT, at INTEGER NOT NULL, reported_at INTEGER NOT NULL, PRIMARY KEY (wamid, status));
    CREATE TABLE IF NOT EXISTS log_inbound (
      wamid TEXT PRIMARY KEY, account_id TEXT NOT NULL, phone_number_id TEXT NOT NULL, from_wa_id TEXT NOT NULL, profile_name TEXT, type TEXT NOT NULL,
      content TEXT NOT NULL, media_id TEXT, sent_at INTEGER NOT NULL, received_at INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS log_inbound_by_account ON log_inbound(account_id, received_at);
    CREATE INDEX IF NOT EXISTS log_inbound_by_media ON log_inbound(media_id) WHERE media_id IS NOT NULL;
    CREATE TABLE IF NOT EXISTS log_contacts (wa_id TEXT PRIMARY KEY, last_inbound_at INTEGER NOT NULL);
  `);
}

/** The operations a caller may run on the log (the object's `messageLog` RPC). */
export type LogMethod = keyof MessageLogStore;

export class MessageLogStore {
  constructor(private readonly storage: DurableObjectStorage) {}

  private get sql(): SqlStorage {
    return this.storage.sql;
  }

  private all<T>(query: string, ...params: unknown[]): T[] {
    return this.sql.exec(query, ...params).toArray() as unknown as T[];
  }

  private one<T>(query: string, ...params: unknown[]): T | null {
    return this.all<T>(query, ...params)[0] ?? null;
  }

  recordSends(sends: { message: NewMessage; outcome?: SendOutcome }[]): void {
    this.storage.transactionSync(() => {
      for (const { message: m, outcome } of sends) {
        const wamid = outcome && "wamid" in outcome ? outcome.wamid : null;
        const status = outcome ? (wamid ? "accepted" : "failed") : "pending";
        const inserted = this.sql.exec(
          `INSERT INTO log_messages (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
          m.id, m.account_id, m.phone_number_id, m.upstream, m.to_input, m.wa_id, m.type, m.category, wamid, status,
          outcome && "error" in outcome ? outcome.error : null, m.hold_reference, m.charge_currency, m.charge_amount, m.client_data, m.campaign_id, m.created_at, m.created_at,
        ).rowsWritten;
        if (inserted && wamid) this.applyEarly(wamid);
      }
    });
  }

  settleSend(id: string, outcome: SendOutcome, at: number): { kind: "settled"; mayHaveEarlyStatuses: boolean } | { kind: "not_pending" } {
    return this.storage.transactionSync(() => {
      const changed =
        "wamid" in outcome
          ? this.sql.exec("UPDATE log_messages SET status = 'accepted', wamid = ?, updated_at = ? WHERE id = ? AND status = 'pending'", outcome.wamid, at, id).rowsWritten
          : this.sql.exec("UPDATE log_messages SET status = 'failed', error = ?, updated_at = ? WHERE id = ? AND status = 'pending'", outcome.error, at, id).rowsWritten;
      if (!changed) return { kind: "not_pending" as const };
      const early = "wamid" in outcome ? this.applyEarly(outcome.wamid) : 0;
      return { kind: "settled" as const, mayHaveEarlyStatuses: early > 0 };
    });
  }

  applyStatus(c: StatusChange): { kind: "recorded"; message: MessageRow } | { kind: "not_found" } {
    return this.storage.transactionSync(() => this.applyOne(c));
  }

  private applyOne(c: StatusChange): { kind: "recorded"; message: MessageRow } | { kind: "not_found" } {
    const message = this.byWamid(c.wamid);
    if (message) return { kind: "recorded", message: this.apply(message, this.early(c)) };
    // Kept until the send records this wamid, then applied (a wamid never sent through Tuma stays here: no sweep yet).
    const e = this.early(c);
    this.sql.exec(
      "INSERT INTO log_early_statuses (wamid, status, error, pricing, at, reported_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      c.wamid, e.status, e.error, e.pricing, e.at, e.reported_at,
    );
    return { kind: "not_found" };
  }

  private early(c: StatusChange): EarlyStatus {
    return { status: c.status, error: c.error ?? null, pricing: c.pricing ? JSON.stringify(c.pricing) : null, at: c.at, reported_at: c.reportedAt ?? c.at };
  }

  private apply(m: MessageRow, { status, error, pricing, at, reported_at }: EarlyStatus): MessageRow {
    this.sql.exec("INSERT INTO log_steps (message_id, status, at, error) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", m.id, status, reported_at, error);
    if (pricing) this.sql.exec("UPDATE log_messages SET pricing = COALESCE(pricing, ?) WHERE id = ?", pricing, m.id);
    if (!movesForward(m.status, status)) return m;
    this.sql.exec("UPDATE log_messages SET status = ?, error = COALESCE(?, error), updated_at = ? WHERE id = ?", status, error, at, m.id);
    return { ...m, status, error: error ?? m.error, updated_at: at };
  }

  /** The statuses that came before the send, in their order of rank; answers how many. */
  private applyEarly(wamid: string): number {
    const early = this.all<EarlyStatus>("SELECT status, error, pricing, at, reported_at FROM log_early_statuses WHERE wamid = ?", wamid);
    if (!early.length) return 0;
    early.sort((a, b) => RANK[a.status] - RANK[b.status]);
    // `apply` answers the row as it now is, so the message is read once, not once per status.
    let message = this.byWamid(wamid)!;
    for (const s of early) message = this.apply(message, s);
    this.sql.exec("DELETE FROM log_early_statuses WHERE wamid = ?", wamid);
    return early.length;
  }

  byWamid(wamid: string): MessageRow | null {
    return this.one<MessageRow>(`SELECT ${COLUMNS} FROM log_messages WHERE wamid = ?`, wamid);
  }

  byWamids(wamids: string[]): MessageRow[] {
    return this.all<MessageRow>(`SELECT ${COLUMNS} FROM log_messages WHERE wamid IN (SELECT value FROM json_each(?))`, JSON.stringify(wamids));
  }

  byId(accountId: string, id: string): MessageRow | null {
    return this.one<MessageRow>(`SELECT ${COLUMNS} FROM log_messages WHERE account_id = ? AND id = ?`, accountId, id);
  }

  sends(accountId: string, limit: number): MessageRow[] {
    return this.all<MessageRow>(`SELECT ${COLUMNS} FROM log_messages WHERE account_id = ? ORDER BY created_at, rowid LIMIT ?`, accountId, limit);
  }

  failStale(before: number, error: string, at: number, limit: number): MessageRow[] {
    return this.all<MessageRow>(
        `UPDATE log_messages SET status = 'failed', error = ?1, updated_at = ?2
         WHERE id IN (SELECT id FROM log_messages WHERE status = 'pending' AND created_at <= ?3 LIMIT ?4) RETURNING ${COLUMNS}`,
        error, at, before, limit,
      );
  }

  campaignCounts(campaignId: string): CampaignStatusCounts {
    return this.one<CampaignStatusCounts>(
      `SELECT COALESCE(SUM(status IN ('delivered', 'read')), 0) AS delivered, COALESCE(SUM(status = 'read'), 0) AS read,
              COALESCE(SUM(status = 'failed' AND wamid IS NOT NULL), 0) AS failedAfterAccepted
       FROM log_messages WHERE campaign_id = ?`,
      campaignId,
    )!;
  }

  hasSentTo(accountId: string, waId: string): boolean {
    return this.one("SELECT 1 AS yes FROM log_messages WHERE account_id = ? AND wa_id = ? LIMIT 1", accountId, waId) !== null;
  }

  recordInbound(m: InboundRecord): void {
    this.storage.transactionSync(() => {
      this.sql.exec(
        `INSERT INTO log_inbound (wamid, account_id, phone_number_id, from_wa_id, profile_name, type, content, media_id, sent_at, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (wamid) DO NOTHING`,
        m.wamid, m.account_id, m.phone_number_id, m.from_wa_id, m.profile_name, m.type, m.content, m.media_id, m.sent_at, m.received_at,
      );
      // Keeps the latest time when messages arrive out of order.
      this.sql.exec(
        "INSERT INTO log_contacts (wa_id, last_inbound_at) VALUES (?, ?) ON CONFLICT (wa_id) DO UPDATE SET last_inbound_at = MAX(last_inbound_at, excluded.last_inbound_at)",
        m.from_wa_id, m.sent_at,
      );
    });
  }

  wroteSince(waIds: string[], since: number): string[] {
    return this.all<{ wa_id: string }>("SELECT wa_id FROM log_contacts WHERE wa_id IN (SELECT value FROM json_each(?)) AND last_inbound_at > ?", JSON.stringify(waIds), since).map((r) => r.wa_id);
  }

  lastInbound(accountId: string, waId: string): { phone_number_id: string; last_inbound_at: number }[] {
    return this.all<{ phone_number_id: string; last_inbound_at: number }>(
        "SELECT phone_number_id, MAX(sent_at) AS last_inbound_at FROM log_inbound WHERE account_id = ? AND from_wa_id = ? GROUP BY phone_number_id",
        accountId, waId,
      );
  }

  inboundWithMedia(accountId: string, mediaId: string): Pick<InboundRecord, "phone_number_id" | "type" | "content" | "received_at"> | null {
    return this.one("SELECT phone_number_id, type, content, received_at FROM log_inbound WHERE media_id = ? AND account_id = ? ORDER BY received_at DESC LIMIT 1", mediaId, accountId);
  }

  list(accountId: string, f: LogFilter): LogEntry[] {
    const page = (at: string, id: string) => `${at} >= ?6 AND ${at} < ?7 AND (${at} < ?8 OR (${at} = ?8 AND ${id} < ?9))`;
    return this.all<LogEntry>(
        `SELECT * FROM (
           SELECT 'outbound' AS direction, id, wamid, phone_number_id, wa_id, to_input, type, status, error, charge_currency, charge_amount, NULL AS content, created_at AS at
           FROM log_messages WHERE account_id = ?1 AND (?2 IS NULL OR phone_number_id = ?2) AND (?3 IS NULL OR wa_id = ?3) AND (?4 IS NULL OR status = ?4)
             AND (?5 IS NULL OR ?5 = 'outbound') AND ${page("created_at", "id")}
           UNION ALL
           SELECT 'inbound', wamid, wamid, phone_number_id, from_wa_id, NULL, type, NULL, NULL, NULL, NULL, content, received_at
           FROM log_inbound WHERE account_id = ?1 AND (?2 IS NULL OR phone_number_id = ?2) AND (?3 IS NULL OR from_wa_id = ?3) AND ?4 IS NULL
             AND (?5 IS NULL OR ?5 = 'inbound') AND ${page("received_at", "wamid")}
         ) ORDER BY at DESC, id DESC LIMIT ?10`,
        accountId, f.phoneNumberId ?? null, f.waId ?? null, f.status ?? null, f.direction ?? null, f.since ?? 0, f.until ?? Number.MAX_SAFE_INTEGER,
        f.before?.at ?? Number.MAX_SAFE_INTEGER, f.before?.id ?? "\uffff", f.limit,
      );
  }

  detail(accountId: string, id: string): LogDetail | null {
    const sent = this.one<Omit<LogDetail, "timeline">>(
      `SELECT 'outbound' AS direction, id, wamid, phone_number_id, wa_id, to_input, type, status, error, charge_currency, charge_amount, NULL AS content,
              created_at AS at, pricing, client_data, updated_at
       FROM log_messages WHERE account_id = ?1 AND ${id.startsWith("msg_") ? "id" : "wamid"} = ?2`,
      accountId, id,
    );
    if (sent) {
      const steps = this.all<{ status: MessageStatus; at: number; error: string | null }>("SELECT status, at, error FROM log_steps WHERE message_id = ?", sent.id);
      steps.sort((a, b) => a.at - b.at || RANK[a.status] - RANK[b.status]);
      const first = { status: sent.wamid ? "accepted" : "pending", at: sent.at, error: null };
      return { ...sent, timeline: [first, ...steps.map((s) => ({ status: s.status, at: s.at, error: s.error ? (JSON.parse(s.error) as unknown) : null }))] };
    }
    const received = this.one<Omit<LogDetail, "timeline">>(
      `SELECT 'inbound' AS direction, wamid AS id, wamid, phone_number_id, from_wa_id AS wa_id, NULL AS to_input, type, NULL AS status, NULL AS error,
              NULL AS charge_currency, NULL AS charge_amount, content, received_at AS at, NULL AS pricing, NULL AS client_data, received_at AS updated_at
       FROM log_inbound WHERE account_id = ? AND wamid = ?`,
      accountId, id,
    );
    return received ? { ...received, timeline: [{ status: "received", at: received.at, error: null }] } : null;
  }
}
