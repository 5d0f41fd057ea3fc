import { createExecutionContext, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { handleFetch } from "../../src/app/fetch";
import type { Env } from "../../src/config/env";
import { deleteDeployment, verifyCode } from "../../src/core/numbers/numbers";
import { sha256Hex } from "../../src/lib/crypto";
import { expectState, mirrorOf, newAccount, provision, stubOf } from "../durable/numbers-helpers";
import { BASE, coreContext, signupWithToken } from "../helpers";
import { addedNumber, expectLamError, lamGet, readyNumber, rotateKey } from "./helpers";

const health = async (res: Response) => (await res.json<{ health: { gateway_status: string } }>()).health.gateway_status;
const cached = async (apiKey: string) => env.TOKENS.get(`numkey:${await sha256Hex(apiKey)}`);
/** GET /lam/health with the key, answered once the work left for after the response (waitUntil, e.g. the KV copy) is done. */
async function healthSettled(apiKey: string): Promise<Response> {
  const execution = createExecutionContext();
  const res = await handleFetch(new Request(`${BASE}/lam/health`, { headers: { "LAM-API-KEY": apiKey } }), env as unknown as Env, execution);
  await waitOnExecutionContext(execution);
  return res;
}

describe("LAfricaMobile API key", () => {
  it("a READY number's key opens /lam/health in LAM-API-KEY and in D360-API-KEY", async () => {
    const n = await readyNumber();
    for (const header of ["LAM-API-KEY", "D360-API-KEY"]) {
      const res = await lamGet("/health", n.apiKey, header);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ health: { gateway_status: "connected" }, meta: { api_status: "stable", version: expect.any(String) } });
    }
  });

  it("no key, an empty key and an unknown key answer 401 with the On-Premise error 1005", async () => {
    for (const key of [undefined, "", "  ", "0".repeat(40), "x".repeat(300)]) {
      const body = await expectLamError(await lamGet("/health", key), 401);
      expect(body.errors).toEqual([{ code: 1005, title: "Access denied", details: expect.any(String) }]);
    }
  });

  it("a READY number's key is cached in KV under its hash; a non-READY number's is not", async () => {
    const ready = await readyNumber();
    expect(await cached(ready.apiKey)).toBeNull();
    expect((await healthSettled(ready.apiKey)).status).toBe(200);
    expect(JSON.parse((await cached(ready.apiKey))!)).toMatchObject({ p: ready.phoneNumberId, d: ready.deploymentId });
    const added = await addedNumber();
    expect((await healthSettled(added.apiKey)).status).toBe(200);
    expect(await cached(added.apiKey)).toBeNull();
  });

  it("rotation through the native route: the new key works, the old one (even cached) is refused at once", async () => {
    const n = await readyNumber();
    expect((await healthSettled(n.apiKey)).status).toBe(200);
    expect(await cached(n.apiKey)).not.toBeNull();
    const res = await rotateKey(n.token, n.phoneNumberId);
    expect(res.status).toBe(200);
    const body = await res.json<{ api_key: string; api_key_masked: string; phone_number_id: string; deployment_id: string }>();
    expect(body).toEqual({
      phone_number_id: n.phoneNumberId,
      deployment_id: n.deploymentId,
      api_key: expect.stringMatching(/^[0-9a-f]{40}$/),
      api_key_masked: `${body.api_key.slice(0, 8)}********`,
    });
    expect((await mirrorOf(n.deploymentId))!.api_key_hash).toBe(await sha256Hex(body.api_key));
    expect(await cached(n.apiKey)).toBeNull();
    await expectLamError(await lamGet("/health", n.apiKey), 401);
    expect((await lamGet("/health", body.api_key)).status).toBe(200);
  });

  it("a number added through toKABOLA (not yet READY) can get a new key too", async () => {
    const n = await addedNumber();
    const res = await rotateKey(n.token, n.phoneNumberId);
    expect(res.status).toBe(200);
    const { api_key } = await res.json<{ api_key: string }>();
    expect(await health(await lamGet("/health", api_key))).toBe("unregistered");
  });

  it("the key route needs the account's bearer token and answers 404 for another account's number", async () => {
    const n = await readyNumber();
    expect((await rotateKey(undefined, n.phoneNumberId)).status).toBe(401);
    const other = await signupWithToken();
    const res = await rotateKey(other.token, n.phoneNumberId);
    expect(res.status).toBe(404);
    expect((await lamGet("/health", n.apiKey)).status).toBe(200); // untouched
    expect((await rotateKey(n.token, "999999999999999")).status).toBe(404);
  });

  it("a deleted number's key stops: disconnected while DELETING (cache dropped), 401 once DELETED, and rotation is refused", async () => {
    const n = await readyNumber();
    expect((await healthSettled(n.apiKey)).status).toBe(200);
    expect(await cached(n.apiKey)).not.toBeNull();
    expect((await deleteDeployment(coreContext(), n.accountId, n.deploymentId)).ok).toBe(true);
    expect(await cached(n.apiKey)).toBeNull();
    expect(await health(await lamGet("/health", n.apiKey))).toBe("disconnected");
    await runDurableObjectAlarm(stubOf(n.deploymentId));
    await expectState(n.deploymentId, "DELETED");
    await expectLamError(await lamGet("/health", n.apiKey), 401);
    expect((await rotateKey(n.token, n.phoneNumberId)).status).toBe(404);
  });
});

describe("GET /lam/health", () => {
  it("maps the number's state to the On-Premise gateway status", async () => {
    const accountId = await newAccount();
    const { deployment, apiKey } = await provision(accountId, {});
    expect(await health(await lamGet("/health", apiKey))).toBe("uninitialized");
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(stubOf(deployment.id));
    await expectState(deployment.id, "CODE_SENT");
    expect(await health(await lamGet("/health", apiKey))).toBe("unregistered");
    expect((await verifyCode(coreContext(), accountId, deployment.id, "123456", { inline: false })).ok).toBe(true);
    expect(await health(await lamGet("/health", apiKey))).toBe("connecting");
    await runDurableObjectAlarm(stubOf(deployment.id));
    await runDurableObjectAlarm(stubOf(deployment.id));
    await expectState(deployment.id, "READY");
    expect(await health(await lamGet("/health", apiKey))).toBe("connected");
  });

  it("a number whose registration failed is disconnected", async () => {
    const accountId = await newAccount();
    const { deployment, apiKey } = await provision(accountId, { pin: "000000" });
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(stubOf(deployment.id));
    await verifyCode(coreContext(), accountId, deployment.id, "123456", { inline: true });
    await expectState(deployment.id, "ERROR");
    expect(await health(await lamGet("/health", apiKey))).toBe("disconnected");
  });
});
