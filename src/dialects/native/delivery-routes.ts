import * as z from "zod";
import { getDelivery, listDeliveries, replayDead, replayDelivery, type DeliveryView } from "../../core/client-webhooks/deliveries";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** Client webhook deliveries: what was sent where, every attempt, and replays of dead letters. */
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const Time = z.union([z.iso.datetime({ offset: true }), z.coerce.number().int().min(0)]).transform((v) => (typeof v === "number" ? v : Date.parse(v)));

const Attempt = z.object({ attempt: z.number(), at: z.string(), status_code: z.number().nullable(), error: z.string().nullable(), duration_ms: z.number() });
export const Delivery = z.object({
  id: z.string().describe("Sent as Tuma-Delivery-Id on every attempt"),
  endpoint_id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  state: z.enum(["pending", "delivered", "dead"]),
  attempts: z.number(),
  next_attempt_at: z.string().nullable(),
  last_status: z.number().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  attempt_log: z.array(Attempt),
}).meta({ id: "WebhookDelivery" });

export function view(d: DeliveryView) {
  return {
    id: d.id,
    endpoint_id: d.endpoint_id,
    event_id: d.event_id,
    event_type: d.event.type,
    state: d.state,
    attempts: d.attempts,
    next_attempt_at: d.state === "pending" ? iso(d.next_attempt_at) : null,
    last_status: d.last_status,
    last_error: d.last_error,
    created_at: iso(d.created_at),
    attempt_log: d.attempt_log.map((a) => ({ ...a, at: iso(a.at) })),
  };
}

const ListQuery = z.object({
  state: z.enum(["pending", "delivered", "dead"]).optional(),
  endpoint_id: z.string().optional(),
  since: Time.optional(),
  until: Time.optional(),
  before: z.coerce.number().int().optional().describe("Cursor: the next_cursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const errors = { 401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema } };

const listRoute = declareRoute({
  method: "get",
  path: "/api/v1/deliveries",
  operationId: "listDeliveries",
  tag: "Native: webhooks",
  summary: "The account's webhook deliveries, newest first, with every attempt's status code and error",
  security: "bearer",
  query: ListQuery,
  responses: { 200: { description: "Deliveries", schema: z.object({ deliveries: z.array(Delivery), next_cursor: z.number().nullable() }) }, 400: { description: "Bad query", schema: NativeErrorSchema }, ...errors },
});
nativeRouter.get("/deliveries", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { query: q } = await listRoute.read(request);
  const rows = await listDeliveries(rc.core, accountId, { state: q.state, endpointId: q.endpoint_id, since: q.since, until: q.until, before: q.before, limit: q.limit });
  return json({ deliveries: rows.map(view), next_cursor: rows.length === q.limit ? rows[rows.length - 1]!.seq : null });
});

nativeRouter.get("/deliveries/:id", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const d = unwrap(await getDelivery(rc.core, accountId, String(request.params.id)));
  return json({ ...view(d), event: d.event });
});
declareRoute({
  method: "get",
  path: "/api/v1/deliveries/{id}",
  operationId: "getDelivery",
  tag: "Native: webhooks",
  summary: "One delivery, its attempts and the canonical event it carries",
  security: "bearer",
  responses: { 200: { description: "The delivery", schema: Delivery.extend({ event: z.record(z.string(), z.unknown()) }) }, 404: { description: "No such delivery", schema: NativeErrorSchema }, ...errors },
});

const ReplayRange = z.strictObject({ since: Time, until: Time }).refine((r) => r.since < r.until, "since must be before until");

const replayRangeRoute = declareRoute({
  method: "post",
  path: "/api/v1/deliveries/replay",
  operationId: "replayDeadDeliveries",
  tag: "Native: webhooks",
  summary: "Replay every dead delivery created in [since, until) (at most 1000 per call)",
  security: "bearer",
  body: ReplayRange,
  responses: { 200: { description: "How many were queued again", schema: z.object({ replayed: z.number() }) }, 400: { description: "Bad range", schema: NativeErrorSchema }, ...errors },
});
nativeRouter.post("/deliveries/replay", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { body } = await replayRangeRoute.read(request);
  const replayed = await replayDead(rc.core, accountId, body.since, body.until);
  return json({ replayed });
});

nativeRouter.post("/deliveries/:id/replay", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  return json(view(unwrap(await replayDelivery(rc.core, accountId, String(request.params.id)))));
});
declareRoute({
  method: "post",
  path: "/api/v1/deliveries/{id}/replay",
  operationId: "replayDelivery",
  tag: "Native: webhooks",
  summary: "Send a dead (or delivered) delivery again, same delivery id, with a fresh retry window",
  security: "bearer",
  responses: {
    200: { description: "Queued again", schema: Delivery },
    404: { description: "No such delivery", schema: NativeErrorSchema },
    409: { description: "Still pending: already being retried", schema: NativeErrorSchema },
    ...errors,
  },
});
