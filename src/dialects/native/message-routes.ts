import * as z from "zod";
import { cursorOf, getLogEntry, listLog, parseCursor, windowsWith, type LogEntry, type MessageDetail } from "../../core/messages/log";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** The account's message log: one message with its timeline, a filtered list, one customer's conversation. */
const iso = (ms: number) => new Date(ms).toISOString();
const Time = z.union([z.iso.datetime({ offset: true }), z.coerce.number().int().min(0)]).transform((v) => (typeof v === "number" ? v : Date.parse(v)));
const Cursor = z.string().transform((c, ctx) => parseCursor(c) ?? (ctx.addIssue({ code: "custom", message: "must be a next_cursor from a previous page" }), z.NEVER));
const Status = z.enum(["pending", "accepted", "sent", "delivered", "read", "failed"]);

export const Entry = z.object({
  id: z.string().describe("Tuma's id (msg_…) of a send; the wamid of an inbound message"),
  direction: z.enum(["outbound", "inbound"]),
  wamid: z.string().nullable(),
  phone_number_id: z.string(),
  wa_id: z.string().describe("The customer: recipient of an outbound message, sender of an inbound one"),
  to: z.string().nullable().describe("The recipient as the send wrote it (outbound)"),
  type: z.string(),
  status: Status.nullable().describe("Outbound only"),
  error: z.record(z.string(), z.unknown()).nullable(),
  charge: z.object({ currency: z.string(), amount: z.number().int() }).nullable(),
  content: z.record(z.string(), z.unknown()).nullable().describe("Meta's message object as received (inbound)"),
  created_at: z.string(),
});
export const Detail = Entry.extend({
  timeline: z.array(z.object({ status: z.string(), at: z.string(), error: z.unknown() })).describe("accepted (or pending), then each status Meta reported, in Meta's order of time"),
  charge_state: z.object({ status: z.enum(["HELD", "POSTED", "VOIDED"]), refunded: z.boolean() }).nullable(),
  pricing: z.record(z.string(), z.unknown()).nullable(),
  client_data: z.record(z.string(), z.unknown()).nullable(),
  updated_at: z.string(),
});

const parsed = (text: string | null) => (text === null ? null : (JSON.parse(text) as Record<string, unknown>));

export function entryView(e: LogEntry) {
  return {
    id: e.id,
    direction: e.direction,
    wamid: e.wamid,
    phone_number_id: e.phone_number_id,
    wa_id: e.wa_id,
    to: e.to_input,
    type: e.type,
    status: e.status,
    error: parsed(e.error),
    charge: e.charge_currency && e.charge_amount ? { currency: e.charge_currency, amount: e.charge_amount } : null,
    content: parsed(e.content),
    created_at: iso(e.at),
  };
}

export function detailView(d: MessageDetail) {
  return {
    ...entryView(d),
    timeline: d.timeline.map((t) => ({ ...t, at: iso(t.at) })),
    charge_state: d.charge_state,
    pricing: parsed(d.pricing),
    client_data: parsed(d.client_data),
    updated_at: iso(d.updated_at),
  };
}

const errors = {
  400: { description: "Bad query", schema: NativeErrorSchema },
  401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
};

declareRoute({
  method: "get",
  operationId: "getMessage",
  path: "/api/v1/messages/{id}",
  tag: "Native: messages",
  summary: "One message of the account, by Tuma's id or Meta's wamid: status, timeline, error, charge",
  security: "bearer",
  responses: { 200: { description: "The message", schema: Detail }, 404: { description: "No such message in this account", schema: NativeErrorSchema }, 401: errors[401] },
});
nativeRouter.get("/messages/:id", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  // A wamid carries base64's + / =, which clients percent-encode (fetch.ts has refused malformed escapes).
  return json(detailView(unwrap(await getLogEntry(rc.core, accountId, decodeURIComponent(String(request.params.id))))));
});

const ListQuery = z.object({
  phone_number_id: z.string().max(30).optional(),
  recipient: z.string().regex(/^\+?[\d\s-]{5,20}$/).optional().describe("The customer's number (either direction)"),
  status: Status.optional().describe("Outbound messages in this status"),
  direction: z.enum(["outbound", "inbound"]).optional(),
  since: Time.optional(),
  until: Time.optional(),
  before: Cursor.optional().describe("Cursor: the next_cursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const Page = z.object({ messages: z.array(Entry), next_cursor: z.string().nullable() });

const listRoute = declareRoute({
  method: "get",
  operationId: "listMessages",
  path: "/api/v1/messages",
  tag: "Native: messages",
  summary: "The account's messages, sent and received, newest first",
  query: ListQuery,
  security: "bearer",
  responses: { 200: { description: "A page of messages", schema: Page }, ...errors },
});

nativeRouter.get("/messages", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { query: q } = await listRoute.read(request);
  const rows = await listLog(rc.core, accountId, {
    phoneNumberId: q.phone_number_id,
    waId: q.recipient?.replace(/\D/g, ""),
    status: q.status,
    direction: q.direction,
    since: q.since,
    until: q.until,
    before: q.before,
    limit: q.limit,
  });
  return json({ messages: rows.map(entryView), next_cursor: rows.length === q.limit ? cursorOf(rows[rows.length - 1]!) : null });
});

const ConversationQuery = ListQuery.pick({ phone_number_id: true, before: true, limit: true });
const Window = z.object({ phone_number_id: z.string(), last_inbound_at: z.string(), open: z.boolean(), closes_at: z.string() });

const conversationRoute = declareRoute({
  method: "get",
  operationId: "getConversation",
  path: "/api/v1/conversations/{wa_id}",
  tag: "Native: messages",
  summary: "One customer's conversation with the account: inbound and outbound, newest first, with each number's 24-hour window",
  query: ConversationQuery,
  security: "bearer",
  responses: { 200: { description: "The conversation", schema: z.object({ wa_id: z.string(), windows: z.array(Window), messages: z.array(Entry), next_cursor: z.string().nullable() }) }, ...errors },
});

nativeRouter.get("/conversations/:wa_id", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { query: q } = await conversationRoute.read(request);
  const waId = String(request.params.wa_id).replace(/\D/g, "");
  const rows = await listLog(rc.core, accountId, { phoneNumberId: q.phone_number_id, waId, before: q.before, limit: q.limit });
  const windows = await windowsWith(rc.core, accountId, waId, q.phone_number_id);
  return json({
    wa_id: waId,
    windows: windows.map((w) => ({ phone_number_id: w.phone_number_id, last_inbound_at: iso(w.last_inbound_at), open: w.open, closes_at: iso(w.closes_at) })),
    messages: rows.map(entryView),
    next_cursor: rows.length === q.limit ? cursorOf(rows[rows.length - 1]!) : null,
  });
});
