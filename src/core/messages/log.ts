import { DAY } from "../../lib/clock";
import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { chargeState } from "../../stores/money/holds";
import type { MessageStatus } from "./store";

/**
 * Reading an account's message log: its sends (with their status, error, charge and the timeline
 * of Meta's statuses) and what customers wrote, newest first, one account at a time (every query
 * is scoped by it). Cursor pages: `before` is the last item's cursor.
 */
type Direction = "outbound" | "inbound";

export interface LogEntry {
  direction: Direction;
  id: string;
  wamid: string | null;
  phone_number_id: string;
  /** The customer: the recipient of an outbound message, the sender of an inbound one. */
  wa_id: string;
  /** The recipient as the client wrote it (outbound). */
  to_input: string | null;
  type: string;
  status: MessageStatus | null;
  error: string | null;
  charge_currency: string | null;
  charge_amount: number | null;
  /** Meta's message object as received (inbound). */
  content: string | null;
  at: number;
}

export interface LogFilter {
  phoneNumberId?: string;
  waId?: string;
  status?: MessageStatus;
  direction?: Direction;
  since?: number;
  until?: number;
  before?: { at: number; id: string };
  limit: number;
}

/** Opaque to clients (base64url of `<ms>.<id>`): wamids may hold `+` and `/`, which a query string would mangle. */
export const cursorOf = (e: Pick<LogEntry, "at" | "id">) => btoa(`${e.at}.${e.id}`).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

export function parseCursor(cursor: string): { at: number; id: string } | null {
  let text: string;
  try {
    text = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return null;
  }
  const m = /^(\d{1,15})\.([\w.=+/-]{1,200})$/.exec(text);
  return m ? { at: Number(m[1]), id: m[2]! } : null;
}

export async function listLog(ctx: CoreContext, accountId: string, f: LogFilter): Promise<LogEntry[]> {
  const params = {
    account: accountId,
    number: f.phoneNumberId ?? null,
    waId: f.waId ?? null,
    status: f.status ?? null,
    direction: f.direction ?? null,
    since: f.since ?? 0,
    until: f.until ?? Number.MAX_SAFE_INTEGER,
    beforeAt: f.before?.at ?? Number.MAX_SAFE_INTEGER,
    beforeId: f.before?.id ?? "\uffff",
  };
  // Each side reads its own (account, time) index; the cursor is (time, id), newest first.
  const page = (at: string, id: string) => `${at} >= ?6 AND ${at} < ?7 AND (${at} < ?8 OR (${at} = ?8 AND ${id} < ?9))`;
  const { results } = await ctx.db
    .prepare(
      `SELECT * FROM (
         SELECT 'outbound' AS direction, id, wamid, phone_number_id, wa_id, to_input, type, status, error, charge_currency, charge_amount, NULL AS content, created_at AS at
         FROM messages WHERE account_id = ?1 AND (?2 IS NULL OR phone_number_id = ?2) AND (?3 IS NULL OR wa_id = ?3) AND (?4 IS NULL OR status = ?4)
           AND (?5 IS NULL OR ?5 = 'outbound') AND ${page("created_at", "id")}
         UNION ALL
         SELECT 'inbound', wamid, wamid, phone_number_id, from_wa_id, NULL, type, NULL, NULL, NULL, NULL, content, received_at
         FROM inbound_messages WHERE account_id = ?1 AND (?2 IS NULL OR phone_number_id = ?2) AND (?3 IS NULL OR from_wa_id = ?3) AND ?4 IS NULL
           AND (?5 IS NULL OR ?5 = 'inbound') AND ${page("received_at", "wamid")}
       ) ORDER BY at DESC, id DESC LIMIT ?10`,
    )
    .bind(params.account, params.number, params.waId, params.status, params.direction, params.since, params.until, params.beforeAt, params.beforeId, f.limit)
    .all<LogEntry>();
  return results;
}

interface TimelineStep {
  status: string;
  at: number;
  error: unknown;
}

export interface MessageDetail extends LogEntry {
  timeline: TimelineStep[];
  pricing: string | null;
  client_data: string | null;
  charge_state: { status: string; refunded: boolean } | null;
  updated_at: number;
}

/** One message of the account, by Tuma's id (`msg_…`) or Meta's wamid (outbound or inbound). */
export async function getLogEntry(ctx: CoreContext, accountId: string, id: string): Promise<Result<MessageDetail>> {
  const sent = await ctx.db
    .prepare(
      `SELECT 'outbound' AS direction, id, wamid, phone_number_id, wa_id, to_input, type, status, error, charge_currency, charge_amount, NULL AS content,
              created_at AS at, pricing, client_data, updated_at
       FROM messages WHERE account_id = ?1 AND ${id.startsWith("msg_") ? "id" : "wamid"} = ?2`,
    )
    .bind(accountId, id)
    .first<MessageDetail>();
  if (sent) {
    const charge = sent.charge_amount ? await chargeState(ctx.db, accountId, sent.id) : null;
    return ok({ ...sent, charge_state: charge, timeline: await timelineOf(ctx, accountId, sent) });
  }
  const received = await ctx.db
    .prepare(
      `SELECT 'inbound' AS direction, wamid AS id, wamid, phone_number_id, from_wa_id AS wa_id, NULL AS to_input, type, NULL AS status, NULL AS error,
              NULL AS charge_currency, NULL AS charge_amount, content, received_at AS at, NULL AS pricing, NULL AS client_data, received_at AS updated_at
       FROM inbound_messages WHERE account_id = ? AND wamid = ?`,
    )
    .bind(accountId, id)
    .first<MessageDetail>();
  if (!received) return fail("not_found", `No message ${id} in this account`);
  return ok({ ...received, charge_state: null, timeline: [{ status: "received", at: received.at, error: null }] });
}

/** Written, then each status Meta reported (processed, in this account), in Meta's order of time. */
async function timelineOf(ctx: CoreContext, accountId: string, m: MessageDetail): Promise<TimelineStep[]> {
  const first: TimelineStep = { status: m.wamid ? "accepted" : "pending", at: m.at, error: null };
  if (!m.wamid) return [first];
  const { results } = await ctx.db
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

export interface WindowState {
  phone_number_id: string;
  last_inbound_at: number;
  open: boolean;
  closes_at: number;
}

/** The 24-hour window of each of the account's numbers this customer wrote to (from the account's own inbound log). */
export async function windowsWith(ctx: CoreContext, accountId: string, waId: string, phoneNumberId?: string): Promise<WindowState[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT phone_number_id, MAX(sent_at) AS last_inbound_at FROM inbound_messages
       WHERE account_id = ?1 AND from_wa_id = ?2 AND (?3 IS NULL OR phone_number_id = ?3) GROUP BY phone_number_id ORDER BY phone_number_id`,
    )
    .bind(accountId, waId, phoneNumberId ?? null)
    .all<{ phone_number_id: string; last_inbound_at: number }>();
  const now = ctx.clock.now();
  return results.map((r) => ({ ...r, open: r.last_inbound_at + DAY > now, closes_at: r.last_inbound_at + DAY }));
}
