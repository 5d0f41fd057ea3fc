import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handleFetch } from "../../src/app/fetch";
import type { Env } from "../../src/config/env";
import { sendMessage } from "../../src/core/messages/send";
import { GRAPH_APP_SECRET } from "../fakes/graph";
import { hubSignature } from "../fakes/meta-standin-statuses";
import { BASE } from "../helpers";
import { fund, input, META, messageOf, newAccount, readyNumber, recipient, storeTemplate, template, wallet } from "../messages/helpers";
import { Harness, createNativeEndpoint, sinkKey, sinkLog, statusPayload } from "./harness";

/**
 * Meta reports a message's statuses in any order: before Tuma has recorded the send's answer,
 * after it, twice, read before delivered. Whatever the order, each status is applied once, each
 * (message, status) reaches the account's webhook once, and a failure refunds the charge once.
 * The statuses go through the Worker (signed POSTs to /webhooks/meta); the send goes to the fake
 * Graph API, whose answer is held back while the "early" statuses are posted (and, for some,
 * processed) — exactly the window in which a status used to be lost.
 */
type Phase = "early_processed" | "early_queued" | "late";
interface Post {
  status: string;
  phase: Phase;
}

const OUTCOMES = [["sent", "delivered", "read"], ["sent", "failed"], ["failed"], ["delivered", "read"]] as const;
const PRICE = 60; // a utility template in CDF (migrations/0005)

const scenario = fc
  .constantFrom(...OUTCOMES)
  .chain((statuses) =>
    fc
      .tuple(...statuses.map((status) => fc.array(fc.constantFrom<Phase>("early_processed", "early_queued", "late"), { minLength: 1, maxLength: 2 }).map((phases) => phases.map((phase) => ({ status, phase })))))
      .chain((copies) => fc.shuffledSubarray(copies.flat(), { minLength: copies.flat().length }))
      .map((posts: Post[]) => ({ statuses: [...statuses] as string[], posts })),
  );

type Store = "d1" | "durable";

