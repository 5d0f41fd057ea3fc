import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";
import { GRAPH_APP_SECRET, GRAPH_TOKEN } from "./graph.ts";
import { MetaStandin, type StandinOptions } from "./meta-standin.ts";
import { seededRandom } from "./meta-standin-statuses.ts";

const PNID = "2000000243815550";
const HOOK = "https://tuma.test/webhooks/meta";
const instant = { sleep: async () => {} };

function send(standin: MetaStandin, to: string, { pnid = PNID, version = "v23.0", type = "text", invocation = "" } = {}) {
  return standin.handle(
    new Request(`https://graph.facebook.com/${version}/${pnid}/messages`, {
      method: "POST",
      headers: { Authorization: `Bearer ${GRAPH_TOKEN}`, "Content-Type": "application/json", ...(invocation ? { "x-invocation": invocation } : {}) },
      body: JSON.stringify({ messaging_product: "whatsapp", to, type, ...(type === "text" ? { text: { body: "hi" } } : {}) }),
    }),
  );
}

const wamidOf = async (response: Response) => ((await response.json()) as { messages: { id: string }[] }).messages[0]!.id;
const errorOf = async (response: Response) => ((await response.json()) as { error: Record<string, unknown> }).error;

interface Posted {
  body: string;
  signature: string | null;
  wamid: string;
  status: string;
  item: Record<string, unknown>;
}

/** A stand-in whose statuses land in `posted`; `answered` holds the wamids whose send has answered. */
function withHook(options: StandinOptions = {}) {
  const posted: (Posted & { beforeAnswer: boolean })[] = [];
  const answered = new Set<string>();
  const standin = new MetaStandin({
    ...instant,
    webhookUrl: HOOK,
    deliver: async (request) => {
      const body = await request.text();
      const item = JSON.parse(body).entry[0].changes[0].value.statuses[0];
      posted.push({ body, signature: request.headers.get("X-Hub-Signature-256"), wamid: item.id, status: item.status, item, beforeAnswer: !answered.has(item.id) });
      return new Response(null, { status: 200 });
    },
    ...options,
  });
  const sendAndNote = async (to: string, opts?: Parameters<typeof send>[2]) => {
    const wamid = await wamidOf(await send(standin, to, opts));
    answered.add(wamid);
    return wamid;
  };
  return { standin, posted, sendAndNote };
}

async function verifies(body: string, signature: string, secret = GRAPH_APP_SECRET) {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const mac = Uint8Array.from(signature.replace(/^sha256=/, "").match(/../g)!, (h) => parseInt(h, 16));
  return crypto.subtle.verify("HMAC", key, mac, encoder.encode(body));
}

