import * as z from "zod";
import { getAccount } from "../../core/accounts/accounts";
import {
  deleteDeployment,
  getDeployment,
  listDeployments,
  provisionNumber,
  requestCode,
  verifyCode,
  type DeploymentListItem,
} from "../../core/numbers/numbers";
import { DEPLOYMENT_STATES } from "../../durable/deployment-model";
import { AppError, unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute, type RouteSpec } from "../../lib/openapi";
import { parseWith } from "../../lib/validation";
import { VonageErrorSchema } from "./errors";
import { requireVonageAccount, VONAGE_BASE, vonageParse, vonageRouter } from "./router";

const digits = (min: number, max: number, what: string) =>
  z.union([z.string().trim(), z.number().int().nonnegative().transform(String)]).pipe(z.string().regex(new RegExp(`^\\d{${min},${max}}$`), what));
const otpMethod = z.enum(["sms", "voice"]);

const ProvisionRequest = z.object({
  country_code: digits(1, 3, "must be the international dialing code, e.g. 44"),
  number: digits(4, 14, "must be the number without its dialing code"),
  vname_certificate: z.string().trim().min(1, "is required").max(2048),
  method: otpMethod,
  waba_id: digits(1, 30, "must be a WABA id"),
  pin: digits(6, 6, "must be 6 digits").optional(),
}).meta({ id: "VonageProvisionRequest" });

const DeploymentResponse = z.object({
  deployment_id: z.string(),
  waba_id: z.string().nullable(),
  country_code: z.string(),
  number: z.string(),
  api_key: z.string().describe("In full in the provision response only; masked afterwards"),
  current_state: z.object({ title: z.enum(DEPLOYMENT_STATES), detail: z.string() }),
}).meta({ id: "VonageDeployment" });

type Shown = Pick<DeploymentListItem, "id" | "wabaId" | "cc" | "number" | "state" | "detail" | "apiKeyMasked">;
const deploymentResponse = (d: Shown, apiKey = d.apiKeyMasked) => ({
  deployment_id: d.id,
  waba_id: d.wabaId,
  country_code: d.cc,
  number: d.number,
  api_key: apiKey,
  current_state: { title: d.state, detail: d.detail },
});

const base = (path: string) => `${VONAGE_BASE}${path}`;
const doc = <B extends z.ZodType | undefined = undefined>(operationId: string, method: "get" | "post" | "delete", path: string, summary: string, responses: RouteSpec["responses"], body?: B, examples?: RouteSpec["examples"]) =>
  declareRoute({ method, path: base(path), operationId, tag: "Vonage WhatsApp Manager", summary, security: "vonage_jwt", body, examples, responses });
/** Vonage's own example request. */
const PROVISION_EXAMPLE = { country_code: "44", number: "8675309", vname_certificate: "AbCdEFGHiJK123456", method: "sms", waba_id: "123456789123", pin: "123456" };
const err = (description: string) => ({ description, schema: VonageErrorSchema });

const provisionRoute = doc("vonageProvisionDeployment", "post", "/deployments", "Provision a deployment; the code is sent automatically at CLUSTER_CREATED", {
  202: { description: "Provisioning started", schema: DeploymentResponse },
  400: err("invalid-json"),
  401: err("unauthorized / jwt-expired"),
  409: err("number-in-use"),
  422: err("unprocessable"),
}, ProvisionRequest, { provision: { summary: "Vonage's example", value: PROVISION_EXAMPLE } });
vonageRouter.post("/deployments", async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  const { body } = await provisionRoute.read(request, vonageParse());
  const account = unwrap(await getAccount(rc.core, accountId));
  const method = body.method === "voice" ? "VOICE" : "SMS";
  const { deployment, apiKey } = unwrap(
    await provisionNumber(rc.core, accountId, {
      cc: body.country_code,
      number: body.number,
      wabaId: body.waba_id,
      verifiedName: account.name,
      vnameCertificate: body.vname_certificate,
      pin: body.pin ?? null,
      method,
      language: "en_US",
      autoRequestCode: true,
      inline: false,
    }),
  );
  return json(deploymentResponse(deployment, apiKey), 202);
});

