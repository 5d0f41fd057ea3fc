import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { seedReadyNumber } from "../fixtures/numbers";
import { BASE, post, signupWithToken } from "../helpers";
import { sinkKey } from "../inbound/harness";

export interface CloudClient {
  accountId: string;
  /** The native bearer token (toKABOLA's), for the /api/v1/cloud-api routes. */
  nativeToken: string;
  accessToken: string;
  tokenId: string;
  wabaId: string;
  phoneNumberId: string;
  /** The sink key and verify token of the registered webhook. */
  sink: string;
  appSecret: string;
}

/** A Cloud API developer's steps at Tuma: an account with a READY number, an access token, a webhook that passed Meta's handshake. */
export async function cloudClient(): Promise<CloudClient> {
  const account = await signupWithToken();
  const number = await seedReadyNumber(account.id);
  const auth = { Authorization: `Bearer ${account.token}` };
  const made = await post("/api/v1/cloud-api/tokens", { label: "tests" }, auth);
  expect(made.status, await made.clone().text()).toBe(201);
  const token = await made.json<{ id: string; access_token: string; waba_id: string }>();
  const sink = sinkKey();
  const hook = await putWebhook(account.token, `https://hooks.sink.test/${sink}/meta/verify-${sink}`, `verify-${sink}`);
  expect(hook.status, await hook.clone().text()).toBe(200);
  const { app_secret: appSecret } = await hook.json<{ app_secret: string }>();
  return { accountId: account.id, nativeToken: account.token, accessToken: token.access_token, tokenId: token.id, wabaId: token.waba_id, phoneNumberId: number.phoneNumberId, sink, appSecret };
}

export function putWebhook(nativeToken: string, url: string, verifyToken: string): Promise<Response> {
  return exports.default.fetch(`${BASE}/api/v1/cloud-api/webhook`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${nativeToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ url, verify_token: verifyToken }),
  });
}

/** A raw Graph call, as any Cloud API client makes it. */
export function graph(method: string, path: string, accessToken: string | null, body?: unknown): Promise<Response> {
  return exports.default.fetch(`${BASE}/graph/v23.0${path}`, {
    method,
    headers: { ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

export interface GraphError {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  error_data: { messaging_product: string; details: string };
  is_transient: boolean;
  fbtrace_id: string;
}

/** Asserts Graph's error envelope and returns its error. */
export async function expectGraphError(res: Response, status: number, code: number): Promise<GraphError> {
  expect(res.status).toBe(status);
  const { error } = await res.json<{ error: GraphError }>();
  expect(error).toMatchObject({ code, message: expect.stringMatching(new RegExp(`^\\(#${code}\\) `)), type: expect.any(String), fbtrace_id: expect.any(String) });
  expect(error.error_data.messaging_product).toBe("whatsapp");
  return error;
}

let sequence = 0;
/** An APPROVED utility template (the sandbox approves at once) made through Graph's own creation route. */
export async function createTemplate(c: CloudClient, body = "Bonjour {{1}}, votre code est {{2}}."): Promise<string> {
  const name = `cloud_${Date.now().toString(36)}_${++sequence}_${Math.random().toString(36).slice(2, 6)}`;
  const res = await graph("POST", `/${c.wabaId}/message_templates`, c.accessToken, {
    name,
    language: "fr",
    category: "UTILITY",
    components: [{ type: "BODY", text: body, example: { body_text: [["Awa", "4821"]] } }],
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return name;
}

/** A customer number no other test writes to. */
export const customer = () => `24397${String(Date.now() + ++sequence).slice(-7)}`;
