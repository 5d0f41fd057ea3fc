/**
 * A stand-in for Meta's Graph API send path that behaves like Meta under load, where the fake of
 * graph.ts answers at once and posts nothing:
 * - `POST /{version}/{phone-number-id}/messages` answers Meta's success body after a latency
 *   (default 200 ms ± 25 %, uniformly random);
 * - a token bucket per number (default 80 msg/s, a burst of one second's worth) answers 130429 when
 *   empty, and a second send to the same recipient from the same number within 6 s answers 131056
 *   (both HTTP 400 with Graph's error envelope, after the same latency; a send refused for its pair
 *   has spent its token, and only an accepted send starts its pair's window);
 * - each accepted send's statuses (default sent, delivered, read) are posted, one per POST, to the
 *   webhook URL, signed `X-Hub-Signature-256` with the app secret; chaos (duplicates, shuffled
 *   order, statuses posted before the HTTP answer) comes from the random source, so a seed fixes it;
 * - requests open at once are counted, overall and per invocation (a request header), with maxima.
 * No vitest API: `handle(request)` fits `outboundService` or a Node HTTP server, and `deliver` is
 * any fetch-like function (a worker's `fetch`, global fetch). Random source, clock and sleep are
 * injectable, so a test runs it at 0 ms, deterministically.
 */
import { GRAPH_APP_SECRET, GRAPH_TOKEN, GRAPH_WABA_ID } from "./graph.ts";
import { type Chaos, type Random, type SentMessage, hubSignature, planStatuses, statusPayload } from "./meta-standin-statuses.ts";

type Fetch = (request: Request) => Promise<Response>;

