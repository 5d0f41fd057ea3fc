import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { seedReadyNumber } from "../fixtures/numbers";
import { BASE, post, signupWithToken } from "../helpers";

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

/** A READY sandbox number of the client's account, seeded directly. */
export async function readyNumber(client: EngagelabClient): Promise<{ phoneNumberId: string; display: string }> {
  const { phoneNumberId, cc, number } = await seedReadyNumber(client.accountId);
  return { phoneNumberId, display: `+${cc}${number}` };
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
