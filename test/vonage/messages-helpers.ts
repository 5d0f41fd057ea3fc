import { verifySignature } from "@vonage/jwt";
import { Messages } from "@vonage/messages";
import { decodeJwt } from "jose";
import { expect } from "vitest";
import { sha256Hex } from "../../src/lib/crypto";
import type { SinkRecord } from "../fakes/webhook-sink";
import { seedReadyNumber } from "../fixtures/numbers";
import { BASE, post, uniqueName } from "../helpers";
import { sinkKey } from "../inbound/harness";

export interface VonageMessagesClient {
  accountId: string;
  apiKey: string;
  apiSecret: string;
  signatureSecret: string;
  applicationId: string;
  privateKey: string;
  statusKey: string;
  inboundKey: string;
  /** The READY number, digits (Vonage's `from`), and its phone_number_id. */
  from: string;
  phoneNumberId: string;
}

/** A Vonage customer's one step at Tuma: POST /api/v1/vonage/signup with both webhooks, then a READY number. */
export async function vonageMessagesClient(): Promise<VonageMessagesClient> {
  const statusKey = sinkKey();
  const inboundKey = sinkKey();
  const res = await post("/api/v1/vonage/signup", {
    name: uniqueName("Vonage"),
    status_url: `https://hooks.sink.test/${statusKey}/ok`,
    inbound_url: `https://hooks.sink.test/${inboundKey}/ok`,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const made = await res.json<{ account_id: string; api_key: string; api_secret: string; signature_secret: string; application: { id: string; keys: { private_key: string } } }>();
  const number = await seedReadyNumber(made.account_id);
  return {
    accountId: made.account_id,
    apiKey: made.api_key,
    apiSecret: made.api_secret,
    signatureSecret: made.signature_secret,
    applicationId: made.application.id,
    privateKey: made.application.keys.private_key,
    statusKey,
    inboundKey,
    from: `${number.cc}${number.number}`,
    phoneNumberId: number.phoneNumberId,
  };
}

/** Vonage's own SDK, configured as a customer would (`apiHost`); its calls run in withWorkerFetch. */
export const jwtSdk = (c: VonageMessagesClient) => new Messages({ applicationId: c.applicationId, privateKey: c.privateKey }, { apiHost: `${BASE}/vonage` });
export const basicSdk = (c: VonageMessagesClient) => new Messages({ apiKey: c.apiKey, apiSecret: c.apiSecret }, { apiHost: `${BASE}/vonage` });

/** A webhook as a Vonage receiver checks it: the Bearer JWT verifies with the signature secret (Vonage's own verifier), and its payload_hash is the body's. */
export async function expectSignedByVonageRules(record: SinkRecord, c: VonageMessagesClient): Promise<Record<string, unknown>> {
  const token = /^Bearer (.+)$/.exec(record.headers.authorization ?? "")?.[1] ?? "";
  expect(verifySignature(token, c.signatureSecret)).toBe(true);
  expect(verifySignature(token, `${c.signatureSecret}x`)).toBe(false);
  const claims = decodeJwt(token);
  expect(claims).toMatchObject({ iss: "Vonage", api_key: c.apiKey, application_id: c.applicationId, payload_hash: await sha256Hex(record.body) });
  expect(typeof claims.iat).toBe("number");
  expect(typeof claims.jti).toBe("string");
  return JSON.parse(record.body);
}
