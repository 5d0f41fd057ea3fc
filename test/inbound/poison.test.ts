import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { queueEvents, requeueStuckEvents } from "../../src/core/inbound/intake";
import { MINUTE } from "../../src/lib/clock";
import { replayFailedEvents } from "../../src/core/inbound/unrouted";
import { extractEvents } from "../../src/upstreams/whatsapp/webhook-payload";
import { BASE } from "../helpers";
import { readyNumber, recipient } from "../messages/helpers";
import { signup } from "../helpers";
import { Harness, metaPayload, uniqueWamid } from "./harness";

const admin = { Authorization: "Bearer test-admin-token" };

async function rejected() {
  const res = await exports.default.fetch(`${BASE}/api/v1/admin/webhooks/rejected`, { headers: admin });
  expect(res.status).toBe(200);
  return (await res.json<{ events: { id: string; state: string; attempts: number; reason: string | null; body: { item: { id?: string } } }[] }>()).events;
}

async function row(h: Harness, id: string) {
  return h.ctx.db.prepare("SELECT state, attempts, failure FROM meta_events WHERE id = ?").bind(id).first<{ state: string; attempts: number; failure: string | null }>();
}

describe("Poison events", () => {
  it("a signed event whose messages[0].type is an object is recorded invalid at once, with its reason, never queued, and listed for the operator", async () => {
    const account = await signup();
    const phoneNumberId = await readyNumber(account.id);
    const h = new Harness();
    const wamid = uniqueWamid();
    const from = recipient();
    expect((await h.intake(metaPayload(phoneNumberId, { messages: [{ from, id: wamid, timestamp: "1700000000", type: { evil: true }, text: { body: "x" } }] }))).ok).toBe(true);
    const stored = await h.storeOnly();
    expect(stored).toEqual({ events: 1, fresh: [] });
    expect(h.inbound.pending).toEqual([]);
    const listed = (await rejected()).find((e) => e.body.item.id === wamid)!;
    expect(listed).toMatchObject({ state: "invalid", attempts: 0, reason: "message.type must be a string, not object" });
    h.clock.advance(10 * MINUTE);
    await requeueStuckEvents(h.ctx);
    expect(h.inbound.pending.map((m) => m.body.eventId)).not.toContain(listed.id);
  });

  it("checks the type of every field it reads when events are extracted", async () => {
    const reasons = async (value: Record<string, unknown>) => (await extractEvents(metaPayload("1234567", value))).map((e) => e.invalid ?? null);
    const m = { from: "243970001122", id: "wamid.A", timestamp: "1700000000", type: "text", text: { body: "ok" } };
    expect(await reasons({ messages: [m] })).toEqual([null]);
    expect(await reasons({ messages: [{ ...m, from: 243970001122 }] })).toEqual(["message.from must be a string, not number"]);
    expect(await reasons({ messages: [{ ...m, timestamp: 1700000000 }] })).toEqual(["message.timestamp must be a string, not number"]);
    expect(await reasons({ messages: [{ ...m, text: "plain" }] })).toEqual(["message.text must be a object, not string"]);
    expect(await reasons({ messages: [m], contacts: [{ wa_id: "243970001122", profile: { name: ["x"] } }] })).toEqual(["contact.profile.name must be a string, not array"]);
    expect(await reasons({ statuses: [{ id: "wamid.B", status: "failed", timestamp: "1", errors: [{ code: "131047" }] }] })).toEqual(["status.errors.code must be a number, not string"]);
    expect(await reasons({ statuses: [{ id: "wamid.B", status: "sent", timestamp: "1", pricing: "free" }] })).toEqual(["status.pricing must be a object, not string"]);
    expect(await reasons({ errors: [{ title: "no code" }] })).toEqual(["error.code is missing"]);
  });

  it("an event that fails processing is tried INBOUND_MAX_ATTEMPTS times, then marked failed with its reason and never re-queued", async () => {
    const h = new Harness({ INBOUND_MAX_ATTEMPTS: "3" } as never);
    const id = `evt_poison${crypto.randomUUID().replace(/-/g, "")}`;
    const payloadId = `p${id}`;
    await h.ctx.db.batch([
      h.ctx.db.prepare("INSERT INTO meta_payloads (id, body, source, received_at) VALUES (?, '{}', 'meta', ?)").bind(payloadId, h.clock.now()),
      // A status without its item (stored by an older version, say): every attempt throws.
      h.ctx.db
        .prepare("INSERT INTO meta_events (id, event_key, payload_id, kind, phone_number_id, body, received_at) VALUES (?, ?, ?, 'status', '1234567', '{}', ?)")
        .bind(id, `message:${id}`, payloadId, h.clock.now()),
    ]);
    await queueEvents(h.ctx, [id]);
    for (let attempt = 1; attempt <= 2; attempt++) {
      const result = await h.run("tuma-inbound");
      expect(result!.retryMessages).toHaveLength(1);
      expect(await row(h, id)).toMatchObject({ state: "received", attempts: attempt, failure: expect.stringContaining("TypeError") });
    }
    const last = await h.run("tuma-inbound");
    expect(last!.retryMessages).toHaveLength(0);
    expect(last!.explicitAcks).toHaveLength(1);
    expect(await row(h, id)).toMatchObject({ state: "failed", attempts: 3, failure: expect.stringMatching(/^gave up after 3 attempts: TypeError/) });
    expect((await rejected()).find((e) => e.id === id)).toMatchObject({ state: "failed", attempts: 3 });
    h.clock.advance(10 * MINUTE);
    await requeueStuckEvents(h.ctx);
    expect(h.inbound.pending.map((m) => m.body.eventId)).not.toContain(id);

    // The operator replays it (its cause fixed, say): queued again with a fresh count of attempts.
    expect(await replayFailedEvents(h.ctx)).toBeGreaterThanOrEqual(1);
    expect(await row(h, id)).toMatchObject({ state: "received", attempts: 0, failure: null });
    expect(h.inbound.pending.map((m) => m.body.eventId)).toContain(id);
    const anonymous = await exports.default.fetch(`${BASE}/api/v1/admin/webhooks/rejected/retry`, { method: "POST" });
    expect(anonymous.status).toBe(401);
  });

  it("attempts that died without a word count too: past the limit the event is marked failed instead of run", async () => {
    const h = new Harness({ INBOUND_MAX_ATTEMPTS: "2" } as never);
    const id = `evt_dead${crypto.randomUUID().replace(/-/g, "")}`;
    await h.ctx.db.batch([
      h.ctx.db.prepare("INSERT INTO meta_payloads (id, body, source, received_at) VALUES (?, '{}', 'meta', ?)").bind(`p${id}`, h.clock.now()),
      h.ctx.db
        .prepare("INSERT INTO meta_events (id, event_key, payload_id, kind, phone_number_id, body, received_at, attempts) VALUES (?, ?, ?, 'message', '1234567', '{}', ?, 2)")
        .bind(id, `message:${id}`, `p${id}`, h.clock.now()),
    ]);
    await queueEvents(h.ctx, [id]);
    await h.runInbound();
    expect(await row(h, id)).toMatchObject({ state: "failed", attempts: 3, failure: "gave up after 2 attempts: an attempt ended without a reason" });
  });
});
