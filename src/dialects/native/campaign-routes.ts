import * as z from "zod";
import { cancelCampaign, getCampaign, pauseCampaign, resumeCampaign } from "../../core/campaigns/control";
import { createCampaign } from "../../core/campaigns/create";
import { listCampaigns } from "../../core/campaigns/list";
import { MAX_RECIPIENTS } from "../../core/campaigns/model";
import type { CampaignView } from "../../core/campaigns/progress";
import { setThroughput } from "../../core/campaigns/throughput";
import { languageCode, templateName } from "../../core/messages/canonical";
import { MAX_MPS } from "../../durable/pacer";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { formatAmount } from "../../lib/money";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

const Parameters = z.array(z.union([z.string().min(1), z.number().transform(String)])).max(100);

const NewCampaign = z.strictObject({
  phone_number_id: z.string().regex(/^\d{5,20}$/, "must be a numeric id").optional().describe("The sending number; default: the account's only READY number"),
  template: z.strictObject({ name: templateName, language: languageCode }),
  parameters: Parameters.optional().describe("Body parameters for every recipient that has none of its own"),
  recipients: z
    .array(z.union([z.string().min(1).max(32), z.strictObject({ to: z.string().min(1).max(32), parameters: Parameters.optional() })]))
    .min(1, "must name a recipient")
    .max(MAX_RECIPIENTS, `must name at most ${MAX_RECIPIENTS} recipients`)
    .describe("Phone numbers, or {to, parameters} with each one's own body parameters"),
  start_at: z.iso.datetime({ offset: true }).optional().describe("ISO 8601; nothing is sent before (default now, at most 30 days ahead)"),
  sandbox: z.boolean().optional().describe("Send through the sandbox whatever the number's upstream"),
});

export const CampaignSchema = z.object({
  id: z.string(),
  state: z.enum(["scheduled", "running", "paused", "cancelled", "done"]),
  phone_number_id: z.string(),
  template: z.object({ name: z.string(), language: z.string() }),
  category: z.string(),
  total: z.number().int(),
  counts: z.object({ queued: z.number().int(), sent: z.number().int(), delivered: z.number().int(), read: z.number().int(), failed: z.number().int(), cancelled: z.number().int() }),
  price_per_message: z.object({ amount: z.string(), currency: z.string() }).nullable(),
  start_at: z.string(),
  first_sent_at: z.string().nullable(),
  last_sent_at: z.string().nullable(),
  rate_per_second: z.number().nullable().describe("Messages per second achieved, first to last sent"),
  created_at: z.string(),
}).meta({ id: "Campaign" });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function campaignJson(c: CampaignView) {
  return {
    id: c.id,
    state: c.state,
    phone_number_id: c.phoneNumberId,
    template: c.template,
    category: c.category,
    total: c.total,
    counts: c.counts,
    price_per_message: c.charge ? { amount: formatAmount(c.charge.amount, c.charge.currency), currency: c.charge.currency } : null,
    start_at: iso(c.startAt)!,
    first_sent_at: iso(c.firstSentAt),
    last_sent_at: iso(c.lastSentAt),
    rate_per_second: c.rate,
    created_at: iso(c.createdAt)!,
  };
}

/** The `Idempotency-Key` header. */
const IdempotencyKey = z.string().optional().describe("Makes a retry answer what the first request created");
const createRoute = declareRoute({
  method: "post",
  path: "/api/v1/campaigns",
  operationId: "createCampaign",
  tag: "Native: campaigns",
  summary: "Send a template to many recipients, paced at the number's throughput",
  description:
    "Answers at once with the campaign; the messages go out through the queue. Every recipient is checked and the whole campaign priced first: " +
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
  const created = unwrap(
    await createCampaign(rc.core, {
      accountId,
      phoneNumberId: body.phone_number_id ?? null,
      template: body.template,
      recipients: body.recipients.map((r) => (typeof r === "string" ? { to: r, parameters: body.parameters } : { to: r.to, parameters: r.parameters ?? body.parameters })),
      startAt: body.start_at ? Date.parse(body.start_at) : null,
      requestKey: headers["Idempotency-Key"] ?? null,
      forceSandbox: body.sandbox ?? false,
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
