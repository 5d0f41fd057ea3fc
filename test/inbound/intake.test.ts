import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { intakeMetaPayload, storePayloads } from "../../src/core/inbound/intake";
import { sha256Hex } from "../../src/lib/crypto";
import { unwrap } from "../../src/lib/errors";
import { BASE, signup } from "../helpers";
import { PRODUCTION } from "../fixtures/production";
import { readyNumber, recipient } from "../messages/helpers";
import { Harness, createNativeEndpoint, eventRows, inboundText, metaPayload, metaSignature, sinkKey, sinkLog, statusPayload, uniqueWamid } from "./harness";

function postMeta(body: string, signature?: string) {
  return exports.default.fetch(`${BASE}/webhooks/meta`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(signature ? { "X-Hub-Signature-256": signature } : {}) },
    body,
  });
}

async function stored(body: string) {
  const payload = await env.DB.prepare("SELECT id FROM meta_payloads WHERE id = ?").bind(await sha256Hex(body)).first();
  return payload !== null;
}

describe("Meta webhook intake", () => {
  it("answers the verification handshake only with the right verify token", async () => {
    const ok = await exports.default.fetch(`${BASE}/webhooks/meta?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    const wrong = await exports.default.fetch(`${BASE}/webhooks/meta?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444`);
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain("1158201444");
  });

  it("stores nothing when the signature is missing, wrong, made with another secret or over other bytes", async () => {
    const wamid = uniqueWamid();
    const body = JSON.stringify(inboundText("106540352242922", "243970001122", "Bonjour", wamid));
    const attempts = [
      await postMeta(body),
      await postMeta(body, "sha256=deadbeef"),
      await postMeta(body, await metaSignature(body, "another-app-secret")),
      await postMeta(body.replace("Bonjour", "Bonsoir"), await metaSignature(body)),
      await postMeta(body, (await metaSignature(body)).replace("sha256=", "sha1=")),
    ];
    for (const res of attempts) expect(res.status).toBe(401);
    expect(await stored(body)).toBe(false);
    expect(await stored(body.replace("Bonjour", "Bonsoir"))).toBe(false);
    expect(await eventRows(wamid)).toEqual([]);
  });

  it("in production, refuses payloads signed with the sandbox's public default secret, and does not run without META_APP_SECRET", async () => {
    const h = new Harness(PRODUCTION);
    const raw = new TextEncoder().encode(JSON.stringify(statusPayload("106540352242924", uniqueWamid(), "read")));
    const refused = await intakeMetaPayload(h.ctx, raw, await metaSignature(raw, "tuma-sandbox-app-secret"));
    expect(refused.ok || refused.error.code).toBe("unauthorized");
    expect(() => new Harness({ ...PRODUCTION, META_APP_SECRET: undefined })).toThrow(/META_APP_SECRET is required/);
  });

  it("queues a signed payload before answering 200; the INBOUND consumer stores it, one row per event", async () => {
    const wamid = uniqueWamid();
    const body = JSON.stringify(statusPayload("106540352242923", wamid, "delivered"));
    const res = await postMeta(body, await metaSignature(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "queued" });
    await vi.waitFor(async () => expect((await eventRows(wamid)).map((e) => e.event_key)).toEqual([`status:${wamid}:delivered`]), { timeout: 15_000, interval: 50 });
    expect(await stored(body)).toBe(false); // an ordinary payload is stored as its events only
  });

  it("delivers a payload Meta sends three times (and once more batched differently) once per event", async () => {
    const account = await signup();
    const phoneNumberId = await readyNumber(account.id);
    const h = new Harness();
    const key = sinkKey();
    const { secret } = unwrap(await createNativeEndpoint(h.ctx, account.id, `https://hooks.sink.test/${key}/ok`));
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const from = recipient();
    const [m1, m2] = [uniqueWamid(), uniqueWamid()];
    const payload = inboundText(phoneNumberId, from, "Bonjour", m1);
    (payload.entry[0]!.changes[0]!.value as unknown as { messages: unknown[] }).messages.push({ from, id: m2, timestamp: "1767261600", type: "text", text: { body: "Encore" } });
    for (let i = 0; i < 3; i++) expect((await h.intake(payload)).ok).toBe(true);
    // The same second message alone, as Meta may re-batch it.
    await h.intake(inboundText(phoneNumberId, from, "Encore", m2));
    await h.runInbound();
    await h.runDeliveries();
    const received = await sinkLog(key);
    expect(received.map((r) => JSON.parse(r.body).message.id).sort()).toEqual([m1, m2].sort());
    expect(new Set(received.map((r) => r.headers["tuma-delivery-id"])).size).toBe(2);
    const { results } = await env.DB.prepare("SELECT COUNT(*) AS n FROM inbound_messages WHERE wamid IN (?, ?)").bind(m1, m2).all<{ n: number }>();
    expect(results[0]!.n).toBe(2);
    expect([...(await eventRows(m1)), ...(await eventRows(m2))]).toHaveLength(2);
  });

  it("keeps and lists events for a number no account has, and processes them once the number is known", async () => {
    const wamid = uniqueWamid();
    const h = new Harness();
    const unknownNumber = `7${Date.now()}`;
    await h.intake(inboundText(unknownNumber, "243970001122", "Allô ?", wamid));
    await h.runInbound();
    expect((await eventRows(wamid)).map((e) => e.state)).toEqual(["unrouted"]);
    const res = await exports.default.fetch(`${BASE}/api/v1/admin/webhooks/unrouted`, { headers: { Authorization: "Bearer test-admin-token" } });
    expect(res.status).toBe(200);
    const listed = (await res.json<{ events: { phone_number_id: string; body: { item: { id: string } } }[] }>()).events;
    expect(listed.find((e) => e.body.item.id === wamid)?.phone_number_id).toBe(unknownNumber);
  });
});

describe("Payloads too large for a queue message", () => {
  it("stores a payload over 120 KB before answering, queues only its reference, and the consumer processes every event of it", async () => {
    const h = new Harness();
    const unknownNumber = `7${Date.now()}`;
    const wamids = Array.from({ length: 10 }, () => uniqueWamid());
    const details = "x".repeat(14_000);
    const payload = metaPayload(unknownNumber, {
      statuses: wamids.map((id) => ({ id, status: "failed", timestamp: "1767261600", recipient_id: "243970001122", errors: [{ code: 131026, title: "Message undeliverable", error_data: { details } }] })),
    });
    const body = JSON.stringify(payload);
    expect(body.length).toBeGreaterThan(128 * 1024);
    expect((await h.intake(payload)).ok).toBe(true);
    expect(await stored(body)).toBe(true);
    const queued = h.inbound.pending.map((m) => m.body);
    expect(queued).toEqual([{ kind: "meta_payload", receivedAt: expect.any(Number), payloadId: await sha256Hex(body) }]);
    await h.runInbound();
    for (const wamid of wamids) expect((await eventRows(wamid)).map((e) => e.state)).toEqual(["unrouted"]);
  });
});

describe("Payloads with thousands of events", () => {
  it("stores all 1,200 statuses of one payload, deduplicated, and answers them in arrival order", async () => {
    const h = new Harness();
    const unknownNumber = `7${Date.now()}`;
    const wamids = Array.from({ length: 1200 }, () => uniqueWamid());
    const statuses = wamids.map((id) => ({ id, status: "sent", timestamp: "1767261600", recipient_id: "243970001122" }));
    const text = JSON.stringify(metaPayload(unknownNumber, { statuses: [...statuses, statuses[7]] }));
    const stored = await storePayloads(h.ctx, [{ text, source: "meta", routeTo: null, receivedAt: h.clock.now(), payloadId: null }]);
    expect(stored.events).toBe(1201);
    expect(stored.fresh.map((e) => JSON.parse(e.body).item.id)).toEqual(wamids);
    expect((await storePayloads(h.ctx, [{ text, source: "meta", routeTo: null, receivedAt: h.clock.now(), payloadId: null }])).fresh).toEqual([]);
  });
});

describe("Payloads with characters beyond Latin-1", () => {
  it("queues by reference a payload whose emoji would double its size in a queue message", async () => {
    const h = new Harness();
    const unknownNumber = `7${Date.now()}`;
    const wamid = uniqueWamid();
    // 70,000 characters: 70 KB as Latin-1, 140 KB once one emoji makes the queue store two bytes per character.
    const payload = inboundText(unknownNumber, "243970001122", `🙂${"a".repeat(70_000)}`, wamid);
    expect((await h.intake(payload)).ok).toBe(true);
    expect(h.inbound.pending.map((m) => m.body)).toEqual([{ kind: "meta_payload", receivedAt: expect.any(Number), payloadId: await sha256Hex(JSON.stringify(payload)) }]);
    await h.runInbound();
    expect((await eventRows(wamid)).map((e) => e.state)).toEqual(["unrouted"]);
  });
});
