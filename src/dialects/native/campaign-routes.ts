import * as z from "zod";
import { cancelCampaign, getCampaign, pauseCampaign, resumeCampaign } from "../../core/campaigns/control";
import { createCampaign } from "../../core/campaigns/create";
import { listCampaigns, listRecipients } from "../../core/campaigns/list";
import { MAX_RECIPIENTS } from "../../core/campaigns/model";
import type { CampaignView } from "../../core/campaigns/progress";
import { setThroughput } from "../../core/campaigns/throughput";
import { languageCode, templateComponent, templateName } from "../../core/messages/canonical";
import { MAX_MPS } from "../../durable/pacer";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { formatAmount, type Currency } from "../../lib/money";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

const Parameters = z.array(z.union([z.string().min(1), z.number().transform(String)])).max(100);
const METADATA_MAX_CHARS = 4096;

const NewCampaign = z
  .strictObject({
    phone_number_id: z.string().regex(/^\d{5,20}$/, "must be a numeric id").optional().describe("The sending number; default: the account's only READY number"),
    template: z
      .strictObject({ name: templateName, language: languageCode, components: z.array(templateComponent).max(20).optional().describe("Meta's send components: header (text or media), body, buttons (url, quick_reply, copy_code), with text, currency, date_time, media… parameters") })
      .optional()
      .describe("A template; or give `message`"),
    message: z
      .object({ type: z.string().min(1) })
      .catchall(z.unknown())
      .refine((m) => !("to" in m), { message: "must not name a recipient: recipients go in `recipients`", path: ["to"] })
      .optional()
      .describe("Any message a single send can be, as Meta's message object without `to` (text, image, document, audio, video, interactive, location, template…). A free-form one goes only to recipients inside their 24-hour window; the others are refused (state `refused`, reason `window_closed`), never charged"),
    parameters: Parameters.optional().describe("Template body parameters for every recipient that has none of its own"),
    recipients: z
      .array(z.union([z.string().min(1).max(32), z.strictObject({ to: z.string().min(1).max(32), parameters: Parameters.optional() })]))
      .min(1, "must name a recipient")
      .max(MAX_RECIPIENTS, `must name at most ${MAX_RECIPIENTS} recipients`)
      .describe("Phone numbers, or {to, parameters} with each one's own template body parameters"),
    metadata: z
      .record(z.string(), z.unknown())
      .refine((m) => JSON.stringify(m).length <= METADATA_MAX_CHARS, { message: `must be at most ${METADATA_MAX_CHARS} characters of JSON` })
      .optional()
      .describe("Yours, echoed as client_data in every recipient's message.status events and in campaign.completed"),
    start_at: z.iso.datetime({ offset: true }).optional().describe("ISO 8601; nothing is sent before (default now, at most 30 days ahead)"),
    sandbox: z.boolean().optional().describe("Send through the sandbox whatever the number's upstream"),
  })
  .refine((b) => (b.template === undefined) !== (b.message === undefined), { message: "must have exactly one of template or message", path: ["message"] });

const Counts = z.object({
  queued: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  failed: z.number().int(),
  refused: z.number().int().describe("Refused before any call: outside the 24-hour window for a free-form message; never charged"),
  cancelled: z.number().int(),
});
const Money = z.object({ amount: z.string(), currency: z.string() });

export const CampaignSchema = z.object({
  id: z.string(),
  state: z.enum(["scheduled", "running", "paused", "cancelled", "done"]),
  phone_number_id: z.string(),
  type: z.string().describe("The message's type"),
  template: z.object({ name: z.string(), language: z.string() }).nullable().describe("Null for a free-form message"),
  category: z.string(),
  total: z.number().int(),
  counts: Counts,
  price_per_message: Money.nullable(),
  charged: Money.nullable().describe("What it has cost so far: messages accepted and not refunded × the price"),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  start_at: z.string(),
  first_sent_at: z.string().nullable(),
  last_sent_at: z.string().nullable(),
  rate_per_second: z.number().nullable().describe("Messages per second achieved, first to last sent"),
  created_at: z.string(),
}).meta({ id: "Campaign" });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const money = (m: { amount: number; currency: Currency } | null) => (m ? { amount: formatAmount(m.amount, m.currency), currency: m.currency } : null);

export function campaignJson(c: CampaignView) {
  return {
    id: c.id,
    state: c.state,
    phone_number_id: c.phoneNumberId,
    type: c.type,
    template: c.template,
    category: c.category,
    total: c.total,
    counts: c.counts,
    price_per_message: money(c.charge),
    charged: money(c.charged),
    metadata: c.clientData,
    start_at: iso(c.startAt)!,
    first_sent_at: iso(c.firstSentAt),
    last_sent_at: iso(c.lastSentAt),
    rate_per_second: c.rate,
    created_at: iso(c.createdAt)!,
  };
}

