import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { uniqueNumber } from "../durable/numbers-helpers";
import { BASE, post, signupWithToken, tokabola } from "../helpers";

export interface EngagelabClient {
  accountId: string;
  token: string;
  devKey: string;
  devSecret: string;
  auth: string;
}

export const basic = (devKey: string, devSecret: string) => `Basic ${btoa(`${devKey}:${devSecret}`)}`;

/** A new account with an EngageLab key pair created through the native route. */
export async function engagelabClient(): Promise<EngagelabClient> {
  const account = await signupWithToken();
  const res = await post("/api/v1/engagelab/keys", { label: "test" }, { Authorization: `Bearer ${account.token}` });
  expect(res.status).toBe(201);
  const key = await res.json<{ dev_key: string; dev_secret: string }>();
  return { accountId: account.id, token: account.token, devKey: key.dev_key, devSecret: key.dev_secret, auth: basic(key.dev_key, key.dev_secret) };
}

/** A READY sandbox number of the client's account, added and verified through toKABOLA. */
export async function readyNumber(client: EngagelabClient): Promise<{ phoneNumberId: string; display: string }> {
  const phone_number = uniqueNumber();
  const added = await tokabola({ type: "add", add: { cc: "243", phone_number, phone_name: "Boutique Kin", language: "fr_FR" } }, client.token);
  expect(added.status).toBe(200);
  const pnid = (await added.json<{ data: { phone_number_id: string } }>()).data.phone_number_id;
  const asked = await tokabola({ type: "number", number: { method: "ask_code", phone_number_id: pnid, otp_type: "SMS", language: "fr_FR" } }, client.token);
  expect(asked.status).toBe(200);
  const verified = await tokabola({ type: "number", number: { method: "verify", phone_number_id: pnid, otp_code: "123456" } }, client.token);
  expect(verified.status).toBe(200);
  return { phoneNumberId: pnid, display: `+243${phone_number}` };
}

/** A request to the EngageLab dialect; `body` as a string is sent verbatim. */
export function engagelab(method: string, path: string, auth: string | null, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (auth !== null) headers.Authorization = auth;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return exports.default.fetch(`${BASE}/engagelab/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** POST /messages as the client, or with a raw Authorization header (null: none). */
export const send = (client: EngagelabClient | string | null, body: unknown) =>
  engagelab("POST", "/messages", client === null || typeof client === "string" ? client : client.auth, body);

export async function errorOf(res: Response): Promise<{ status: number; code: number; message: string }> {
  const body = await res.json<{ code: number; message: string }>();
  expect(Object.keys(body).sort()).toEqual(["code", "message"]);
  return { status: res.status, ...body };
}
