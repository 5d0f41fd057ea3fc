/**
 * The status webhooks of the Meta stand-in (meta-standin.ts): the payloads Meta posts for an
 * accepted send (shared/reference/meta-cloud-api.md §6.4–6.7), signed as Meta signs them, and the
 * plan of which arrive duplicated, out of order, or before the send's HTTP answer.
 * Plain Web APIs only (crypto.subtle, Request), so it runs in workerd and in Node alike.
 */

/** A source of numbers in [0, 1), like Math.random. */
export type Random = () => number;

/** A seeded source (mulberry32): the same seed gives the same chaos, run after run. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Chaos {
  /** Probability that a status is posted twice. */
  duplicate: number;
  /** Whether a message's statuses arrive in random order (read before delivered, …). */
  shuffle: boolean;
  /** Probability that a status is posted before the send's HTTP answer returns. */
  early: number;
}

interface PlannedStatus {
  status: string;
  early: boolean;
}

/** The POSTs for one accepted send, in the order they will arrive. */
export function planStatuses(statuses: readonly string[], chaos: Chaos, random: Random): PlannedStatus[] {
  const posts = statuses.flatMap((status) => (random() < chaos.duplicate ? [status, status] : [status]));
  if (chaos.shuffle) {
    for (let i = posts.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [posts[i], posts[j]] = [posts[j]!, posts[i]!];
    }
  }
  return posts.map((status) => ({ status, early: random() < chaos.early }));
}

export interface SentMessage {
  wamid: string;
  phoneNumberId: string;
  recipient: string;
  /** The Graph version of the send (`v23.0`): v24.0 and later omit `conversation`. */
  version: string;
  /** `marketing`, `utility`, `authentication` for a template; `service` otherwise. */
  category: string;
}

/**
 * One status as Meta posts it. `pricing` (and, up to v23.0, `conversation`) ride on `sent` and on
 * `delivered`; `expiration_timestamp` only on `sent` (§6.6).
 */
export function statusPayload(message: SentMessage, status: string, wabaId: string, nowMs: number) {
  const timestamp = Math.floor(nowMs / 1000);
  const item: Record<string, unknown> = { id: message.wamid, status, timestamp: String(timestamp), recipient_id: message.recipient };
  if (status === "sent" || status === "delivered") {
    const service = message.category === "service";
    const major = Number(/^v(\d+)/.exec(message.version)?.[1] ?? 0);
    if (major < 24) {
      item.conversation = {
        id: `conv${message.wamid.slice(-12)}`,
        ...(status === "sent" ? { expiration_timestamp: String(timestamp + 86_400) } : {}),
        origin: { type: message.category },
      };
    }
    item.pricing = { billable: !service, pricing_model: "PMP", type: service ? "free_customer_service" : "regular", category: message.category };
  }
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: wabaId,
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: message.phoneNumberId.replace(/^20*/, ""), phone_number_id: message.phoneNumberId },
              statuses: [item],
            },
          },
        ],
      },
    ],
  };
}

/** `sha256=<hex HMAC-SHA256(app secret, raw body)>`, Meta's `X-Hub-Signature-256`. */
export async function hubSignature(appSecret: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(appSecret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(body)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}