describe("Meta stand-in", () => {
  it("answers an accepted send with Meta's success body", async () => {
    const standin = new MetaStandin(instant);
    const response = await send(standin, "+243970000001");
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ messaging_product: "whatsapp", contacts: [{ input: "+243970000001", wa_id: "243970000001" }], messages: [{ id: expect.stringMatching(/^wamid\./) }] });
    expect(standin.counters.accepted).toBe(1);
  });

  it("answers a wrong token with 190 and any other route with 100, in Graph's error envelope", async () => {
    const standin = new MetaStandin(instant);
    const badToken = await standin.handle(new Request(`https://graph.facebook.com/v23.0/${PNID}/messages`, { method: "POST", headers: { Authorization: "Bearer nope" }, body: "{}" }));
    expect(badToken.status).toBe(401);
    expect(await errorOf(badToken)).toMatchObject({ code: 190, type: "OAuthException", fbtrace_id: expect.any(String) });
    const other = await standin.handle(new Request(`https://graph.facebook.com/v23.0/${PNID}/register`, { method: "POST" }));
    expect(other.status).toBe(400);
    expect(await errorOf(other)).toMatchObject({ code: 100 });
  });

  it("takes 200 ms ± 25 % per answer, uniformly, by the injected random source and sleep", async () => {
    for (const [r, ms] of [[0, 150], [0.5, 200], [0.999999, 250]] as const) {
      const slept: number[] = [];
      await send(new MetaStandin({ random: () => r, sleep: async (t) => void slept.push(t) }), "243970000002");
      expect(slept).toHaveLength(1);
      expect(slept[0]).toBeCloseTo(ms, 2);
    }
    const slept: number[] = [];
    const standin = new MetaStandin({ random: seededRandom(1), sleep: async (t) => void slept.push(t), ratePerSecond: 1000 });
    for (let i = 0; i < 400; i++) await send(standin, `2439700${String(i).padStart(5, "0")}`);
    expect(Math.min(...slept)).toBeGreaterThanOrEqual(150);
    expect(Math.max(...slept)).toBeLessThanOrEqual(250);
    expect(slept.filter((t) => t < 200).length).toBeGreaterThan(150);
    expect(slept.filter((t) => t >= 200).length).toBeGreaterThan(150);
  });

  it("refuses the send past a number's 80 msg/s bucket with 130429, and refills with time", async () => {
    let now = 1_000_000;
    const standin = new MetaStandin({ ...instant, now: () => now });
    for (let i = 0; i < 80; i++) expect((await send(standin, `24397100${String(i).padStart(4, "0")}`)).status).toBe(200);
    const refused = await send(standin, "243971009999");
    expect(refused.status).toBe(400);
    expect(await errorOf(refused)).toMatchObject({ code: 130429, type: "OAuthException", message: "(#130429) Rate limit hit", error_data: { messaging_product: "whatsapp" }, fbtrace_id: expect.any(String) });
    expect((await send(standin, "243971001000", { pnid: "2000000243815551" })).status).toBe(200);
    now += 1000 / 80;
    expect((await send(standin, "243971001001")).status).toBe(200);
    expect((await send(standin, "243971001002")).status).toBe(400);
    expect(standin.counters).toMatchObject({ accepted: 82, throughputRefused: 2 });
  });

  it("refuses a second send to the same recipient from the same number within 6 s with 131056", async () => {
    let now = 5_000_000;
    const standin = new MetaStandin({ ...instant, now: () => now });
    expect((await send(standin, "243972000001")).status).toBe(200);
    expect((await send(standin, "243972000001", { pnid: "2000000243815551" })).status).toBe(200);
    now += 5999;
    const refused = await send(standin, "243972000001");
    expect(refused.status).toBe(400);
    expect(await errorOf(refused)).toMatchObject({ code: 131056, type: "OAuthException" });
    now += 1;
    expect((await send(standin, "+243972000001")).status).toBe(200);
    expect(standin.counters).toMatchObject({ accepted: 3, pairRefused: 1 });
  });

  it("posts sent, delivered and read as Meta does, each signed with the app secret over the raw body", async () => {
    const { standin, posted, sendAndNote } = withHook();
    const v23 = await sendAndNote("243973000001", { type: "template" });
    const v24 = await sendAndNote("243973000002", { version: "v24.0" });
    await standin.idle();
    expect(posted.map((p) => [p.wamid, p.status])).toEqual([v23, v24].flatMap((w) => ["sent", "delivered", "read"].map((s) => [w, s])));
    expect(standin.counters).toMatchObject({ statusesPosted: 6, statusesRejected: 0 });
    for (const p of posted) {
      expect(await verifies(p.body, p.signature!)).toBe(true);
      expect(await verifies(p.body, p.signature!, "another-secret")).toBe(false);
      expect(await verifies(`${p.body} `, p.signature!)).toBe(false);
      const payload = JSON.parse(p.body);
      expect(payload).toMatchObject({ object: "whatsapp_business_account", entry: [{ changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { phone_number_id: PNID } } }] }] });
      expect(p.item).toMatchObject({ id: p.wamid, status: p.status, timestamp: expect.stringMatching(/^\d+$/), recipient_id: expect.stringMatching(/^24397300000[12]$/) });
      expect("pricing" in p.item).toBe(p.status !== "read");
      expect("conversation" in p.item).toBe(p.wamid === v23 && p.status !== "read");
    }
    expect(posted[0]!.item).toMatchObject({
      pricing: { billable: true, pricing_model: "PMP", type: "regular", category: "utility" },
      conversation: { expiration_timestamp: expect.any(String), origin: { type: "utility" } },
    });
    expect(posted[4]!.item.pricing).toMatchObject({ billable: false, type: "free_customer_service", category: "service" });
  });

  it("posts statuses that Tuma's own intake accepts as signed by Meta", async () => {
    const answers: number[] = [];
    const deliver = async (request: Request) => {
      const answer = await exports.default.fetch(request);
      answers.push(answer.status);
      return answer;
    };
    const standin = new MetaStandin({ ...instant, webhookUrl: `${BASE}/webhooks/meta`, deliver });
    await send(standin, "243973000004");
    await standin.idle();
    expect(answers).toEqual([200, 200, 200]);
    expect(standin.counters).toMatchObject({ statusesPosted: 3, statusesRejected: 0 });
  });

  it("counts the statuses a webhook refuses", async () => {
    const standin = new MetaStandin({ ...instant, webhookUrl: HOOK, deliver: async () => new Response("nope", { status: 500 }) });
    await send(standin, "243973000003");
    await standin.idle();
    expect(standin.counters).toMatchObject({ statusesPosted: 3, statusesRejected: 3 });
  });

  it("duplicates, shuffles and posts statuses before the answer, the same way for the same seed", async () => {
    const run = async () => {
      const { standin, posted, sendAndNote } = withHook({ random: seededRandom(42), chaos: { duplicate: 0.3, shuffle: true, early: 0.3 } });
      const wamids: string[] = [];
      for (let i = 0; i < 30; i++) wamids.push(await sendAndNote(`2439740000${String(i).padStart(2, "0")}`));
      await standin.idle();
      return wamids.map((w) => posted.filter((p) => p.wamid === w).map((p) => `${p.status}${p.beforeAnswer ? "!" : ""}`));
    };
    const first = await run();
    expect(await run()).toEqual(first);
    for (const statuses of first) expect(new Set(statuses.map((s) => s.replace("!", "")))).toEqual(new Set(["sent", "delivered", "read"]));
    const duplicated = first.filter((s) => s.length > 3).length;
    const outOfOrder = first.filter((s) => s.map((x) => x.replace("!", "")).join() !== "sent,delivered,read" && s.length === 3).length;
    const early = first.flat().filter((s) => s.endsWith("!")).length;
    expect(duplicated).toBeGreaterThan(0);
    expect(outOfOrder).toBeGreaterThan(0);
    expect(early).toBeGreaterThan(0);
    expect(first.flat().length).toBeGreaterThan(early);
  });

  it("counts the sends open at once, overall and per invocation, and keeps the maxima", async () => {
    const gates: (() => void)[] = [];
    const standin = new MetaStandin({ sleep: () => new Promise<void>((resolve) => gates.push(resolve)) });
    const sends = [..."AAAABB"].map((invocation, i) => send(standin, `24397500000${i}`, { invocation }));
    while (gates.length < 6) await new Promise((r) => setTimeout(r, 0));
    expect(standin.counters).toMatchObject({ inFlight: 6, maxConcurrent: 6, maxConcurrentByInvocation: { A: 4, B: 2 } });
    gates.splice(0).forEach((open) => open());
    await Promise.all(sends);
    expect(standin.counters.inFlight).toBe(0);
    const one = send(standin, "243975000009", { invocation: "A" });
    while (gates.length < 1) await new Promise((r) => setTimeout(r, 0));
    gates.splice(0).forEach((open) => open());
    expect((await one).status).toBe(200);
    expect(standin.counters).toMatchObject({ inFlight: 0, maxConcurrent: 6, maxConcurrentByInvocation: { A: 4, B: 2 } });
  });
});