async function setup(store: Store) {
  const accountId = await newAccount();
  const phoneNumberId = await readyNumber(accountId, true);
  await storeTemplate(accountId, { name: "order_ready", language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Commande {{1}}" }] });
  await fund(accountId, "CDF", 100_000);
  const h = new Harness({ ...META, MESSAGE_LOG: store } as Partial<Env>);
  const key = sinkKey();
  await createNativeEndpoint(h.ctx, accountId, `https://hooks.sink.test/${key}/ok`);
  return { accountId, phoneNumberId, h, key };
}

/** Posts one status as Meta does, signed, to the Worker; its queue message lands in the harness's INBOUND. */
async function postStatus(h: Harness, phoneNumberId: string, wamid: string, status: string) {
  const extra = status === "failed" ? { errors: [{ code: 131026, title: "Message undeliverable" }] } : {};
  const body = JSON.stringify(statusPayload(phoneNumberId, wamid, status, extra));
  const workerEnv = { ...(env as unknown as Env), ...META, MESSAGE_LOG: h.ctx.config.MESSAGE_LOG, INBOUND: h.inbound, DELIVERIES: h.deliveries } as unknown as Env;
  const executionCtx = createExecutionContext();
  const res = await handleFetch(
    new Request(`${BASE}/webhooks/meta`, { method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature-256": await hubSignature(GRAPH_APP_SECRET, body) }, body }),
    workerEnv,
    executionCtx,
  );
  await waitOnExecutionContext(executionCtx);
  expect(res.status).toBe(200);
}

/** Holds the fake Graph's answer to the send until `beforeAnswer` has run with its wamid. */
function holdSendAnswer(beforeAnswer: (wamid: string) => Promise<void>) {
  const realFetch = globalThis.fetch;
  vi.stubGlobal("fetch", async (resource: RequestInfo | URL, init?: RequestInit) => {
    const response = await realFetch(resource, init);
    const url = resource instanceof Request ? resource.url : String(resource);
    if (!/graph\.facebook\.com\/v[\d.]+\/\d+\/messages$/.test(url) || !response.ok) return response;
    const body = await response.text();
    await beforeAnswer((JSON.parse(body) as { messages: { id: string }[] }).messages[0]!.id);
    return new Response(body, { status: response.status, headers: response.headers });
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe.each<Store>(["d1", "durable"])("statuses in any arrival order (the message log in %s)", (store) => {
  it("applies every status once, delivers each (message, status) once and refunds a failure once, whatever the order", async () => {
    const { accountId, phoneNumberId, h, key } = await setup(store);
    let balance = (await wallet(accountId, "CDF"))!.balance;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ statuses, posts }) => {
        const held: typeof h.inbound.pending = [];
        holdSendAnswer(async (wamid) => {
          for (const post of posts.filter((p) => p.phase !== "late")) {
            await postStatus(h, phoneNumberId, wamid, post.status);
            if (post.phase === "early_processed") await h.runInbound();
            else held.push(...h.inbound.pending.splice(0));
          }
        });
        const sent = await sendMessage(h.ctx, input(accountId, template(recipient(), "order_ready", "fr", [{ type: "body", parameters: [{ type: "text", text: "A1" }] }])));
        vi.unstubAllGlobals();
        if (!sent.ok) throw new Error(sent.error.message);
        h.inbound.pending.push(...held);
        for (const post of posts.filter((p) => p.phase === "late")) await postStatus(h, phoneNumberId, sent.value.wamid, post.status);
        await h.runInbound();
        await h.runDeliveries();

        const failed = statuses.includes("failed");
        const message = await messageOf(accountId, sent.value.id, h.ctx);
        expect(message.status).toBe(failed ? "failed" : "read");
        const delivered = (await sinkLog(key))
          .map((r) => JSON.parse(r.body) as { status: { wamid: string; status: string; message_id: string | null } })
          .filter((e) => e.status.wamid === sent.value.wamid);
        expect(delivered.map((e) => e.status.status).sort()).toEqual([...statuses].sort());
        expect(delivered.every((e) => e.status.message_id === sent.value.id)).toBe(true);
        if (!failed) balance -= PRICE;
        expect((await wallet(accountId, "CDF"))!.balance).toBe(balance);
        expect(await refundsOf(accountId, sent.value.id)).toBe(failed ? 1 : 0);
      }),
      { numRuns: 40, seed: 1307 },
    );
  });

  it("applies a delivered status that arrives before its send is recorded", async () => {
    const { accountId, phoneNumberId, h, key } = await setup(store);
    holdSendAnswer(async (wamid) => {
      await postStatus(h, phoneNumberId, wamid, "delivered");
      await h.runInbound();
    });
    const sent = await sendMessage(h.ctx, input(accountId, template(recipient(), "order_ready", "fr", [{ type: "body", parameters: [{ type: "text", text: "A1" }] }])));
    vi.unstubAllGlobals();
    if (!sent.ok) throw new Error(sent.error.message);
    await h.runInbound();
    await h.runDeliveries();
    expect((await messageOf(accountId, sent.value.id, h.ctx)).status).toBe("delivered");
    expect((await sinkLog(key)).map((r) => JSON.parse(r.body).status.status)).toEqual(["delivered"]);
  });

  it("refunds once a failure reported before its send is recorded", async () => {
    const { accountId, phoneNumberId, h } = await setup(store);
    const before = (await wallet(accountId, "CDF"))!.balance;
    holdSendAnswer(async (wamid) => {
      await postStatus(h, phoneNumberId, wamid, "failed");
      await h.runInbound();
      await postStatus(h, phoneNumberId, wamid, "failed");
      await h.runInbound();
    });
    const sent = await sendMessage(h.ctx, input(accountId, template(recipient(), "order_ready", "fr", [{ type: "body", parameters: [{ type: "text", text: "A1" }] }])));
    vi.unstubAllGlobals();
    if (!sent.ok) throw new Error(sent.error.message);
    await h.runInbound();
    expect((await messageOf(accountId, sent.value.id, h.ctx)).status).toBe("failed");
    expect((await wallet(accountId, "CDF"))!.balance).toBe(before);
    expect(await refundsOf(accountId, sent.value.id)).toBe(1);
  });
});

async function refundsOf(accountId: string, messageId: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM ledger_entries WHERE account_id = ? AND reference IN (SELECT 'refund:' || id FROM holds WHERE account_id = ? AND reference = ?)",
  )
    .bind(accountId, accountId, messageId)
    .first<{ n: number }>();
  return row!.n;
}
