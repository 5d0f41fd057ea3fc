import * as z from "zod";
import { adjustBalance } from "../../core/money/adjustments";
import { ledgerPage } from "../../core/money/wallets";
import { getAccount } from "../../core/accounts/accounts";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { CURRENCIES, type Currency } from "../../lib/money";
import { declareRoute } from "../../lib/openapi";
import { requireAdmin } from "../admin";
import { adminErrors, NativeErrorSchema } from "./errors";
import { Entry, entryJson, LedgerQuery } from "./money-routes";
import { nativeRouter } from "./router";

/** The operator's view of an account's money: its statement, and credits or debits with a reason. */
const params = z.object({ account_id: z.string().min(1).max(100) });
const accountErrors = {
  ...adminErrors,
  404: { description: "No such account", schema: NativeErrorSchema },
};

const ledgerRoute = declareRoute({
  method: "get",
  path: "/api/v1/admin/accounts/{account_id}/ledger",
  operationId: "adminListAccountLedger",
  tag: "Native: admin",
  summary: "An account's statement, newest first (operator)",
  security: "admin",
  params,
  query: LedgerQuery,
  responses: {
    200: { description: "One page of entries", schema: z.object({ entries: z.array(Entry), next_before: z.number().int().nullable() }) },
    400: { description: "Invalid query", schema: NativeErrorSchema },
    ...accountErrors,
  },
});
nativeRouter.get("/admin/accounts/:account_id/ledger", async (request, rc) => {
  requireAdmin(request, rc);
  const { params, query } = await ledgerRoute.read(request);
  unwrap(await getAccount(rc.core, params.account_id));
  const page = await ledgerPage(rc.core, params.account_id, query);
  return json({ entries: page.entries.map(entryJson), next_before: page.nextCursor });
});

const AdjustmentSchema = z.object({
  currency: z.enum(CURRENCIES as [Currency, ...Currency[]]),
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).describe("Minor units (CDF, XAF, XOF have none; USD and KES cents), > 0"),
  direction: z.enum(["credit", "debit"]),
  reason: z.string().trim().min(1, "a reason is required").max(500).describe("Why: in the audit log, and in the entry's memo the account sees"),
});

const adjustRoute = declareRoute({
  method: "post",
  path: "/api/v1/admin/accounts/{account_id}/adjustments",
  operationId: "adminAdjustBalance",
  tag: "Native: admin",
  summary: "Credit or debit an account's wallet, with a reason (operator)",
  description:
    "One ledger entry (reason `adjustment`, reference `adjustment:<audit id>`) and its audit entry, written together. A debit never takes the balance below zero or below what is held (402). With Idempotency-Key, a retry answers the first entry (200) and moves no money.",
  security: "admin",
  params,
  headers: z.object({ "Idempotency-Key": z.string().min(1).max(200).optional() }),
  body: AdjustmentSchema.strict(),
  examples: { credit: { summary: "A goodwill credit after a support call", value: { currency: "CDF", amount: 5000, direction: "credit", reason: "Ticket 4521: failed OTPs refunded" } } },
  responses: {
    201: { description: "The ledger entry", schema: z.object({ entry: Entry, audit_id: z.string() }) },
    200: { description: "A retry with the same Idempotency-Key: the first entry", schema: z.object({ entry: Entry, audit_id: z.string() }) },
    400: { description: "Missing reason, amount not a positive integer, unknown currency", schema: NativeErrorSchema },
    402: { description: "The debit would take the balance below zero or below what is held", schema: NativeErrorSchema },
    ...accountErrors,
    409: { description: "The Idempotency-Key was used for another adjustment", schema: NativeErrorSchema },
  },
});
nativeRouter.post("/admin/accounts/:account_id/adjustments", async (request, rc) => {
  const actor = requireAdmin(request, rc);
  const { params, headers, body } = await adjustRoute.read(request);
  const done = unwrap(await adjustBalance(rc.core, { accountId: params.account_id, ...body, actor, idempotencyKey: headers["Idempotency-Key"] }));
  return json({ entry: entryJson(done.entry), audit_id: done.auditId }, done.replayed ? 200 : 201);
});
