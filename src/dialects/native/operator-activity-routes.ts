import * as z from "zod";
import { recordAudit } from "../../core/audit/audit";
import { controlCampaign, listAllCampaigns } from "../../core/campaigns/operator";
import { countFailingDeliveries, listAllDeliveries, replayAnyDelivery, replayDeadRange } from "../../core/client-webhooks/operator-deliveries";
import { countStuckEvents } from "../../core/inbound/unrouted";
import { messagesPerDay } from "../../core/messages/daily";
import { depositFigures } from "../../core/money/deposits/list";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { formatAmount, type Currency } from "../../lib/money";
import { declareRoute } from "../../lib/openapi";
import { requireAdmin } from "../admin";
import { CampaignSchema, campaignJson } from "./campaign-routes";
import { Delivery, view as deliveryJson } from "./delivery-routes";
import { adminErrors, NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** The operator's overview of activity, and its control of deliveries and campaigns across accounts (all audited). */
const DAY_MS = 86_400_000;

const Day = z.object({
  day: z.string().describe("YYYY-MM-DD, UTC"),
  sent: z.number().int().describe("Messages created that day whose status is now accepted or sent"),
  delivered: z.number().int(),
  read: z.number().int(),
  failed: z.number().int(),
  deposits: z.object({ count: z.number().int(), amounts: z.record(z.string(), z.string()).describe("Completed amounts per currency, decimal strings") }),
});

const overviewRoute = declareRoute({
  method: "get",
  path: "/api/v1/admin/overview",
  operationId: "adminOverview",
  tag: "Native: admin",
  summary: "Messages and deposits per day, failing deliveries, pending deposits, poison and unrouted events (operator)",
  security: "admin",
  query: z.object({ days: z.coerce.number().int().min(1).max(90).default(14) }),
  responses: {
    200: {
      description: "The overview; every day of the window is present, oldest first",
      schema: z.object({
        days: z.array(Day),
        failing_deliveries: z.object({ dead: z.number().int(), retrying: z.number().int() }),
        pending_deposits: z.number().int(),
        poison_events: z.number().int(),
        unrouted_events: z.number().int(),
      }),
    },
    400: { description: "days out of 1…90", schema: NativeErrorSchema },
    ...adminErrors,
  },
});
nativeRouter.get("/admin/overview", async (request, rc) => {
  requireAdmin(request, rc);
  const { query } = await overviewRoute.read(request);
  const since = Math.floor(rc.core.clock.now() / DAY_MS) * DAY_MS - (query.days - 1) * DAY_MS;
  const [messages, deposits, failing, events] = await Promise.all([messagesPerDay(rc.core, since), depositFigures(rc.core, since), countFailingDeliveries(rc.core), countStuckEvents(rc.core)]);
  const days = Array.from({ length: query.days }, (_, i) => {
    const day = new Date(since + i * DAY_MS).toISOString().slice(0, 10);
    const m = messages.find((d) => d.day === day);
    const paid = deposits.perDay.filter((d) => d.day === day);
    return {
      day,
      sent: m?.sent ?? 0,
      delivered: m?.delivered ?? 0,
      read: m?.read ?? 0,
      failed: m?.failed ?? 0,
      deposits: { count: paid.reduce((n, d) => n + d.count, 0), amounts: Object.fromEntries(paid.map((d) => [d.currency, formatAmount(d.amount, d.currency as Currency)])) },
    };
  });
  return json({ days, failing_deliveries: failing, pending_deposits: deposits.pending, poison_events: events.poison, unrouted_events: events.unrouted });
});

const deliveriesRoute = declareRoute({
  method: "get",
  path: "/api/v1/admin/deliveries",
  operationId: "adminListDeliveries",
  tag: "Native: admin",
  summary: "Client webhook deliveries of every account, newest first, e.g. the dead letters (operator)",
  security: "admin",
  query: z.object({
    state: z.enum(["pending", "delivered", "dead"]).optional(),
    account_id: z.string().max(100).optional(),
    cursor: z.coerce.number().int().positive().optional().describe("next_cursor of the previous page"),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  }),
  responses: {
    200: { description: "A page", schema: z.object({ data: z.array(Delivery.extend({ account_id: z.string() })), next_cursor: z.number().int().nullable() }) },
    400: { description: "Invalid query", schema: NativeErrorSchema },
    ...adminErrors,
  },
});
nativeRouter.get("/admin/deliveries", async (request, rc) => {
  requireAdmin(request, rc);
  const { query } = await deliveriesRoute.read(request);
  const rows = await listAllDeliveries(rc.core, { state: query.state, accountId: query.account_id, before: query.cursor, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return json({ data: page.map((d) => ({ ...deliveryJson(d), account_id: d.account_id })), next_cursor: rows.length > query.limit ? page.at(-1)!.seq : null });
});

const replayOneRoute = declareRoute({
  method: "post",
  path: "/api/v1/admin/deliveries/{id}/replay",
  operationId: "adminReplayDelivery",
  tag: "Native: admin",
  summary: "Send a dead (or delivered) delivery of any account again, same delivery id (operator)",
  description: "Audited.",
  security: "admin",
  params: z.object({ id: z.string().min(1).max(100) }),
  responses: {
    200: { description: "The delivery, pending again", schema: Delivery },
    ...adminErrors,
    404: { description: "No such delivery", schema: NativeErrorSchema },
    409: { description: "It is pending: already being retried", schema: NativeErrorSchema },
  },
});
nativeRouter.post("/admin/deliveries/:id/replay", async (request, rc) => {
  const actor = requireAdmin(request, rc);
  const { params } = await replayOneRoute.read(request);
  const replayed = unwrap(await replayAnyDelivery(rc.core, params.id));
  await recordAudit(rc.core, { actor, action: "delivery.replay", target: `delivery:${params.id}`, after: { state: replayed.state } });
  return json(deliveryJson(replayed));
});

const Time = z.union([z.iso.datetime({ offset: true }), z.number().int().min(0)]).transform((v) => (typeof v === "number" ? v : Date.parse(v)));
const replayRangeRoute = declareRoute({
  method: "post",
  path: "/api/v1/admin/deliveries/replay",
  operationId: "adminReplayDeadDeliveries",
  tag: "Native: admin",
  summary: "Send again every dead delivery created in [from, to), of every account or one (operator)",
  description: "At most 1,000 per call. Audited.",
  security: "admin",
  body: z.strictObject({ from: Time.describe("ISO 8601 or ms"), to: Time.describe("ISO 8601 or ms, exclusive"), account_id: z.string().max(100).optional() }),
  responses: { 200: { description: "How many were queued", schema: z.object({ replayed: z.number().int() }) }, 400: { description: "Invalid range", schema: NativeErrorSchema }, ...adminErrors },
});
nativeRouter.post("/admin/deliveries/replay", async (request, rc) => {
  const actor = requireAdmin(request, rc);
  const { body } = await replayRangeRoute.read(request);
  const replayed = await replayDeadRange(rc.core, { since: body.from, until: body.to, accountId: body.account_id });
  const target = body.account_id ? `account:${body.account_id}` : "deliveries:all";
  await recordAudit(rc.core, { actor, action: "deliveries.replay", target, after: { from: new Date(body.from).toISOString(), to: new Date(body.to).toISOString(), replayed } });
  return json({ replayed });
});

const campaignsRoute = declareRoute({
  method: "get",
  path: "/api/v1/admin/campaigns",
  operationId: "adminListCampaigns",
  tag: "Native: admin",
  summary: "The latest campaigns of every account with their progress (operator)",
  security: "admin",
  query: z.object({
    state: z.enum(["active", "scheduled", "running", "paused", "cancelled", "done"]).optional().describe("active: running or paused"),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  }),
  responses: { 200: { description: "Campaigns, newest first", schema: z.object({ data: z.array(CampaignSchema.extend({ account_id: z.string() })) }) }, 400: { description: "Invalid query", schema: NativeErrorSchema }, ...adminErrors },
});
nativeRouter.get("/admin/campaigns", async (request, rc) => {
  requireAdmin(request, rc);
  const { query } = await campaignsRoute.read(request);
  const campaigns = await listAllCampaigns(rc.core, query);
  return json({ data: campaigns.map((c) => ({ ...campaignJson(c.campaign), account_id: c.accountId })) });
});

for (const action of ["pause", "resume", "cancel"] as const) {
  const route = declareRoute({
    method: "post",
    path: `/api/v1/admin/campaigns/{id}/${action}`,
    operationId: `admin${action[0]!.toUpperCase()}${action.slice(1)}Campaign`,
    tag: "Native: admin",
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} any account's campaign (operator)`,
    description: "The same rules as the owner's own control. Audited.",
    security: "admin",
    params: z.object({ id: z.string().min(1).max(100) }),
    responses: {
      200: { description: "The campaign", schema: CampaignSchema },
      ...adminErrors,
      404: { description: "No such campaign", schema: NativeErrorSchema },
      409: { description: "The campaign's state does not allow it", schema: NativeErrorSchema },
    },
  });
  nativeRouter.post(`/admin/campaigns/:id/${action}`, async (request, rc) => {
    const actor = requireAdmin(request, rc);
    const { params } = await route.read(request);
    const done = unwrap(await controlCampaign(rc.core, params.id, action));
    await recordAudit(rc.core, { actor, action: `campaign.${action}`, target: `campaign:${params.id}`, before: { state: done.before }, after: { state: done.after.state } });
    return json(campaignJson(done.after));
  });
}
