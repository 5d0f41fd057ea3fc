import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { listDeliveries } from "../../src/core/client-webhooks/deliveries";
import { unwrap } from "../../src/lib/errors";
import { PRODUCTION } from "../fixtures/production";
import { BASE, signup, tokenFor } from "../helpers";
import { readyNumber, recipient } from "../messages/helpers";
import { Harness, createNativeEndpoint, inboundText, sinkKey, sinkLog } from "./harness";

/** One inbound message to an account's endpoint at `url`, delivered once; its delivery as the native API lists it. */
async function deliverOnce(h: Harness, url: (key: string) => string, networkError?: Error) {
  const account = await signup();
  const phoneNumberId = await readyNumber(account.id);
  const key = sinkKey();
  const endpoint = unwrap(await createNativeEndpoint(h.ctx, account.id, url(key))).endpoint;
  await h.intake(inboundText(phoneNumberId, recipient(), "Bonjour"));
  await h.runInbound();
  // The fakes answer every call: a network that fails is the fetch rejecting.
  if (networkError) vi.spyOn(globalThis, "fetch").mockRejectedValueOnce(networkError);
  await h.run("tuma-deliveries");
  vi.restoreAllMocks();
  const [delivery] = await listDeliveries(h.ctx, account.id, { endpointId: endpoint.id, limit: 1 });
  const listed = await exports.default.fetch(`${BASE}/api/v1/deliveries?endpoint_id=${endpoint.id}`, { headers: { Authorization: `Bearer ${await tokenFor(account)}` } });
  return { key, delivery: delivery!, listed: await listed.text() };
}

describe("what a delivery record tells the client", () => {
  it("a connection failure reads 'connection failed', never the network's own words", async () => {
    const h = new Harness();
    const refused = new TypeError("Network connection lost: connect ECONNREFUSED 10.1.2.3:6379 (-NOAUTH Authentication required)");
    const { delivery, listed } = await deliverOnce(h, (key) => `https://hooks.sink.test/${key}/ok`, refused);
    expect(delivery.state).toBe("pending");
    expect(delivery.last_error).toBe("connection failed");
    expect(delivery.attempt_log.map((a) => [a.status_code, a.error])).toEqual([[null, "connection failed"]]);
    expect(listed).toContain("connection failed");
    expect(listed).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|NOAUTH/);
  });

  it("an HTTP error reads 'HTTP <status>'", async () => {
    const { delivery } = await deliverOnce(new Harness(), (key) => `https://hooks.sink.test/${key}/dead`);
    expect(delivery.last_error).toBe("HTTP 500");
  });

  it("a URL the policy refuses is not called when the delivery is due (here: set in development, delivered in production)", async () => {
    const h = new Harness(PRODUCTION);
    const { key, delivery } = await deliverOnce(h, (k) => `http://localhost:9000/${k}/ok`);
    expect(delivery.attempt_log.map((a) => [a.status_code, a.error])).toEqual([[null, "URL not allowed"]]);
    expect(await sinkLog(key)).toEqual([]);
  });
});
