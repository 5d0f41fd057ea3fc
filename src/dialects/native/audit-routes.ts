import * as z from "zod";
import { auditPage } from "../../core/audit/audit";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAdmin } from "../admin";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string().describe("ISO 8601, UTC"),
    actor: z.string().describe("`admin-token` (the ADMIN_TOKEN itself) or `session:<prefix>` (an operator console session)"),
    action: z.string().describe("account.suspend, account.reinstate, account.credit, account.debit, plan.update, price.update, delivery.replay, deliveries.replay, events.retry, campaign.pause|resume|cancel, deposit.check"),
    target: z.string().describe("kind:id, e.g. account:123456789"),
    before: z.unknown().describe("The state before the change (JSON), or null"),
    after: z.unknown().describe("The state after the change (JSON), or null"),
    reason: z.string().nullable(),
  })
  .meta({ id: "AuditEntry" });

const auditRoute = declareRoute({
  method: "get",
  path: "/api/v1/admin/audit",
  operationId: "adminListAudit",
  tag: "Native: admin",
  summary: "The audit log of operator changes, newest first (operator)",
  security: "admin",
  query: z.object({
    cursor: z.coerce.number().int().positive().optional().describe("next_cursor of the previous page"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    target: z.string().max(200).optional().describe("Only the entries on this target, e.g. account:123456789"),
  }),
  responses: {
    200: { description: "A page of entries", schema: z.object({ data: z.array(AuditEntrySchema), next_cursor: z.string().nullable() }) },
    400: { description: "Invalid cursor or limit", schema: NativeErrorSchema },
    401: { description: "Missing or wrong admin token", schema: NativeErrorSchema },
    403: { description: "ADMIN_TOKEN is not configured, or an account's session", schema: NativeErrorSchema },
  },
});
nativeRouter.get("/admin/audit", async (request, rc) => {
  requireAdmin(request, rc);
  const { query } = await auditRoute.read(request);
  const page = await auditPage(rc.core, { limit: query.limit, before: query.cursor, target: query.target });
  return json({ data: page.entries, next_cursor: page.nextCursor === null ? null : String(page.nextCursor) });
});
