import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listDeliveries, replayDead, replayDelivery } from "../../src/core/client-webhooks/deliveries";
import { HOUR } from "../../src/lib/clock";
import { unwrap } from "../../src/lib/errors";
import { BASE, signup, tokenFor } from "../helpers";
import { readyNumber, recipient } from "../messages/helpers";
import { Harness, createNativeEndpoint, inboundText, sinkKey, sinkLog } from "./harness";

async function accountWithEndpoint(h: Harness, path: (key: string) => string) {
  const account = await signup();
  const phoneNumberId = await readyNumber(account.id);
  const key = sinkKey();
  const endpoint = unwrap(await createNativeEndpoint(h.ctx, account.id, `https://hooks.sink.test/${key}/${path(key)}`)).endpoint;
  return { account, phoneNumberId, key, endpoint };
}

const seconds = (ms: number) => Math.floor(ms / 1000);

describe("Client webhook deliveries", () => {
  it("one batch of deliveries settles each on its own: the endpoint that answers gets its event once, the one that fails is retried later", async () => {
    const h = new Harness();
    const { account, phoneNumberId, key, endpoint: ok } = await accountWithEndpoint(h, () => "ok");
    const failing = unwrap(await createNativeEndpoint(h.ctx, account.id, `https://hooks.sink.test/${key}/dead`)).endpoint;
    await h.intake(inboundText(phoneNumberId, recipient(), "Bonjour"));
    await h.runInbound();
    const result = await h.run("tuma-deliveries");
    expect(result!.explicitAcks).toHaveLength(2); // the native one that answers, and the toKABOLA account webhook
    expect(result!.retryMessages).toHaveLength(1);
    const [delivered] = await listDeliveries(h.ctx, account.id, { endpointId: ok.id, limit: 1 });
    const [retried] = await listDeliveries(h.ctx, account.id, { endpointId: failing.id, limit: 1 });
    expect(delivered).toMatchObject({ state: "delivered", attempts: 1, last_status: 200 });
    expect(retried).toMatchObject({ state: "pending", attempts: 1, last_status: 500, last_error: "HTTP 500" });
    expect(retried!.next_attempt_at).toBe(h.clock.now() + 30_000);
    expect((await sinkLog(key)).map((r) => r.answered).sort()).toEqual([200, 500]);
  });

  it("an endpoint failing for the first three hours receives every event once it recovers, each with one delivery id across attempts", async () => {
    const h = new Harness();
    const t0 = h.clock.now();
    const { phoneNumberId, key, account, endpoint } = await accountWithEndpoint(h, () => `fail-until/${seconds(t0 + 3 * HOUR)}`);
    for (let i = 0; i < 3; i++) await h.intake(inboundText(phoneNumberId, recipient(), `Message ${i}`));
    await h.runInbound();
    await h.runDeliveriesUntil(t0 + 6 * HOUR);

    const received = await sinkLog(key);
    const byEvent = new Map<string, typeof received>();
    for (const r of received) byEvent.set(JSON.parse(r.body).id, [...(byEvent.get(JSON.parse(r.body).id) ?? []), r]);
    expect(byEvent.size).toBe(3);
    for (const attempts of byEvent.values()) {
      expect(new Set(attempts.map((a) => a.headers["tuma-delivery-id"])).size).toBe(1);
      expect(attempts.filter((a) => a.answered === 200)).toHaveLength(1);
      expect(attempts.at(-1)!.answered).toBe(200);
      // 30 s, 1, 2, 5, 10, 30 min, then hourly: the first try after 3 h is the 10th.
      expect(attempts).toHaveLength(10);
    }
    const rows = await listDeliveries(h.ctx, account.id, { endpointId: endpoint.id, limit: 10 });
    expect(rows.map((r) => r.state)).toEqual(["delivered", "delivered", "delivered"]);
    expect(rows[0]!.attempt_log.map((a) => a.status_code)).toEqual([503, 503, 503, 503, 503, 503, 503, 503, 503, 200]);
    expect(rows[0]!.attempt_log[1]!.at - rows[0]!.attempt_log[0]!.at).toBe(30_000);
  });

  it("dead-letters a delivery after the retry window and replays it, one by one or by time range, with the same delivery id", async () => {
    const h = new Harness({ WEBHOOK_RETRY_HOURS: "1" } as never);
    const t0 = h.clock.now();
    const { phoneNumberId, key, account, endpoint } = await accountWithEndpoint(h, () => `fail-until/${seconds(t0 + 2 * HOUR)}`);
    for (let i = 0; i < 2; i++) await h.intake(inboundText(phoneNumberId, recipient(), `Message ${i}`));
    await h.runInbound();
    await h.runDeliveriesUntil(t0 + 3 * HOUR);
    const dead = await listDeliveries(h.ctx, account.id, { endpointId: endpoint.id, state: "dead", limit: 10 });
    expect(dead).toHaveLength(2);
    expect(dead[0]!.attempt_log.at(-1)!.at).toBe(t0 + HOUR);
    expect(h.deliveries.pending).toEqual([]);

    h.clock.current = t0 + 2.5 * HOUR;
    const replayed = await replayDelivery(h.ctx, account.id, dead[0]!.id);
    expect(replayed.ok && replayed.value.state).toBe("pending");
    expect((await replayDelivery(h.ctx, account.id, dead[0]!.id)).ok).toBe(false);
    expect(await replayDead(h.ctx, account.id, t0 - HOUR, t0 + HOUR)).toBe(1);
    await h.runDeliveries();
    const after = await listDeliveries(h.ctx, account.id, { endpointId: endpoint.id, limit: 10 });
    expect(after.map((d) => d.state)).toEqual(["delivered", "delivered"]);
    const received = await sinkLog(key);
    for (const d of dead) {
      const mine = received.filter((r) => r.headers["tuma-delivery-id"] === d.id);
      expect(mine.at(-1)!.answered).toBe(200);
      expect(mine.length).toBe(d.attempts + 1);
    }
  });

  it("one account's hanging endpoint does not delay another account's delivery in the same batch", async () => {
    const h = new Harness({ WEBHOOK_TIMEOUT_MS: "1000" } as never);
    const slow = await accountWithEndpoint(h, () => "slow/3000");
    const fast = await accountWithEndpoint(h, () => "ok");
    await h.intake(inboundText(slow.phoneNumberId, recipient(), "Lent"));
    await h.intake(inboundText(fast.phoneNumberId, recipient(), "Rapide"));
    await h.runInbound();
    const started = Date.now();
    await h.run("tuma-deliveries");
    const elapsed = Date.now() - started;
    const [fastHit] = await sinkLog(fast.key);
    expect(fastHit!.at - started).toBeLessThan(500);
    expect(elapsed).toBeLessThan(2500);
    const [slowDelivery] = await listDeliveries(h.ctx, slow.account.id, { endpointId: slow.endpoint.id, limit: 1 });
    expect(slowDelivery!.state).toBe("pending");
    expect(slowDelivery!.last_error).toBe("timed out");
  });

  it("lists deliveries with their attempts and replays through the native API, scoped to the account", async () => {
    const h = new Harness({ WEBHOOK_RETRY_HOURS: "0.01" } as never);
    const { phoneNumberId, account, endpoint } = await accountWithEndpoint(h, () => "dead");
    await h.intake(inboundText(phoneNumberId, recipient(), "Perdu ?"));
    await h.runInbound();
    await h.runDeliveriesUntil(h.clock.now() + HOUR);
    const token = await tokenFor(account);
    const auth = { Authorization: `Bearer ${token}` };
    const list = await exports.default.fetch(`${BASE}/api/v1/deliveries?state=dead&endpoint_id=${endpoint.id}`, { headers: auth });
    expect(list.status).toBe(200);
    const [delivery] = (await list.json<{ deliveries: { id: string; state: string; attempt_log: { status_code: number }[] }[] }>()).deliveries;
    expect(delivery!.state).toBe("dead");
    expect(delivery!.attempt_log.every((a) => a.status_code === 500)).toBe(true);

    const other = await tokenFor(await signup());
    const stranger = await exports.default.fetch(`${BASE}/api/v1/deliveries/${delivery!.id}/replay`, { method: "POST", headers: { Authorization: `Bearer ${other}` } });
    expect(stranger.status).toBe(404);
    const replay = await exports.default.fetch(`${BASE}/api/v1/deliveries/${delivery!.id}/replay`, { method: "POST", headers: auth });
    expect(replay.status).toBe(200);
    expect((await replay.json<{ state: string }>()).state).toBe("pending");
    const row = await env.DB.prepare("SELECT state FROM deliveries WHERE id = ?").bind(delivery!.id).first<{ state: string }>();
    expect(["pending", "dead"]).toContain(row!.state);
  });
});
