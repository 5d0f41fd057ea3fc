import * as z from "zod";
import { ledgerPage, listWallets, available, type LedgerEntryRow, type WalletRow } from "../../core/money/wallets";
import { listPlans, type Plan } from "../../core/plans/plans";
import { depositReference, holdReference, refundReference, renewalReference } from "../../stores/money/references";
import { json } from "../../lib/http";
import { CURRENCIES, CURRENCY_DECIMALS, formatAmount, type Currency } from "../../lib/money";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** Amounts in the native API: decimal strings in the currency's major unit ("10.50" USD). */
const Amount = z.string().describe("Decimal string in the currency's major unit, exact (\"10.50\", \"25000\")");

export const Wallet = z.object({
  currency: z.string(),
  decimals: z.number().int(),
  balance: Amount,
  held: Amount.describe("Reserved by holds of paid actions in progress"),
  available: Amount.describe("balance − held: what can be spent now"),
});

export function walletJson(w: WalletRow) {
  return {
    currency: w.currency,
    decimals: CURRENCY_DECIMALS[w.currency],
    balance: formatAmount(w.balance, w.currency),
    held: formatAmount(w.held, w.currency),
    available: formatAmount(available(w), w.currency),
  };
}

export const Entry = z.object({
  id: z.number().int(),
  currency: z.string(),
  amount: Amount.describe("Signed: credits positive, debits negative"),
  reason: z.enum(["deposit", "plan", "hold", "adjustment"]).describe("adjustment: an operator's credit or debit (reference adjustment:<audit id>)"),
  reference: z
    .string()
    .describe(`${depositReference("<deposit id>")}, ${renewalReference("<id>")}, ${holdReference("<hold id>")} or ${refundReference("<hold id>")}; unique`),
  memo: z.string().nullable(),
  created_at: z.string().describe("ISO 8601, UTC"),
});

export const entryJson = (e: LedgerEntryRow) => ({
  id: e.id,
  currency: e.currency,
  amount: formatAmount(e.amount, e.currency),
  reason: e.reason,
  reference: e.reference,
  memo: e.memo,
  created_at: new Date(e.created_at).toISOString(),
});

export const PlanSchema = z.object({
  code: z.enum(["STANDARD", "GOLD", "OWNER"]),
  period_days: z.number().int(),
  prices: z.record(z.string(), Amount).describe("Price per currency"),
  updated_at: z.string().nullable(),
});

export function planJson(plan: Plan) {
  return {
    code: plan.code,
    period_days: plan.periodDays,
    prices: Object.fromEntries((Object.entries(plan.prices) as [Currency, number][]).map(([c, a]) => [c, formatAmount(a, c)])),
    updated_at: plan.updatedAt ? new Date(plan.updatedAt).toISOString() : null,
  };
}

nativeRouter.get("/wallets", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  return json({ wallets: (await listWallets(rc.core, accountId)).map(walletJson) });
});
declareRoute({
  method: "get",
  path: "/api/v1/wallets",
  operationId: "listWallets",
  tag: "Native: money",
  summary: "The account's wallets: one per currency, with balance, held and available amounts",
  security: "bearer",
  responses: {
    200: { description: "Wallets, by currency", schema: z.object({ wallets: z.array(Wallet) }) },
    401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
  },
});

export const LedgerQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional().describe("next_before of the previous page"),
  currency: z.enum(CURRENCIES as [Currency, ...Currency[]]).optional(),
});

const ledgerRoute = declareRoute({
  method: "get",
  path: "/api/v1/ledger",
  operationId: "listLedgerEntries",
  tag: "Native: money",
  summary: "The account's statement: every ledger entry, newest first, paginated",
  security: "bearer",
  query: LedgerQuery,
  responses: {
    200: {
      description: "One page of entries",
      schema: z.object({ entries: z.array(Entry), next_before: z.number().int().nullable().describe("null on the last page") }),
    },
    400: { description: "Invalid query", schema: NativeErrorSchema },
    401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
  },
});
nativeRouter.get("/ledger", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { query } = await ledgerRoute.read(request);
  const page = await ledgerPage(rc.core, accountId, query);
  return json({ entries: page.entries.map(entryJson), next_before: page.nextCursor });
});

nativeRouter.get("/plans", async (request, rc) => {
  await requireAccount(request, rc);
  return json({ plans: (await listPlans(rc.core)).map(planJson) });
});
declareRoute({
  method: "get",
  path: "/api/v1/plans",
  operationId: "listPlans",
  tag: "Native: money",
  summary: "The plans an account can renew to, with their prices and period",
  security: "bearer",
  responses: {
    200: { description: "Plans", schema: z.object({ plans: z.array(PlanSchema) }) },
    401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
  },
});
