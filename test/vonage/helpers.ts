import { exports } from "cloudflare:workers";
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { expect } from "vitest";
import { BASE, signupWithToken } from "../helpers";

const VONAGE = "/vonage/v0.1/whatsapp-manager";

export interface VonageClient {
  accountId: string;
  accountToken: string;
  applicationId: string;
  privateKey: CryptoKey;
  /** A JWT as Vonage's SDK makes it (iat, jti, exp = iat + 15 min), with claims overridden. */
  jwt(claims?: Record<string, unknown>, key?: CryptoKey): Promise<string>;
  call(method: string, path: string, body?: unknown, jwt?: string): Promise<Response>;
}

export async function registerKey(accountToken: string, applicationId: string, publicKeyPem: string): Promise<Response> {
  return exports.default.fetch(`${BASE}/api/v1/vonage/application`, {
    method: "PUT",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${accountToken}` },
    body: JSON.stringify({ application_id: applicationId, public_key: publicKeyPem }),
  });
}

export async function newKeyPair() {
  return generateKeyPair("RS256", { extractable: true });
}

export async function vonageClient(): Promise<VonageClient> {
  const account = await signupWithToken();
  const { publicKey, privateKey } = await newKeyPair();
  const applicationId = crypto.randomUUID();
  const registered = await registerKey(account.token, applicationId, await exportSPKI(publicKey));
  expect(registered.status).toBe(200);
  const client: VonageClient = {
    accountId: account.id,
    accountToken: account.token,
    applicationId,
    privateKey,
    async jwt(claims = {}, key = privateKey) {
      const iat = Math.floor(Date.now() / 1000);
      const payload = { application_id: applicationId, iat, jti: crypto.randomUUID(), exp: iat + 900, ...claims };
      for (const [k, v] of Object.entries(payload)) if (v === undefined) delete (payload as Record<string, unknown>)[k];
      return new SignJWT(payload).setProtectedHeader({ typ: "JWT", alg: "RS256" }).sign(key);
    },
    async call(method, path, body, jwt) {
      const token = jwt ?? (await client.jwt());
      return exports.default.fetch(`${BASE}${VONAGE}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
    },
  };
  return client;
}

export interface VonageError {
  type: string;
  title: string;
  detail: string;
  instance: string;
  invalid_parameters?: { name: string; reason: string }[];
}

/** Asserts a Vonage error response: status, the `#fragment` of its type, the required fields. */
export async function expectVonageError(res: Response, status: number, fragment: string): Promise<VonageError> {
  expect(res.status).toBe(status);
  const body = await res.json<VonageError>();
  expect(body.type.endsWith(`#${fragment}`)).toBe(true);
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  expect(body.instance).toMatch(/^[0-9a-f]{32}$/);
  return body;
}
