import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { GRAPH_APP_SECRET } from "../fakes/graph";
import type { SinkRecord } from "../fakes/webhook-sink";
import { ManualClock, coreContext } from "../helpers";
import { INBOUND_PAYLOAD_KIND, intakeMetaPayload, storePayloads, type PayloadMessage } from "../../src/core/inbound/intake";
import type { Env } from "../../src/config/env";
import { consumeBatch, type QueueMessage } from "../../src/app/queues";
import { hmacSha256Hex } from "../../src/lib/crypto";
import { createEndpoint } from "../../src/core/client-webhooks/endpoints";
import { WEBHOOK_FORMATS } from "../../src/dialects/client-webhook-formats";
import type { CoreContext } from "../../src/config/context";

/** Adds a native endpoint (canonical JSON, every number's events), as `POST /api/v1/webhooks` does. */
export const createNativeEndpoint = (ctx: CoreContext, accountId: string, url: string) =>
  createEndpoint(ctx, WEBHOOK_FORMATS.endpointFormat("native", "listed"), accountId, url);

/** A queue binding that keeps what is sent, with when it becomes due, so a test runs the consumer itself. */
class CapturedQueue {
  pending: { body: QueueMessage; dueAt: number }[] = [];
  constructor(private clock: ManualClock) {}
  async send(body: QueueMessage, options?: { delaySeconds?: number }) {
    this.pending.push({ body, dueAt: this.clock.now() + (options?.delaySeconds ?? 0) * 1000 });
  }
  async sendBatch(messages: { body: QueueMessage; delaySeconds?: number }[]) {
    for (const m of messages) await this.send(m.body, m);
  }
  /** Takes the messages due now. */
  takeDue(): QueueMessage[] {
    const now = this.clock.now();
    const due = this.pending.filter((m) => m.dueAt <= now);
    this.pending = this.pending.filter((m) => m.dueAt > now);
    return due.map((m) => m.body);
  }
  nextDueAt(): number | null {
    return this.pending.length ? Math.min(...this.pending.map((m) => m.dueAt)) : null;
  }
}

/**
 * The inbound pipeline with the queues captured and the clock in the test's hands: intake →
 * `runInbound()` (INBOUND consumer) → `runDeliveries()` (DELIVERIES consumer); a retried message
 * comes back `delaySeconds` later on the manual clock, as Cloudflare Queues would.
 */
export class Harness {
  clock = new ManualClock(Date.now());
  inbound = new CapturedQueue(this.clock);
  deliveries = new CapturedQueue(this.clock);
  sends = new CapturedQueue(this.clock);
  ctx;
  constructor(overrides: Partial<Env> = {}) {
    this.ctx = coreContext(this.clock, { INBOUND: this.inbound, DELIVERIES: this.deliveries, SENDS: this.sends, ...overrides } as unknown as Partial<Env>);
  }

  async intake(payload: unknown) {
    const raw = new TextEncoder().encode(JSON.stringify(payload));
    const result = await intakeMetaPayload(this.ctx, raw, await metaSignature(raw));
    await this.settle();
    return result;
  }

  /** Stores the queued payloads as the INBOUND consumer does, without processing their events (a consumer that died there). */
  async storeOnly() {
    const payloads = this.inbound.takeDue().filter((m) => m.kind === INBOUND_PAYLOAD_KIND) as unknown as PayloadMessage[];
    return storePayloads(this.ctx, payloads.map((m) => ({ text: m.body!, source: "meta" as const, routeTo: null, receivedAt: m.receivedAt, payloadId: null })));
  }

  async settle() {
    while (this.ctx.deferred.length) await Promise.all(this.ctx.deferred.splice(0));
  }

