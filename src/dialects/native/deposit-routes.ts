import * as z from "zod";
import { recordAudit } from "../../core/audit/audit";
import { checkDeposit, listDeposits } from "../../core/money/deposits/list";
import { verifyDeposit } from "../../core/money/deposits/refresh";
import { startDeposit, type DepositRow } from "../../core/money/deposits/start";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { formatAmount } from "../../lib/money";
import { declareRoute } from "../../lib/openapi";
import { requireAdmin } from "../admin";
import { requireAccount } from "../bearer";
import type { RequestContext } from "../dialect";
import { adminErrors, NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** Mobile-money top-ups in the native API: the same flow as toKABOLA's addfund and verify. */
const STATES = ["pending", "completed", "failed", "expired"] as const;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const DepositSchema = z
  .object({
    id: z.string(),
    account_id: z.string(),
    state: z.enum(STATES).describe("pending until the provider answers; completed credits the wallet once"),
    amount: z.string().describe("Decimal string in the currency's major unit"),
    currency: z.string(),
    phone: z.string().describe("The payer's number, digits only"),
    provider: z.string().describe("pawaPay provider code, e.g. VODACOM_MPESA_COD"),
    provider_status: z.string().nullable(),
    failure: z.object({ code: z.string().nullable(), message: z.string().nullable() }).nullable(),
    created_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .meta({ id: "Deposit" });

const depositJson = (d: DepositRow): z.output<typeof DepositSchema> => ({
  id: d.id,
  account_id: d.account_id,
  state: d.status.toLowerCase() as (typeof STATES)[number],
  amount: formatAmount(d.amount, d.currency),
  currency: d.currency,
  phone: d.payer,
  provider: d.provider,
  provider_status: d.provider_status,
  failure: d.failure_code || d.failure_message ? { code: d.failure_code, message: d.failure_message } : null,
  created_at: iso(d.created_at)!,
  completed_at: iso(d.completed_at),
});

const Page = z.object({ data: z.array(DepositSchema), next_cursor: z.string().nullable() });
const ListQuery = z.object({
  state: z.enum(STATES).optional(),
  cursor: z.string().max(200).optional().describe("next_cursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
const DepositId = z.object({ id: z.uuid("must be a deposit id") });
const accountErrors = { 401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema } };

/** A page of one account's deposits, or of every account's (`accountId` undefined: the operator). */
async function depositPage(rc: RequestContext, accountId: string | undefined, query: z.output<typeof ListQuery>): Promise<Response> {
  const status = query.state?.toUpperCase() as DepositRow["status"] | undefined;
  const page = unwrap(await listDeposits(rc.core, { accountId, status, cursor: query.cursor, limit: query.limit }));
  return json({ data: page.deposits.map(depositJson), next_cursor: page.nextCursor });
}

const createRoute = declareRoute({
  method: "post",
  path: "/api/v1/deposits",
  operationId: "createDeposit",
  tag: "Native: money",
  summary: "Top up by mobile money: the payer confirms on their phone, then the deposit completes",
  description: "The same flow as toKABOLA `addfund`. Poll GET /api/v1/deposits/{id} (it asks the provider while pending); the wallet is credited once.",
  security: "bearer",
  body: z.strictObject({
    amount: z.union([z.string().trim().min(1).max(32), z.number()]).describe("In the currency's major unit (\"5000\", \"10.50\")"),
    currency: z.string().trim().length(3).describe("ISO 4217: CDF, XAF, XOF, KES, USD…"),
    phone: z.union([z.string().trim().min(1).max(32), z.number().int().positive().transform(String)]).describe("The payer's mobile-money number, international form"),
    provider: z.string().trim().max(40).optional().describe("A pawaPay provider code, when the number's prefix would mislead"),
  }),
  examples: { mpesa: { summary: "M-Pesa in the DRC", value: { amount: "5000", currency: "CDF", phone: "+243812345678" } } },
  responses: {
    201: { description: "The deposit, pending", schema: DepositSchema },
    400: { description: "Unknown currency, amount out of range, or a number no provider serves", schema: NativeErrorSchema },
    ...accountErrors,
    502: { description: "The mobile-money provider did not answer; retry", schema: NativeErrorSchema },
  },
});
nativeRouter.post("/deposits", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { body } = await createRoute.read(request);
  const started = await startDeposit(rc.core, accountId, { from: body.phone, amount: body.amount, currency: body.currency, provider: body.provider });
  // Core names the payer `from` (toKABOLA's word); this API calls it `phone`.
  if (!started.ok && started.error.details.issues) {
    started.error.details.issues = started.error.details.issues.map((i) => (i.field === "from" ? { ...i, field: "phone" } : i));
  }
  const { deposit } = unwrap(started);
  return json(depositJson(deposit), 201);
});

const listRoute = declareRoute({
  method: "get",
  path: "/api/v1/deposits",
  operationId: "listDeposits",
  tag: "Native: money",
  summary: "The account's top-ups, newest first",
  security: "bearer",
  query: ListQuery,
  responses: { 200: { description: "A page of deposits", schema: Page }, 400: { description: "Invalid query", schema: NativeErrorSchema }, ...accountErrors },
});
nativeRouter.get("/deposits", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { query } = await listRoute.read(request);
  return depositPage(rc, accountId, query);
});

const getRoute = declareRoute({
  method: "get",
  path: "/api/v1/deposits/{id}",
  operationId: "getDeposit",
  tag: "Native: money",
  summary: "A top-up's state; while pending, asks the provider first (as toKABOLA verify)",
  security: "bearer",
  params: DepositId,
  responses: {
    200: { description: "The deposit", schema: DepositSchema },
    400: { description: "Not a deposit id", schema: NativeErrorSchema },
    ...accountErrors,
    404: { description: "No such deposit for this account", schema: NativeErrorSchema },
  },
});
nativeRouter.get("/deposits/:id", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { params } = await getRoute.read(request);
  return json(depositJson(unwrap(await verifyDeposit(rc.core, accountId, params.id)).deposit));
});

const adminListRoute = declareRoute({
  method: "get",
  path: "/api/v1/admin/deposits",
  operationId: "adminListDeposits",
  tag: "Native: admin",
  summary: "Every account's deposits, newest first, e.g. the pending ones (operator)",
  security: "admin",
  query: ListQuery,
  responses: { 200: { description: "A page of deposits", schema: Page }, 400: { description: "Invalid query", schema: NativeErrorSchema }, ...adminErrors },
});
nativeRouter.get("/admin/deposits", async (request, rc) => {
  requireAdmin(request, rc);
  const { query } = await adminListRoute.read(request);
  return depositPage(rc, undefined, query);
});

const adminCheckRoute = declareRoute({
  method: "post",
  path: "/api/v1/admin/deposits/{id}/check",
  operationId: "adminCheckDeposit",
  tag: "Native: admin",
  summary: "Ask the provider about a deposit now, and apply its answer (operator)",
  description: "Credits the wallet once if the provider says COMPLETED, like the cron poll. Audited.",
  security: "admin",
  params: DepositId,
  responses: {
    200: { description: "The deposit after the check", schema: DepositSchema },
    400: { description: "Not a deposit id", schema: NativeErrorSchema },
    ...adminErrors,
    404: { description: "No such deposit", schema: NativeErrorSchema },
  },
});
nativeRouter.post("/admin/deposits/:id/check", async (request, rc) => {
  const actor = requireAdmin(request, rc);
  const { params } = await adminCheckRoute.read(request);
  const { deposit, credited } = unwrap(await checkDeposit(rc.core, params.id));
  const after = depositJson(deposit);
  await recordAudit(rc.core, { actor, action: "deposit.check", target: `deposit:${deposit.id}`, after: { state: after.state, credited } });
  return json(after);
});
