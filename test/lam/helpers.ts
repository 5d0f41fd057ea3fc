import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { uniqueNumber } from "../durable/numbers-helpers";
import { rotateNumberKey } from "../../src/core/credentials/number-keys";
import { seedReadyNumber } from "../fixtures/numbers";
import { BASE, coreContext, post, signupWithToken, tokabola } from "../helpers";

export interface LamNumber {
  token: string;
  accountId: string;
  phoneNumberId: string;
  deploymentId: string;
  apiKey: string;
}

interface Added {
  data: { phone_number_id: string; deployment_id: string; api_key: string };
}

/** A number added through toKABOLA (sandbox), stopped at CLUSTER_CREATED, in a new account unless given one. */
export async function addedNumber(account?: { token: string; id: string }): Promise<LamNumber> {
  const { token, id } = account ?? (await signupWithToken());
  const res = await tokabola({ type: "add", add: { cc: "243", phone_number: uniqueNumber(), phone_name: "Boutique Kin", language: "fr_FR" } }, token);
  expect(res.status).toBe(200);
  const { data } = await res.json<Added>();
  return { token, accountId: id, phoneNumberId: data.phone_number_id, deploymentId: data.deployment_id, apiKey: data.api_key };
}

/** A READY number (sandbox), seeded directly, in a new account unless given one. */
export async function readyNumber(account?: { token: string; id: string }): Promise<LamNumber> {
  const { token, id } = account ?? (await signupWithToken());
  const n = await seedReadyNumber(id);
  return { token, accountId: id, phoneNumberId: n.phoneNumberId, deploymentId: n.deploymentId, apiKey: n.apiKey };
}

export function lamGet(path: string, apiKey?: string, header = "LAM-API-KEY"): Promise<Response> {
  return exports.default.fetch(`${BASE}/lam${path}`, { headers: apiKey === undefined ? {} : { [header]: apiKey } });
}

export function lamPost(path: string, body: unknown, apiKey?: string, headers: Record<string, string> = {}): Promise<Response> {
  return post(`/lam${path}`, body, { ...(apiKey === undefined ? {} : { "LAM-API-KEY": apiKey }), ...headers });
}

/** Issues a new key for a number through the native route. */
export function rotateKey(token: string | undefined, phoneNumberId: string): Promise<Response> {
  return post(`/api/v1/numbers/${phoneNumberId}/api-key`, {}, token ? { Authorization: `Bearer ${token}` } : {});
}

export interface LamErrorBody {
  errors: { code: number; title: string; details: string }[];
  meta: { api_status: string; version: string };
}

/** Asserts the On-Premise error shape, and returns its entries' codes. */
export async function expectLamError(res: Response, status: number): Promise<LamErrorBody> {
  expect(res.status).toBe(status);
  const body = await res.json<LamErrorBody>();
  expect(body.meta).toEqual({ api_status: "stable", version: expect.any(String) });
  expect(body.errors.length).toBeGreaterThan(0);
  for (const e of body.errors) expect(e).toEqual({ code: expect.any(Number), title: expect.any(String), details: expect.any(String) });
  return body;
}

/** A key for a number made by the core helpers (e.g. a READY number on the fake Graph API). */
export async function keyFor(accountId: string, phoneNumberId: string): Promise<string> {
  const rotated = await rotateNumberKey(coreContext(), accountId, phoneNumberId);
  if (!rotated.ok) throw rotated.error;
  return rotated.value.apiKey;
}
