import { recordAudit } from "../../core/audit/audit";
import * as z from "zod";
import { listRejected, listUnrouted, replayFailedEvents, retryUnrouted, type StoredEvent } from "../../core/inbound/unrouted";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAdmin } from "../admin";
import { adminErrors } from "./errors";
import { nativeRouter } from "./router";

const Unrouted = z.object({ id: z.string(), kind: z.string(), phone_number_id: z.string(), received_at: z.string(), body: z.record(z.string(), z.unknown()) });
const Rejected = Unrouted.extend({
  state: z.enum(["invalid", "failed"]).describe("invalid: a field of the wrong type, found at intake; failed: every allowed processing attempt failed"),
  attempts: z.number().int(),
  reason: z.string().nullable(),
});
const eventJson = (e: StoredEvent) => ({ id: e.id, kind: e.kind, phone_number_id: e.phone_number_id, received_at: new Date(e.received_at).toISOString(), body: JSON.parse(e.body) as Record<string, unknown> });

nativeRouter.get("/admin/webhooks/unrouted", async (request, rc) => {
  requireAdmin(request, rc);
  const events = await listUnrouted(rc.core);
  return json({ events: events.map(eventJson) });
});
declareRoute({
  method: "get",
  path: "/api/v1/admin/webhooks/unrouted",
  operationId: "adminListUnroutedEvents",
  tag: "Native: admin",
  summary: "Meta events for numbers no account has: kept, never dropped (operator)",
  security: "admin",
  responses: { 200: { description: "The latest 100", schema: z.object({ events: z.array(Unrouted) }) }, ...adminErrors },
});

nativeRouter.get("/admin/webhooks/rejected", async (request, rc) => {
  requireAdmin(request, rc);
  const events = await listRejected(rc.core);
  return json({ events: events.map((e) => ({ ...eventJson(e), state: e.state, attempts: e.attempts, reason: e.failure })) });
});
declareRoute({
  method: "get",
  path: "/api/v1/admin/webhooks/rejected",
  operationId: "adminListRejectedEvents",
  tag: "Native: admin",
  summary: "Meta events that will never be processed, with the reason: invalid at intake, or failed after INBOUND_MAX_ATTEMPTS attempts (operator)",
  security: "admin",
  responses: { 200: { description: "The latest 100", schema: z.object({ events: z.array(Rejected) }) }, ...adminErrors },
});

nativeRouter.post("/admin/webhooks/unrouted/:phone_number_id/retry", async (request, rc) => {
  const actor = requireAdmin(request, rc);
  const phoneNumberId = String(request.params.phone_number_id);
  const requeued = await retryUnrouted(rc.core, phoneNumberId);
  await recordAudit(rc.core, { actor, action: "events.retry", target: `number:${phoneNumberId}`, after: { requeued } });
  return json({ requeued });
});
declareRoute({
  method: "post",
  path: "/api/v1/admin/webhooks/unrouted/{phone_number_id}/retry",
  operationId: "adminRetryUnroutedEvents",
  tag: "Native: admin",
  summary: "Process a number's unrouted events again, once the number belongs to an account (operator)",
  security: "admin",
  responses: { 200: { description: "How many were queued", schema: z.object({ requeued: z.number() }) }, ...adminErrors },
});

declareRoute({
  method: "post",
  path: "/api/v1/admin/webhooks/rejected/retry",
  operationId: "adminReplayFailedEvents",
  tag: "Native: admin",
  summary: "Process again the events that failed after INBOUND_MAX_ATTEMPTS attempts, with a fresh count (operator); invalid ones are never replayed",
  security: "admin",
  responses: { 200: { description: "How many were queued (at most 1,000 per call)", schema: z.object({ requeued: z.number() }) }, ...adminErrors },
});

nativeRouter.post("/admin/webhooks/rejected/retry", async (request, rc) => {
  const actor = requireAdmin(request, rc);
  const requeued = await replayFailedEvents(rc.core);
  await recordAudit(rc.core, { actor, action: "events.retry", target: "events:failed", after: { requeued } });
  return json({ requeued });
});