/** A canonical path as the request wrote it: under `message`, or the `template` shorthand (whose language is a plain code). */
function nativeField(usedMessage: boolean) {
  return (path: string, index?: number) => {
    if (index !== undefined) return `recipients[${index}].${path}`;
    if (path === "to" || path === "parameters" || path === "phone_number_id" || path === "start_at") return path;
    if (usedMessage) return path ? `message.${path}` : "message";
    return path.startsWith("template.language") ? "template.language" : path;
  };
}

/** The `Idempotency-Key` header. */
const IdempotencyKey = z.string().optional().describe("Makes a retry answer what the first request created");
const createRoute = declareRoute({
  method: "post",
  path: "/api/v1/campaigns",
  operationId: "createCampaign",
  tag: "Native: campaigns",
  summary: "Send one message (a template, or any free-form message) to many recipients, paced at the number's throughput",
  description:
    "Answers at once with the campaign; the messages go out through the queue. Every recipient is checked, as a single send is, and the whole campaign priced first: " +
    "an account that cannot pay for all of it gets 402 and nothing is held or sent. Each recipient gets the message at most once (the same digits twice count once). " +
    "An Idempotency-Key header makes a retry answer the campaign it created; the same key with a different request answers 409.",
  security: "bearer",
  headers: z.object({ "Idempotency-Key": IdempotencyKey }),
  body: NewCampaign,
  responses: {
    202: { description: "Created and queued", schema: CampaignSchema.extend({ duplicates: z.number().int(), replayed: z.boolean() }) },
    200: { description: "Replayed (same Idempotency-Key)", schema: CampaignSchema.extend({ duplicates: z.number().int(), replayed: z.boolean() }) },
    400: { description: "Invalid template, recipient or parameters", schema: NativeErrorSchema },
    402: { description: "Insufficient funds for every recipient, or no active plan", schema: NativeErrorSchema },
    404: { description: "Unknown number or template", schema: NativeErrorSchema },
    409: { description: "This Idempotency-Key was used for a different campaign", schema: NativeErrorSchema },
  },
});
nativeRouter.post("/campaigns", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { headers, body } = await createRoute.read(request);
  const t = body.template;
  const created = unwrap(
    await createCampaign(rc.core, {
      accountId,
      phoneNumberId: body.phone_number_id ?? null,
      message: t ? { type: "template", template: { name: t.name, language: { code: t.language }, ...(t.components ? { components: t.components } : {}) } } : body.message!,
      recipients: body.recipients.map((r) => (typeof r === "string" ? { to: r, parameters: body.parameters } : { to: r.to, parameters: r.parameters ?? body.parameters })),
      clientData: body.metadata ?? null,
      startAt: body.start_at ? Date.parse(body.start_at) : null,
      requestKey: headers["Idempotency-Key"] ?? null,
      forceSandbox: body.sandbox ?? false,
      fieldName: nativeField(!t),
    }),
  );
  return json({ ...campaignJson(created.campaign), duplicates: created.duplicates, replayed: created.replayed }, created.replayed ? 200 : 202);
});

const ListQuery = z.strictObject({
  state: CampaignSchema.shape.state.optional(),
  cursor: z.string().min(1).max(200).optional().describe("The next_cursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const listRoute = declareRoute({
  method: "get",
  operationId: "listCampaigns",
  path: "/api/v1/campaigns",
  tag: "Native: campaigns",
  summary: "The account's campaigns, newest first, with their progress",
  query: ListQuery,
  security: "bearer",
  responses: {
    200: { description: "A page of campaigns", schema: z.object({ campaigns: z.array(CampaignSchema), next_cursor: z.string().nullable() }) },
    400: { description: "Bad query or cursor", schema: NativeErrorSchema },
  },
});

nativeRouter.get("/campaigns", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { query: q } = await listRoute.read(request);
  const page = unwrap(await listCampaigns(rc.core, accountId, q));
  return json({ campaigns: page.campaigns.map(campaignJson), next_cursor: page.nextCursor });
});

nativeRouter.get("/campaigns/:id", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  return json(campaignJson(unwrap(await getCampaign(rc.core, accountId, String(request.params.id)))));
});
declareRoute({
  method: "get",
  path: "/api/v1/campaigns/{id}",
  operationId: "getCampaign",
  tag: "Native: campaigns",
  summary: "A campaign's progress: queued, sent, delivered, read, failed, and the rate achieved",
  security: "bearer",
  responses: { 200: { description: "The campaign", schema: CampaignSchema }, 404: { description: "No such campaign in this account", schema: NativeErrorSchema } },
});