export interface StandinOptions {
  /** Mean answer time of a send, ms (200); each answer takes it ± `jitter` (0.25), uniformly. */
  latencyMs?: number;
  jitter?: number;
  /** Sends per second per number (80): the bucket's refill rate and its size. */
  ratePerSecond?: number;
  /** How long a (number, recipient) pair stays closed after a send, ms (6000). */
  pairWindowMs?: number;
  /** The statuses posted for each accepted send, in Meta's order (sent, delivered, read). */
  statuses?: readonly string[];
  /** The pricing category of a template send's statuses (utility); other sends are `service`. */
  templateCategory?: string;
  /** Where statuses are posted; none are posted without it. */
  webhookUrl?: string;
  /** How they are posted (global fetch). */
  deliver?: Fetch;
  chaos?: Partial<Chaos>;
  /** The header naming the caller's invocation, for the per-invocation concurrency (x-invocation). */
  invocationHeader?: string;
  appSecret?: string;
  accessToken?: string;
  wabaId?: string;
  random?: Random;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface StandinCounters {
  accepted: number;
  throughputRefused: number;
  pairRefused: number;
  statusesPosted: number;
  /** Status POSTs the webhook did not answer with a 2xx (or that threw). */
  statusesRejected: number;
  inFlight: number;
  maxConcurrent: number;
  maxConcurrentByInvocation: Record<string, number>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A macrotask: the caller that awaited the answer runs before what follows it. */
const afterAnswer = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Graph's error envelope (reference §1.4): `(#code) title`, the details in `error_data`. */
function graphError(code: number, title: string, details: string, status = 400) {
  const fbtrace_id = `Standin${code}${Math.random().toString(36).slice(2, 10)}`;
  const error = { message: `(#${code}) ${title}`, type: "OAuthException", code, error_data: { messaging_product: "whatsapp", details }, fbtrace_id };
  return Response.json({ error }, { status, headers: { "x-fb-trace-id": fbtrace_id } });
}

export class MetaStandin {
  readonly counters: StandinCounters = {
    accepted: 0,
    throughputRefused: 0,
    pairRefused: 0,
    statusesPosted: 0,
    statusesRejected: 0,
    inFlight: 0,
    maxConcurrent: 0,
    maxConcurrentByInvocation: {},
  };
  private readonly o: Required<Omit<StandinOptions, "webhookUrl" | "chaos">> & { webhookUrl?: string; chaos: Chaos };
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly pairs = new Map<string, number>();
  private readonly openByInvocation = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();
  private seq = 0;

  constructor(options: StandinOptions = {}) {
    this.o = {
      latencyMs: 200,
      jitter: 0.25,
      ratePerSecond: 80,
      pairWindowMs: 6000,
      statuses: ["sent", "delivered", "read"],
      templateCategory: "utility",
      deliver: (request) => fetch(request),
      invocationHeader: "x-invocation",
      appSecret: GRAPH_APP_SECRET,
      accessToken: GRAPH_TOKEN,
      wabaId: GRAPH_WABA_ID,
      random: Math.random,
      now: Date.now,
      sleep: realSleep,
      // An option given as undefined keeps its default.
      ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
      chaos: { duplicate: 0, shuffle: false, early: 0, ...options.chaos },
    };
  }

  async handle(request: Request): Promise<Response> {
    const invocation = request.headers.get(this.o.invocationHeader) ?? "";
    this.open(invocation, 1);
    try {
      return await this.answer(request);
    } finally {
      this.open(invocation, -1);
    }
  }

  /** Resolves once every status planned so far has been posted (and answered). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private open(invocation: string, delta: 1 | -1) {
    const c = this.counters;
    c.inFlight += delta;
    c.maxConcurrent = Math.max(c.maxConcurrent, c.inFlight);
    const here = (this.openByInvocation.get(invocation) ?? 0) + delta;
    this.openByInvocation.set(invocation, here);
    c.maxConcurrentByInvocation[invocation] = Math.max(c.maxConcurrentByInvocation[invocation] ?? 0, here);
  }

  /** Decides at arrival (bucket, pair), answers after the latency, errors included. */
  private async answer(request: Request): Promise<Response> {
    const outcome = await this.decide(request);
    const latency = this.o.latencyMs * (1 + this.o.jitter * (2 * this.o.random() - 1));
    if (outcome instanceof Response) {
      await this.o.sleep(latency);
      return outcome;
    }
    const plan = planStatuses(this.o.statuses, this.o.chaos, this.o.random);
    const early = this.track(this.post(outcome.message, plan.filter((p) => p.early).map((p) => p.status)));
    const late = plan.filter((p) => !p.early).map((p) => p.status);
    await this.o.sleep(latency);
    await early;
    if (late.length) this.track(afterAnswer().then(() => this.post(outcome.message, late)));
    const { wamid, recipient } = outcome.message;
    return Response.json({ messaging_product: "whatsapp", contacts: [{ input: outcome.input, wa_id: recipient }], messages: [{ id: wamid }] });
  }

  private async decide(request: Request): Promise<Response | { message: SentMessage; input: string }> {
    const [version = "", phoneNumberId = "", edge] = new URL(request.url).pathname.split("/").filter(Boolean);
    if (request.method !== "POST" || edge !== "messages" || !/^v\d+\.\d+$/.test(version)) {
      return graphError(100, "Invalid parameter", "the Meta stand-in answers only POST /{version}/{phone-number-id}/messages");
    }
    if (request.headers.get("Authorization") !== `Bearer ${this.o.accessToken}`) return graphError(190, "Invalid OAuth access token", "the token is not the stand-in's", 401);
    const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
    const input = typeof body?.to === "string" ? body.to : "";
    if (body?.messaging_product !== "whatsapp" || !/^\+?\d{5,15}$/.test(input)) {
      return graphError(100, "Invalid parameter", "messaging_product must be whatsapp and to a phone number");
    }
    const recipient = input.replace(/^\+/, "");
    const now = this.o.now();
    if (!this.takeToken(phoneNumberId, now)) {
      this.counters.throughputRefused++;
      return graphError(130429, "Rate limit hit", `more than ${this.o.ratePerSecond} messages per second from this number`);
    }
    const pair = `${phoneNumberId}:${recipient}`;
    if (now - (this.pairs.get(pair) ?? -Infinity) < this.o.pairWindowMs) {
      this.counters.pairRefused++;
      return graphError(131056, "(Business Account, Consumer Account) pair rate limit hit", "too many messages to this recipient from this number");
    }
    this.pairs.set(pair, now);
    this.counters.accepted++;
    const wamid = `wamid.${btoa(`standin:${phoneNumberId}:${recipient}:${++this.seq}`)}`;
    const category = body.type === "template" ? this.o.templateCategory : "service";
    return { message: { wamid, phoneNumberId, recipient, version, category }, input };
  }

  /** Refills the number's bucket for the time passed, then takes a token if one is there. */
  private takeToken(phoneNumberId: string, now: number): boolean {
    const rate = this.o.ratePerSecond;
    const bucket = this.buckets.get(phoneNumberId) ?? { tokens: rate, at: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(phoneNumberId, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private track(work: Promise<void>): Promise<void> {
    this.pending.add(work);
    const done = () => void this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  /** Posts the statuses one after the other, each as its own signed POST. */
  private async post(message: SentMessage, statuses: string[]): Promise<void> {
    const url = this.o.webhookUrl;
    if (!url) return;
    for (const status of statuses) {
      const body = JSON.stringify(statusPayload(message, status, this.o.wabaId, this.o.now()));
      const headers = { "Content-Type": "application/json", "X-Hub-Signature-256": await hubSignature(this.o.appSecret, body) };
      this.counters.statusesPosted++;
      const answer = await this.o.deliver(new Request(url, { method: "POST", headers, body })).catch(() => null);
      if (!answer?.ok) this.counters.statusesRejected++;
      await answer?.body?.cancel();
    }
  }
}
