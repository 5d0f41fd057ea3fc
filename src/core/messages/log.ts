import { DAY } from "../../lib/clock";
import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { chargeState } from "../../stores/money/holds";
import type { LogDetail, LogEntry, LogFilter } from "../../stores/message-log/model";
import { messageLog } from "./store";

/**
 * Reading an account's message log: its sends (with their status, error, charge and the timeline
 * of Meta's statuses) and what customers wrote, newest first, one account at a time (every read
 * is scoped by it). Cursor pages: `before` is the last item's cursor.
 */
export type { LogEntry } from "../../stores/message-log/model";

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

export const listLog = (ctx: CoreContext, accountId: string, f: LogFilter): Promise<LogEntry[]> => messageLog(ctx).list(accountId, f);

export interface MessageDetail extends LogDetail {
  charge_state: { status: string; refunded: boolean } | null;
}

/** One message of the account, by Tuma's id (`msg_…`) or Meta's wamid (outbound or inbound). */
export async function getLogEntry(ctx: CoreContext, accountId: string, id: string): Promise<Result<MessageDetail>> {
  const entry = await messageLog(ctx).detail(accountId, id);
  if (!entry) return fail("not_found", `No message ${id} in this account`);
  const charge = entry.direction === "outbound" && entry.charge_amount ? await chargeState(ctx.db, accountId, entry.id) : null;
  return ok({ ...entry, charge_state: charge });
}

export interface WindowState {
  phone_number_id: string;
  last_inbound_at: number;
  open: boolean;
  closes_at: number;
}

/** The 24-hour window of each of the account's numbers this customer wrote to (from the account's own inbound log). */
export async function windowsWith(ctx: CoreContext, accountId: string, waId: string, phoneNumberId?: string): Promise<WindowState[]> {
  const latest = await messageLog(ctx).lastInbound(accountId, waId, phoneNumberId);
  const now = ctx.clock.now();
  return latest.map((r) => ({ ...r, open: r.last_inbound_at + DAY > now, closes_at: r.last_inbound_at + DAY }));
}
