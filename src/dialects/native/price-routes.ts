import * as z from "zod";
import { recordAudit } from "../../core/audit/audit";
import { listPrices, MESSAGE_CATEGORIES, setPrices, type MessageCategory, type PriceRow } from "../../core/money/prices";
import { AppError, type FieldIssue } from "../../lib/errors";
import { json } from "../../lib/http";
import { CURRENCIES, formatAmount, toMinorUnits, type Currency } from "../../lib/money";
import { declareRoute } from "../../lib/openapi";
import { requireAdmin } from "../admin";
import { adminErrors, NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** The operator's message prices per category and currency (sandbox sends are free unless SANDBOX_CHARGES=true). */
const PriceSchema = z.object({
  category: z.enum(MESSAGE_CATEGORIES),
  currency: z.string(),
  amount: z.string().describe("Decimal amount, e.g. \"60\" CDF or \"0.02\" USD"),
  amount_minor: z.number().int(),
});
const priceJson = (p: PriceRow) => ({ category: p.category, currency: p.currency, amount: formatAmount(p.amount, p.currency), amount_minor: p.amount });


nativeRouter.get("/admin/prices", async (request, rc) => {
  requireAdmin(request, rc);
  return json({ prices: (await listPrices(rc.core)).map(priceJson) });
});
declareRoute({
  method: "get",
  path: "/api/v1/admin/prices",
  operationId: "adminListPrices",
  tag: "Native: admin",
  summary: "Message prices per category and currency (operator)",
  security: "admin",
  responses: { 200: { description: "Prices", schema: z.object({ prices: z.array(PriceSchema) }) }, ...adminErrors },
});

const PriceUpdate = z.strictObject({
  prices: z
    .partialRecord(z.enum(CURRENCIES as [Currency, ...Currency[]]), z.union([z.string(), z.number(), z.null()]))
    .refine((p) => Object.keys(p).length > 0, "must name at least one currency")
    .describe("Price per currency as a decimal amount (\"60\", \"0.02\"); null removes the currency"),
});

const setPricesRoute = declareRoute({
  method: "put",
  path: "/api/v1/admin/prices/{category}",
  operationId: "adminSetPrices",
  tag: "Native: admin",
  summary: "Set a message category's prices (operator)",
  description: "Currencies not named are kept. New prices apply to the next sends. A zero price in any currency makes the category free.",
  security: "admin",
  body: PriceUpdate,
  responses: {
    200: { description: "The category's prices as they now are", schema: z.object({ category: z.enum(MESSAGE_CATEGORIES), prices: z.array(PriceSchema) }) },
    400: { description: "Invalid price", schema: NativeErrorSchema },
    404: { description: "No such category", schema: NativeErrorSchema },
    ...adminErrors,
  },
});
nativeRouter.put("/admin/prices/:category", async (request, rc) => {
  const actor = requireAdmin(request, rc);
  const category = String(request.params.category).toLowerCase();
  if (!(MESSAGE_CATEGORIES as readonly string[]).includes(category)) {
    throw new AppError("not_found", `No category ${request.params.category}; categories are ${MESSAGE_CATEGORIES.join(", ")}`);
  }
  const { body } = await setPricesRoute.read(request);
  const prices: Partial<Record<Currency, number | null>> = {};
  const issues: FieldIssue[] = [];
  for (const [currency, value] of Object.entries(body.prices) as [Currency, string | number | null][]) {
    const amount = value === null ? ({ ok: true, value: null } as const) : toMinorUnits(value, currency);
    if (amount.ok) prices[currency] = amount.value;
    else issues.push({ field: `prices.${currency}`, kind: amount.kind, reason: amount.reason });
  }
  if (issues.length) throw new AppError("invalid_request", "Invalid prices", { issues });
  const before = (await listPrices(rc.core)).filter((p) => p.category === category).map(priceJson);
  const updated = await setPrices(rc.core, category as MessageCategory, prices);
  await recordAudit(rc.core, { actor, action: "price.update", target: `prices:${category}`, before, after: updated.map(priceJson) });
  return json({ category, prices: updated.map(priceJson) });
});
