import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { handleFetch } from "../../src/app/fetch";
import type { Env } from "../../src/config/env";
import { describe, expect, it } from "vitest";
import { engagelabClient } from "../engagelab/helpers";
import { vonageClient } from "../vonage/helpers";
import { BASE, signup, signupWithToken, tokabola, uniqueName } from "../helpers";
import { productionEnv } from "../fixtures/production";

/**
 * The limits are wrangler.toml's own (RATE_LIMIT_* bindings, simulated by miniflare): ordinary
 * tests stay under them, these bursts go past them.
 */

/** Sends `count` requests, `width` at a time, and answers their responses. */
async function burst(count: number, request: () => Promise<Response>, width = 50): Promise<Response[]> {
  const responses: Response[] = [];
  for (let sent = 0; sent < count; sent += width) {
    responses.push(...(await Promise.all(Array.from({ length: Math.min(width, count - sent) }, request))));
  }
  return responses;
}

/**
 * The Worker's own fetch handler, with the low-limit test binding in place of RATE_LIMIT_ACCOUNT:
 * the same code as production, a limit a test can pass in a few dozen requests.
 */
const lowLimitEnv = { ...(env as unknown as Env), RATE_LIMIT_ACCOUNT: env.TEST_RATE_LIMIT_LOW };
const lowLimitFetch = (request: Request) => handleFetch(request, lowLimitEnv, createExecutionContext());

const throttled = (responses: Response[]) => responses.filter((r) => r.status === 429);

describe("rate limits", () => {
  it("throttles 60 wrong key_user attempts on one account with 429 and Retry-After, in toKABOLA's format", async () => {
    const account = await signup();
    const responses = await burst(60, () => tokabola({ type: "token", token: { id_user: account.id, key_user: "1-wrong" } }), 60);
    const limited = throttled(responses);
    expect(limited.length).toBeGreaterThanOrEqual(40);
    expect(responses.filter((r) => r.status === 401).length).toBeLessThanOrEqual(20);
    expect(limited[0]!.headers.get("Retry-After")).toBe("60");
    expect(await limited[0]!.json()).toMatchObject({ status: "error", code: 429 });
    // The right key is throttled too while the target is: a guesser learns nothing past the limit.
    const right = await tokabola({ type: "token", token: { id_user: account.id, key_user: account.key } });
    expect(right.status).toBe(429);
    // Another account is not affected.
    const other = await signup();
    expect((await tokabola({ type: "token", token: { id_user: other.id, key_user: other.key } })).status).toBe(200);
  });

  it("throttles a burst of signups from one client IP, and not another IP's", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const signupFrom = (from: string) =>
      exports.default.fetch(`${BASE}/tokabola/v1/`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": from },
        body: JSON.stringify({ type: "signup", signup: { name: uniqueName() } }),
      });
    const responses = await burst(20, () => signupFrom(ip), 20);
    const limited = throttled(responses);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(limited[0]!.headers.get("Retry-After")).toBe("60");
    expect((await signupFrom(`203.0.113.${Math.floor(Math.random() * 250) + 1}`)).status).toBe(201);
  });

  it("does not throttle signups from this machine in development (wrangler dev's 127.0.0.1), and does in production", async () => {
    const signupFrom = (from: string, production: boolean) => {
      const request = new Request(`${BASE}/tokabola/v1/`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": from },
        body: JSON.stringify({ type: "signup", signup: { name: uniqueName() } }),
      });
      return production ? handleFetch(request, productionEnv(), createExecutionContext()) : exports.default.fetch(request);
    };
    expect(throttled(await burst(20, () => signupFrom("127.0.0.1", false), 20))).toEqual([]);
    expect(throttled(await burst(20, () => signupFrom("::1", true), 20)).length).toBeGreaterThanOrEqual(10);
  });

  it("throttles an authenticated burst per account in the native format, not another account", async () => {
    const account = await signupWithToken();
    const other = await signupWithToken();
    const wallets = (token: string) => lowLimitFetch(new Request(`${BASE}/api/v1/wallets`, { headers: { Authorization: `Bearer ${token}` } }));
    const limited = throttled(await burst(60, () => wallets(account.token), 60));
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.headers.get("Retry-After")).toBe("10");
    expect(await limited[0]!.json()).toMatchObject({ error: { code: "rate_limited" } });
    expect((await wallets(other.token)).status).toBe(200);
  });

  it("throttles an authenticated burst per account in EngageLab's format", async () => {
    const client = await engagelabClient();
    const templates = () => lowLimitFetch(new Request(`${BASE}/engagelab/v1/templates`, { headers: { Authorization: client.auth } }));
    const limited = throttled(await burst(60, templates, 60));
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.headers.get("Retry-After")).toBe("10");
    expect(await limited[0]!.json()).toMatchObject({ code: 1000 });
  });

  it("throttles an authenticated burst per account in Vonage's format", async () => {
    const client = await vonageClient();
    const jwt = await client.jwt();
    const list = () => lowLimitFetch(new Request(`${BASE}/vonage/v0.1/whatsapp-manager/deployments`, { headers: { Authorization: `Bearer ${jwt}` } }));
    const limited = throttled(await burst(60, list, 60));
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.headers.get("Retry-After")).toBe("10");
    expect(await limited[0]!.json()).toMatchObject({ title: "Throttled" });
  });
});