vonageRouter.get("/deployments", async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  const items = await listDeployments(rc.core, accountId);
  return json({ deployments: items.map((d) => deploymentResponse(d)) });
});
doc("vonageListDeployments", "get", "/deployments", "List the account's deployments (Tuma's addition; Vonage has no list operation)", {
  200: { description: "Newest first, deleted ones left out", schema: z.object({ deployments: z.array(DeploymentResponse) }) },
  401: err("unauthorized / jwt-expired"),
});

vonageRouter.get("/deployments/:id", async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  return json(deploymentResponse(unwrap(await getDeployment(rc.core, accountId, request.params.id!))));
});
doc("vonageGetDeployment", "get", "/deployments/{deployment_id}", "Get a deployment", {
  200: { description: "The deployment", schema: DeploymentResponse },
  401: err("unauthorized / jwt-expired"),
  404: err("not-found"),
});

vonageRouter.delete("/deployments/:id", async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  unwrap(await deleteDeployment(rc.core, accountId, request.params.id!));
  return new Response(null, { status: 204 });
});
doc("vonageDeleteDeployment", "delete", "/deployments/{deployment_id}", "Delete a deployment (DELETING, then DELETED)", {
  204: { description: "Deletion started" },
  401: err("unauthorized / jwt-expired"),
  404: err("not-found"),
  409: err("conflict-deployment-state"),
});

const ResendRequest = z.object({ method: otpMethod });
const resendRoute = doc("vonageResendOtp", "post", "/deployments/{deployment_id}/resend-otp", "Send the code again (CODE_SENT or WRONG_CODE, once a minute)", {
  202: { description: "Code sent", schema: z.object({ message: z.literal("Code sent"), vname: z.string(), method: otpMethod }) },
  400: err("invalid-json"),
  401: err("unauthorized / jwt-expired"),
  404: err("not-found"),
  409: err("conflict-resend-otp"),
  429: err("throttled"),
}, ResendRequest, { sms: { summary: "Vonage's example", value: { method: "sms" } } });
vonageRouter.post("/deployments/:id/resend-otp", async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  const { method } = (await resendRoute.read(request, vonageParse())).body;
  const d = unwrap(await requestCode(rc.core, accountId, request.params.id!, method === "voice" ? "VOICE" : "SMS", "en_US"));
  return json({ message: "Code sent", vname: d.verifiedName, method }, 202);
});

const OtpCode = z.union([z.string().trim(), z.number().int().transform(String)]).pipe(z.string().regex(/^\d{6}$/, "must be 6 digits"));
const VerifyRequest = z.object({ code: OtpCode });
const verifyRoute = doc("vonageVerifyDeployment", "post", "/deployments/{deployment_id}/verify", "Verify the code; the deployment then moves through FINALIZING to READY", {
  201: { description: "Verified", schema: z.object({ deployment_id: z.string(), status: z.literal("Deployment was Created") }) },
  400: err("invalid-json"),
  401: err("unauthorized / jwt-expired"),
  404: err("not-found"),
  409: err("conflict-deployment-state"),
  422: err("verification-failed"),
}, VerifyRequest, { verify: { summary: "Vonage's example", value: { code: "123456" } } });
/**
 * A missing or malformed code is `verification-failed`, as Vonage answers it; it does not count as
 * a wrong attempt. A body that is not an object is the dialect's usual invalid request.
 */
const codeRefused = <S extends z.ZodType>(schema: S, data: unknown): z.output<S> => {
  const parsed = parseWith(schema, data);
  if (parsed.ok) return parsed.value;
  if (parsed.error.details.issues?.every((i) => i.field === "code")) throw new AppError("verification_failed", "Invalid code provided: the code is the 6 digits sent by SMS or voice.");
  return vonageParse()(schema, data);
};
vonageRouter.post("/deployments/:id/verify", async (request, rc) => {
  const accountId = await requireVonageAccount(request, rc);
  const { code } = (await verifyRoute.read(request, codeRefused)).body;
  const d = unwrap(await verifyCode(rc.core, accountId, request.params.id!, code, { inline: false }));
  return json({ deployment_id: d.id, status: "Deployment was Created" }, 201);
});
