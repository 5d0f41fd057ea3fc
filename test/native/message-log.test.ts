import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { handleFetch } from "../../src/app/fetch";
import type { Env } from "../../src/config/env";
import { sendMessage } from "../../src/core/messages/send";
import { BASE, signupWithToken } from "../helpers";
import { Harness, inboundText, uniqueWamid } from "../inbound/harness";
import { input, readyNumber, recipient, text } from "../messages/helpers";

type Store = "d1" | "durable";

describe.each<Store>(["d1", "durable"])("the account's message log (kept in %s)", (store) => {
  /** GET /api/v1/messages/{id}, GET /api/v1/messages and GET /api/v1/conversations/{wa_id}, with the log in `store`. */
  const get = async (path: string, token: string) => {
    const executionCtx = createExecutionContext();
    const workerEnv = { ...(env as unknown as Env), MESSAGE_LOG: store } as unknown as Env;
    const res = await handleFetch(new Request(`${BASE}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } }), workerEnv, executionCtx);
    await waitOnExecutionContext(executionCtx);
    return { status: res.status, body: await res.json<Record<string, any>>() };
  };

  /** An account that sent one text (sandbox: its statuses sent, delivered, read applied) to a customer who then wrote back. */
  async function conversation() {
    const account = await signupWithToken();
    const phoneNumberId = await readyNumber(account.id);
    const h = new Harness({ MESSAGE_LOG: store } as Partial<Env>);
    const customer = recipient();
    const sent = await sendMessage(h.ctx, input(account.id, text(customer, "Votre commande est prête"), { clientData: { order: "A-17" } }));
    if (!sent.ok) throw sent.error;
    await h.settle();
    for (let step = 0; step < 3; step++) {
      h.clock.advance(1000);
      await h.run("tuma-sends");
      await h.runInbound();
    }
    const reply = uniqueWamid();
    await h.intake(inboundText(phoneNumberId, customer, "Merci !", reply));
    await h.runInbound();
    return { account, phoneNumberId, customer, sent: sent.value, reply };
  }

  it("shows one sent message by Tuma id or wamid: its status, the timeline of Meta's statuses, and what the client attached", async () => {
    const { account, sent, customer } = await conversation();
    const byId = await get(`/messages/${sent.id}`, account.token);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ id: sent.id, direction: "outbound", wamid: sent.wamid, wa_id: customer, status: "read", error: null, charge: null, client_data: { order: "A-17" } });
    expect(byId.body.timeline.map((t: { status: string }) => t.status)).toEqual(["accepted", "sent", "delivered", "read"]);
    // A wamid carries base64 characters (/, +, =): a client percent-encodes it in the path.
    expect((await get(`/messages/${encodeURIComponent(sent.wamid)}`, account.token)).body).toEqual(byId.body);
  });

  it("shows an inbound message by its wamid, and answers 404 for a message the account does not have", async () => {
    const { account, reply, customer } = await conversation();
    expect((await get(`/messages/${reply}`, account.token)).body).toMatchObject({ id: reply, direction: "inbound", wa_id: customer, type: "text", content: { text: { body: "Merci !" } } });
    expect((await get(`/messages/msg_${"0".repeat(32)}`, account.token)).status).toBe(404);
  });

  it("lists messages newest first, filtered by direction, status and recipient, in cursor pages that neither repeat nor skip", async () => {
    const { account, sent, reply, customer } = await conversation();
    const all = await get(`/messages?recipient=${customer}`, account.token);
    expect(all.body.messages.map((m: { id: string }) => m.id)).toEqual([reply, sent.id]);
    expect((await get(`/messages?direction=inbound`, account.token)).body.messages.map((m: { id: string }) => m.id)).toEqual([reply]);
    expect((await get(`/messages?status=read`, account.token)).body.messages.map((m: { id: string }) => m.id)).toEqual([sent.id]);
    expect((await get(`/messages?status=failed`, account.token)).body.messages).toEqual([]);
    const first = await get(`/messages?limit=1`, account.token);
    const second = await get(`/messages?limit=1&before=${first.body.next_cursor}`, account.token);
    expect([...first.body.messages, ...second.body.messages].map((m: { id: string }) => m.id)).toEqual([reply, sent.id]);
    expect((await get(`/messages?limit=1&before=${second.body.next_cursor}`, account.token)).body).toEqual({ messages: [], next_cursor: null });
    expect((await get(`/messages?before=not-a-cursor`, account.token)).status).toBe(400);
    expect((await get(`/messages?direction=sideways`, account.token)).status).toBe(400);
  });

  it("shows one customer's conversation in both directions with the number's open 24-hour window", async () => {
    const { account, phoneNumberId, sent, reply, customer } = await conversation();
    const c = await get(`/conversations/${customer}`, account.token);
    expect(c.status).toBe(200);
    expect(c.body.messages.map((m: { direction: string }) => m.direction)).toEqual(["inbound", "outbound"]);
    expect(c.body.messages.map((m: { id: string }) => m.id)).toEqual([reply, sent.id]);
    expect(c.body.windows).toEqual([{ phone_number_id: phoneNumberId, last_inbound_at: expect.any(String), open: true, closes_at: expect.any(String) }]);
    expect((await get(`/conversations/${recipient()}`, account.token)).body).toMatchObject({ windows: [], messages: [] });
  });

  it("keeps the log where MESSAGE_LOG says: D1's messages table, or the number's Durable Object", async () => {
    const { account, sent } = await conversation();
    const inD1 = await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE account_id = ?").bind(account.id).first<{ n: number }>();
    expect(inD1!.n).toBe(store === "d1" ? 1 : 0);
    expect((await get(`/messages/${sent.id}`, account.token)).status).toBe(200);
  });
});