const RecipientsQuery = z.strictObject({
  state: z.enum(["queued", "sending", "sent", "failed", "refused", "cancelled"]).optional(),
  cursor: z.string().min(1).max(20).optional().describe("The next_cursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const RecipientSchema = z.object({
  to: z.string().describe("As the request wrote it"),
  wa_id: z.string(),
  message_id: z.string().describe("Its message (GET /api/v1/messages/{id} once sent)"),
  state: RecipientsQuery.shape.state.unwrap(),
  reason: z.string().nullable().describe("Why it was refused: window_closed (a free-form message outside the recipient's 24-hour window)"),
  sent_at: z.string().nullable(),
});
const recipientsRoute = declareRoute({
  method: "get",
  path: "/api/v1/campaigns/{id}/recipients",
  operationId: "listCampaignRecipients",
  tag: "Native: campaigns",
  summary: "A campaign's recipients in the request's order, each with its state (and why it was refused) and its message id",
  query: RecipientsQuery,
  security: "bearer",
  responses: {
    200: { description: "A page of recipients", schema: z.object({ recipients: z.array(RecipientSchema), next_cursor: z.string().nullable() }) },
    400: { description: "Bad query or cursor", schema: NativeErrorSchema },
    404: { description: "No such campaign in this account", schema: NativeErrorSchema },
  },
});
nativeRouter.get("/campaigns/:id/recipients", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { query } = await recipientsRoute.read(request);
  const page = unwrap(await listRecipients(rc.core, accountId, String(request.params.id), query));
  return json({
    recipients: page.recipients.map((r) => ({ to: r.to, wa_id: r.waId, message_id: r.messageId, state: r.state, reason: r.reason, sent_at: iso(r.sentAt) })),
    next_cursor: page.nextCursor,
  });
});

const ACTIONS = { pause: pauseCampaign, resume: resumeCampaign, cancel: cancelCampaign } as const;
for (const [action, run] of Object.entries(ACTIONS)) {
  nativeRouter.post(`/campaigns/:id/${action}`, async (request, rc) => {
    const accountId = await requireAccount(request, rc);
    return json(campaignJson(unwrap(await run(rc.core, accountId, String(request.params.id)))));
  });
  declareRoute({
    method: "post",
    path: `/api/v1/campaigns/{id}/${action}`,
    operationId: `${action}Campaign`,
    tag: "Native: campaigns",
    summary:
      action === "pause"
        ? "Pause a running campaign (messages already being sent finish)"
        : action === "resume"
          ? "Resume a paused campaign"
          : "Cancel a campaign: what was not sent is cancelled and its holds voided",
    security: "bearer",
    responses: {
      200: { description: "The campaign", schema: CampaignSchema },
      404: { description: "No such campaign in this account", schema: NativeErrorSchema },
      409: { description: "Not in a state that allows it", schema: NativeErrorSchema },
    },
  });
}

const Throughput = z.strictObject({ messages_per_second: z.number().int().min(1).max(MAX_MPS) });
const ThroughputSchema = z.object({ phone_number_id: z.string(), messages_per_second: z.number().int() });

const throughputDoc = {
  path: "/api/v1/numbers/{phone_number_id}/throughput",
  tag: "Native: campaigns",
  security: "bearer",
  responses: { 200: { description: "The throughput", schema: ThroughputSchema }, 404: { description: "No such number in this account", schema: NativeErrorSchema } },
} as const;
declareRoute({ ...throughputDoc, method: "get", operationId: "getNumberThroughput", summary: "The number's throughput (messages per second)" });
const setThroughputRoute = declareRoute({
  ...throughputDoc,
  method: "put",
  operationId: "setNumberThroughput",
  summary: `Set the number's throughput: 80 by default, up to ${MAX_MPS} after Meta's upgrade`,
  body: Throughput,
});

nativeRouter.get("/numbers/:pnid/throughput", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const t = unwrap(await setThroughput(rc.core, accountId, String(request.params.pnid), null));
  return json({ phone_number_id: t.phoneNumberId, messages_per_second: t.messagesPerSecond });
});
nativeRouter.put("/numbers/:pnid/throughput", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { body } = await setThroughputRoute.read(request);
  const t = unwrap(await setThroughput(rc.core, accountId, String(request.params.pnid), body.messages_per_second));
  rc.log.log("info", "throughput_set", { account_id: accountId, phone_number_id: t.phoneNumberId, mps: t.messagesPerSecond });
  return json({ phone_number_id: t.phoneNumberId, messages_per_second: t.messagesPerSecond });
});
