import * as z from "zod";
import { setSuspension } from "../../core/accounts/suspension";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAdmin } from "../admin";
import { AccountSchema, accountJson } from "./account-json";
import { adminErrors, NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** The operator's changes to one account: suspend and reinstate (balance adjustments: operator-money-routes.ts). */
const Reason = z.strictObject({ reason: z.string().trim().min(1, "a reason is required").max(500).describe("Why: kept in the audit log") });

const AccountParam = z.object({ account_id: z.string().min(1).max(100) });


for (const suspend of [true, false]) {
  const verb = suspend ? "suspend" : "reinstate";
  const route = declareRoute({
    method: "post",
    path: `/api/v1/admin/accounts/{account_id}/${verb}`,
    operationId: suspend ? "adminSuspendAccount" : "adminReinstateAccount",
    tag: "Native: admin",
    summary: suspend ? "Suspend an account: every credential of it is refused (operator)" : "Reinstate a suspended account (operator)",
    description: suspend
      ? "Every credential of the account (tokens, key pair, number API keys, dev keys, Vonage JWTs and Basic, Cloud API tokens, console sessions) answers its dialect's forbidden error until it is reinstated. Nothing is deleted. Audited."
      : "Its credentials work again, as they were. Audited.",
    security: "admin",
    params: AccountParam,
    body: Reason,
    responses: {
      200: { description: "The account as it now is", schema: AccountSchema },
      400: { description: "Missing reason", schema: NativeErrorSchema },
      ...adminErrors,
      404: { description: "No such account", schema: NativeErrorSchema },
      409: { description: suspend ? "Already suspended" : "Not suspended", schema: NativeErrorSchema },
    },
  });
  nativeRouter.post(`/admin/accounts/:account_id/${verb}`, async (request, rc) => {
    const actor = requireAdmin(request, rc);
    const { params, body } = await route.read(request);
    return json(accountJson(unwrap(await setSuspension(rc.core, params.account_id, suspend, { actor, reason: body.reason }))));
  });
}
