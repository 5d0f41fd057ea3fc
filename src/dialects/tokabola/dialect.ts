import { IttyRouter, type IRequest } from "itty-router";
import * as z from "zod";
import { AppError } from "../../lib/errors";
import { json, readJsonBody } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { parseInput } from "../../lib/validation";
import { requireAccount } from "../bearer";
import type { Dialect, RequestContext } from "../dialect";
import { successEnvelope, type TokabolaAction } from "./action";
import { account, signup, token } from "./actions/account";
import { addfund, solde, verify } from "./actions/funds";
import { add, number } from "./actions/numbers";
import { assistance, auth, marketing, utility } from "./actions/send";
import { update, UPDATE_TARGETS } from "./actions/update";
import { renderTokabolaError, TokabolaErrorSchema } from "./errors";
import { TOKABOLA_EXAMPLES } from "./examples";
import { gotoAddNumber, gotoAddNumberCallback, gotoAddNumberStart } from "./goto";

/** Every `type` toKABOLA's single endpoint accepts. */
const ACTIONS: TokabolaAction[] = [signup, token, update, account, add, number, addfund, verify, solde, assistance, auth, marketing, utility];

const byType = new Map(ACTIONS.map((a) => [a.type, a]));

/** Each distinct answer once (the sends share theirs), for the reference. */
const ANSWERS = [...new Set(ACTIONS.flatMap((a): z.ZodType[] => (a.data instanceof z.ZodUnion ? [...(a.data.options as z.ZodType[])] : [a.data])))];

async function dispatch(request: IRequest, rc: RequestContext): Promise<Response> {
  const body = await readJsonBody(request);
  const type = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as { type?: unknown }).type : undefined;
  const action = typeof type === "string" ? byType.get(type) : undefined;
  if (!action) {
    throw new AppError("invalid_request", "Missing or unknown type", {
      issues: [{ field: "type", kind: type === undefined ? "required" : "invalid_value", reason: `must be one of: ${ACTIONS.map((a) => a.type).join(", ")}` }],
    });
  }
  // Authenticate before validating, so an anonymous caller learns nothing about the body's rules.
  const accountId = action.auth ? await requireAccount(request, rc) : null;
  const result = await action.run(rc, parseInput(action.body({ production: rc.core.config.production }), body), accountId, request);
  return json({ status: "success", message: result.message, data: result.data }, result.status ?? 200);
}

const router = IttyRouter<IRequest, [RequestContext]>({ base: "/tokabola" });
router.post("/v1/", dispatch).post("/v1", dispatch);
router.get("/goto/addnumber/", gotoAddNumber).get("/goto/addnumber", gotoAddNumber);
router.post("/goto/addnumber/", gotoAddNumberStart).post("/goto/addnumber", gotoAddNumberStart);
router.get("/goto/addnumber/callback", gotoAddNumberCallback);

declareRoute({
  method: "post",
  path: "/tokabola/v1",
  operationId: "tokabola",
  tag: "toKABOLA",
  summary: "The single toKABOLA endpoint, dispatched on `type`",
  description: [
    "toKABOLA's own URL, with or without its trailing slash (`/tokabola/v1/`). ",
    "Body `{\"type\": \"<action>\", \"<action>\": {…}}`. Actions: ",
    ...ACTIONS.map((a) => `\`${a.type}\`${a.auth ? " (bearer)" : ""}: ${a.summary}. `),
    "`update` targets: ",
    ...UPDATE_TARGETS.map((t) => `\`${t.name}\`: ${t.summary}. `),
  ].join(""),
  security: "bearer",
  headers: z.object({
    "Idempotency-Key": z.string().optional().describe("Sends (assistance, auth, marketing, utility): a retry with the same key and body answers the first response and sends nothing"),
  }),
  body: z.union(ACTIONS.map((a) => a.body({ production: true }))),
  examples: TOKABOLA_EXAMPLES,
  responses: {
    200: { description: "Success envelope", schema: successEnvelope(z.union(ANSWERS)) },
    201: { description: "Account created (signup)", schema: successEnvelope(signup.data) },
    400: { description: "1001: missing or invalid information, or a send from an account with no READY number (add one, or pass server: \"SANDBOX\")", schema: TokabolaErrorSchema },
    401: { description: "1004: unknown id/key, or missing/invalid/expired token", schema: TokabolaErrorSchema },
    402: { description: "402: insufficient balance (renew)", schema: TokabolaErrorSchema },
    403: { description: "403: plan expired (paid actions), or a free-form message outside the 24-hour window", schema: TokabolaErrorSchema },
    404: { description: "404: resource not found (e.g. another account's deposit_id or phone_number_id, an unknown template)", schema: TokabolaErrorSchema },
    409: { description: "1002: account name already exists; 409: number already in use, or not in a state that allows this", schema: TokabolaErrorSchema },
    422: { description: "422: wrong OTP code, or too many wrong codes (ask for a new one)", schema: TokabolaErrorSchema },
    429: { description: "429: a code was requested less than a minute ago, or WhatsApp's rate limit", schema: TokabolaErrorSchema },
    502: { description: "502: WhatsApp or the mobile-money provider did not answer; retry", schema: TokabolaErrorSchema },
    413: { description: "1001: body over 1 MB", schema: TokabolaErrorSchema },
    500: { description: "500: server error", schema: TokabolaErrorSchema },
  },
});

export const tokabolaDialect: Dialect = {
  name: "tokabola",
  base: "/tokabola",
  router,
  renderError: renderTokabolaError,
};
