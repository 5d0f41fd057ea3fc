import * as z from "zod";
import { recordAudit } from "../../core/audit/audit";
import { isPlanCode, listPlans, updatePlan, type PlanChanges } from "../../core/plans/plans";
import { AppError, unwrap, type FieldIssue } from "../../lib/errors";
import { json } from "../../lib/http";
import { CURRENCIES, toMinorUnits, type Currency } from "../../lib/money";
import { declareRoute } from "../../lib/openapi";
import { requireAdmin } from "../admin";
import { NativeErrorSchema } from "./errors";
import { planJson, PlanSchema } from "./money-routes";
import { nativeRouter } from "./router";

nativeRouter.get("/admin/plans", async (request, rc) => {
  requireAdmin(request, rc);
  return json({ plans: (await listPlans(rc.core)).map(planJson) });
});
declareRoute({
  method: "get",
  path: "/api/v1/admin/plans",
  operationId: "adminListPlans",
  tag: "Native: admin",
  summary: "The plans with their prices (operator)",
  security: "admin",
  responses: {
    200: { description: "Plans", schema: z.object({ plans: z.array(PlanSchema) }) },
    401: { description: "Missing or wrong admin token", schema: NativeErrorSchema },
    403: { description: "ADMIN_TOKEN is not configured", schema: NativeErrorSchema },
  },
});

const PlanUpdate = z
  .strictObject({
    period_days: z.number().int().min(1).max(366).optional(),
    prices: z
      .partialRecord(z.enum(CURRENCIES as [Currency, ...Currency[]]), z.union([z.string(), z.number(), z.null()]))
      .optional()
      .describe("Price per currency as a decimal amount (\"25000\", \"10.00\"); null removes the currency"),
  })
  .refine((b) => b.period_days !== undefined || b.prices !== undefined, "must change period_days or prices");

const updatePlanRoute = declareRoute({
  method: "put",
  path: "/api/v1/admin/plans/{code}",
  operationId: "adminUpdatePlan",
  tag: "Native: admin",
  summary: "Change a plan's period or prices (operator)",
  description: "Prices not named are kept. New prices apply to the next renewals; running periods are not changed.",
  security: "admin",
  body: PlanUpdate,
  responses: {
    200: { description: "The plan as it now is", schema: PlanSchema },
    400: { description: "Invalid period or price", schema: NativeErrorSchema },
    401: { description: "Missing or wrong admin token", schema: NativeErrorSchema },
    403: { description: "ADMIN_TOKEN is not configured", schema: NativeErrorSchema },
    404: { description: "No such plan", schema: NativeErrorSchema },
  },
});
nativeRouter.put("/admin/plans/:code", async (request, rc) => {
  const actor = requireAdmin(request, rc);
  const code = String(request.params.code).toUpperCase();
  if (!isPlanCode(code)) throw new AppError("not_found", `No plan ${request.params.code}; plans are STANDARD, GOLD, OWNER`);
  const { body } = await updatePlanRoute.read(request);
  const changes: PlanChanges = { periodDays: body.period_days, prices: {} };
  const issues: FieldIssue[] = [];
  for (const [currency, value] of Object.entries(body.prices ?? {}) as [Currency, string | number | null][]) {
    if (value === null) {
      changes.prices![currency] = null;
      continue;
    }
    const amount = toMinorUnits(value, currency);
    if (amount.ok) changes.prices![currency] = amount.value;
    else issues.push({ field: `prices.${currency}`, kind: amount.kind, reason: amount.reason });
  }
  if (issues.length) throw new AppError("invalid_request", "Invalid prices", { issues });
  const before = (await listPlans(rc.core)).find((p) => p.code === code);
  const plan = unwrap(await updatePlan(rc.core, code, changes));
  await recordAudit(rc.core, { actor, action: "plan.update", target: `plan:${code}`, before: before && planJson(before), after: planJson(plan) });
  return json(planJson(plan));
});