  /** Runs one batch of the due messages of a queue; returns the batch's outcome. */
  async run(queue: "tuma-inbound" | "tuma-deliveries" | "tuma-sends") {
    const source = queue === "tuma-inbound" ? this.inbound : queue === "tuma-deliveries" ? this.deliveries : this.sends;
    const bodies = source.takeDue();
    if (!bodies.length) return null;
    const messages = bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(this.clock.now()), attempts: 1, body }));
    const batch = createMessageBatch(queue, messages);
    // The test batch records that a message was retried, not its delay: keep the delay here.
    const delays = new Map<string, number>();
    for (const message of batch.messages) {
      const retry = message.retry.bind(message);
      Object.defineProperty(message, "retry", { value: (options?: QueueRetryOptions) => (delays.set(message.id, options?.delaySeconds ?? 0), retry()) });
    }
    const executionCtx = createExecutionContext();
    await consumeBatch(this.ctx, batch as MessageBatch<QueueMessage>);
    const result = await getQueueResult(batch, executionCtx);
    for (const retried of result.retryMessages) {
      const body = messages.find((m) => m.id === retried.msgId)!.body;
      await source.send(body, { delaySeconds: delays.get(retried.msgId) ?? 0 });
    }
    await this.settle();
    return result;
  }

  async runInbound() {
    await this.drain("tuma-inbound");
  }

  async runDeliveries() {
    await this.drain("tuma-deliveries");
  }

  /** Runs batches until nothing is due; a message retried without delay forever fails the test. */
  private async drain(queue: "tuma-inbound" | "tuma-deliveries") {
    for (let rounds = 0; await this.run(queue); rounds++) {
      if (rounds > 50) throw new Error(`${queue}: messages keep coming back at once`);
    }
  }

  /** Moves the clock to each next due delivery and runs it, until none is left or `untilMs` passes. */
  async runDeliveriesUntil(untilMs: number) {
    await this.runDeliveries();
    for (let next = this.deliveries.nextDueAt(); next !== null && next <= untilMs; next = this.deliveries.nextDueAt()) {
      this.clock.current = Math.max(this.clock.current, next);
      await this.runDeliveries();
    }
  }
}

export async function metaSignature(raw: Uint8Array | string, secret = GRAPH_APP_SECRET): Promise<string> {
  return `sha256=${await hmacSha256Hex(secret, raw)}`;
}

let seq = 0;
export const uniqueWamid = () => `wamid.TEST${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
export const sinkKey = () => `k${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export function metaPayload(phoneNumberId: string, value: Record<string, unknown>) {
  return {
    object: "whatsapp_business_account",
    entry: [{ id: "102290129340398", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "243815550100", phone_number_id: phoneNumberId }, ...value } }] }],
  };
}

export function inboundText(phoneNumberId: string, from: string, body = "Bonjour", id = uniqueWamid()) {
  return metaPayload(phoneNumberId, {
    contacts: [{ profile: { name: "Mireille K." }, wa_id: from }],
    messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body } }],
  });
}

export function statusPayload(phoneNumberId: string, wamid: string, status: string, extra: Record<string, unknown> = {}) {
  return metaPayload(phoneNumberId, { statuses: [{ id: wamid, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: "243970001122", ...extra }] });
}

export async function sinkLog(key: string): Promise<SinkRecord[]> {
  return (await fetch(`https://hooks.sink.test/_log/${key}`)).json();
}

/**
 * Polls the sink (vitest's waitFor) until `count` of its requests under `key` match `where`, and
 * answers those: webhooks sent through the real queues arrive in the background.
 */
export function waitForSink(key: string, count: number, where: (record: SinkRecord) => boolean = () => true): Promise<SinkRecord[]> {
  return vi.waitFor(
    async () => {
      const matching = (await sinkLog(key)).filter(where);
      if (matching.length < count) throw new Error(`only ${matching.length} of ${count} webhooks reached ${key}`);
      return matching;
    },
    // Inside the 30 s test timeout, so a miss says how many arrived.
    { timeout: 25_000, interval: 200 },
  );
}

export async function eventRows(keyLike: string) {
  const { results } = await env.DB.prepare("SELECT id, event_key, state, account_id FROM meta_events WHERE instr(event_key, ?) > 0").bind(keyLike).all<{ id: string; event_key: string; state: string; account_id: string | null }>();
  return results;
}
