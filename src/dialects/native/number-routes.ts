import * as z from "zod";
import { addNumberNow, deploymentIdByPhoneNumberId, listDeployments, requestCode, verifyCode, type Deployment } from "../../core/numbers/numbers";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** The account's numbers in the native API: the same provisioning as toKABOLA's add and number (ask_code, verify). */
const iso = (ms: number) => new Date(ms).toISOString();
const digits = (min: number, max: number) =>
  z
    .string()
    .transform((s) => s.replace(/[\s().+-]/g, ""))
    .pipe(z.string().regex(new RegExp(`^\\d{${min},${max}}$`), `must be ${min} to ${max} digits`));
const language = z.string().trim().regex(/^[a-z]{2}_[A-Z]{2}$/, "must look like fr_FR").default("fr_FR");

const NumberSchema = z
  .object({
    phone_number_id: z.string().nullable(),
    deployment_id: z.string(),
    display_number: z.string().describe("International form, e.g. +243812345678"),
    state: z.string().describe("INITIALIZING … CLUSTER_CREATED → CODE_SENT → CODE_VERIFIED → READY, or ERROR"),
    detail: z.string(),
    created_at: z.string(),
  })
  .meta({ id: "AccountNumber" });

const errors = {
  401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema },
  404: { description: "No such number for this account", schema: NativeErrorSchema },
};
const Param = z.object({ phone_number_id: z.string().regex(/^\d{5,20}$/, "must be a numeric id") });

const stateOf = (d: Pick<Deployment, "id" | "phoneNumberId" | "cc" | "number" | "state" | "detail">) => ({ phone_number_id: d.phoneNumberId, deployment_id: d.id, display_number: `+${d.cc}${d.number}`, state: d.state, detail: d.detail });

nativeRouter.get("/numbers", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const numbers = await listDeployments(rc.core, accountId);
  return json({
    data: numbers.map((n) => ({ phone_number_id: n.phoneNumberId, deployment_id: n.id, display_number: `+${n.cc}${n.number}`, state: n.state, detail: n.detail, created_at: iso(n.createdAt) })),
  });
});
declareRoute({
  method: "get",
  path: "/api/v1/numbers",
  operationId: "listNumbers",
  tag: "Native: numbers",
  summary: "The account's numbers with their state, newest first",
  security: "bearer",
  responses: { 200: { description: "Numbers", schema: z.object({ data: z.array(NumberSchema) }) }, 401: errors[401] },
});

const State = NumberSchema.omit({ created_at: true });

const addRoute = declareRoute({
  method: "post",
  path: "/api/v1/numbers",
  operationId: "addNumber",
  tag: "Native: numbers",
  summary: "Add a number: provisioning runs to CLUSTER_CREATED, then request the code",
  description: "As toKABOLA `add`. The number's API key is in the answer, shown once.",
  security: "bearer",
  body: z.strictObject({
    cc: digits(1, 3).describe("Country calling code, e.g. 243"),
    phone_number: digits(4, 14).describe("The national number"),
    phone_name: z.string().trim().min(2, "must be 2 to 75 characters").max(75, "must be 2 to 75 characters").describe("The display name WhatsApp shows"),
    language,
  }),
  examples: { drc: { summary: "A number in the DRC", value: { cc: "243", phone_number: "812345678", phone_name: "Boutique Kin" } } },
  responses: {
    201: { description: "The number, and its API key (shown once)", schema: State.extend({ api_key: z.string() }) },
    400: { description: "Invalid number or name", schema: NativeErrorSchema },
    401: errors[401],
    409: { description: "The number already belongs to a live deployment", schema: NativeErrorSchema },
    502: { description: "WhatsApp did not answer; retry", schema: NativeErrorSchema },
  },
});
nativeRouter.post("/numbers", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { body } = await addRoute.read(request);
  const { deployment, apiKey } = unwrap(
    await addNumberNow(rc.core, accountId, { cc: body.cc, number: body.phone_number, verifiedName: body.phone_name, method: "SMS", language: body.language }),
  );
  return json({ ...stateOf(deployment), api_key: apiKey }, 201);
});

const codeRoute = declareRoute({
  method: "post",
  path: "/api/v1/numbers/{phone_number_id}/code",
  operationId: "requestNumberCode",
  tag: "Native: numbers",
  summary: "Send the number its verification code, by SMS or voice call",
  security: "bearer",
  params: Param,
  body: z.strictObject({ method: z.enum(["SMS", "VOICE"]).default("SMS"), language }),
  responses: {
    200: { description: "The number's state (CODE_SENT)", schema: State },
    400: { description: "Invalid method", schema: NativeErrorSchema },
    ...errors,
    409: { description: "No code can be sent in the number's state", schema: NativeErrorSchema },
    429: { description: "A code was requested less than a minute ago", schema: NativeErrorSchema },
  },
});
nativeRouter.post("/numbers/:phone_number_id/code", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { params, body } = await codeRoute.read(request);
  const id = unwrap(await deploymentIdByPhoneNumberId(rc.core, accountId, params.phone_number_id));
  return json(stateOf(unwrap(await requestCode(rc.core, accountId, id, body.method, body.language))));
});

const verifyRoute = declareRoute({
  method: "post",
  path: "/api/v1/numbers/{phone_number_id}/verify",
  operationId: "verifyNumberCode",
  tag: "Native: numbers",
  summary: "Check the code the number received; the number then becomes READY",
  security: "bearer",
  params: Param,
  body: z.strictObject({ code: z.union([z.string().trim(), z.number().int().transform(String)]).pipe(z.string().regex(/^\d{6}$/, "must be 6 digits")) }),
  responses: {
    200: { description: "The number's state", schema: State },
    400: { description: "Not a 6-digit code", schema: NativeErrorSchema },
    ...errors,
    409: { description: "The number is not waiting for a code", schema: NativeErrorSchema },
    422: { description: "Wrong code, or too many wrong codes (request a new one)", schema: NativeErrorSchema },
  },
});
nativeRouter.post("/numbers/:phone_number_id/verify", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { params, body } = await verifyRoute.read(request);
  const id = unwrap(await deploymentIdByPhoneNumberId(rc.core, accountId, params.phone_number_id));
  return json(stateOf(unwrap(await verifyCode(rc.core, accountId, id, body.code, { inline: true }))));
});
