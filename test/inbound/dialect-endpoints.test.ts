import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createAccount } from "../../src/core/accounts/accounts";
import { sendMessage } from "../../src/core/messages/send";
import { unwrap } from "../../src/lib/errors";
import { BASE, coreContext, signup, tokabola, tokenFor, uniqueName } from "../helpers";
import { input, readyNumber, recipient, text } from "../messages/helpers";
import { Harness, inboundText, sinkKey, sinkLog, statusPayload } from "./harness";

const call = (method: string, path: string, token: string, body?: unknown) =>
  exports.default.fetch(`${BASE}${path}`, { method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

describe("Dialect webhook endpoints", () => {
  it("a number's LAfricaMobile webhook {url, headers} receives only that number's events, On-Premise shaped, with the headers", async () => {
    const account = await signup();
    const token = await tokenFor(account);
    const [first, second] = [await readyNumber(account.id), await readyNumber(account.id)];
    const key = sinkKey();
    expect(await (await call("GET", `/api/v1/numbers/${first}/webhook`, token)).json()).toEqual({ url: "", headers: {} });
    const set = await call("POST", `/api/v1/numbers/${first}/webhook`, token, { url: `https://hooks.sink.test/${key}/ok`, headers: { "X-Client-Auth": "abc" } });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ url: `https://hooks.sink.test/${key}/ok`, headers: { "X-Client-Auth": "abc" }, secret: expect.stringMatching(/^whsec_/) });
    // Setting it again changes it in place and shows no new secret.
    const again = await call("POST", `/api/v1/numbers/${first}/webhook`, token, { url: `https://hooks.sink.test/${key}/ok`, headers: { "X-Client-Auth": "abc" } });
    expect(await again.json()).toEqual({ url: `https://hooks.sink.test/${key}/ok`, headers: { "X-Client-Auth": "abc" } });
    expect((await call("GET", `/api/v1/numbers/${first}/webhook`, await tokenFor(await signup()))).status).toBe(404);

    const h = new Harness();
    await h.intake(inboundText(first, recipient(), "Pour le premier"));
    await h.intake(inboundText(second, recipient(), "Pour le second"));
    await h.runInbound();
    await h.runDeliveries();
    const received = await sinkLog(key);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers["x-client-auth"]).toBe("abc");
    const body = JSON.parse(received[0]!.body);
    expect(body.messages[0].text.body).toBe("Pour le premier");
    expect(body.contacts[0].profile.name).toBe("Mireille K.");
  });

  it("the account's EngageLab callback receives status rows with Tuma's message id and custom_args echoed", async () => {
    const account = await signup();
    const token = await tokenFor(account);
    const phoneNumberId = await readyNumber(account.id);
    const key = sinkKey();
    const set = await call("PUT", "/api/v1/engagelab/callback", token, { url: `https://hooks.sink.test/${key}/ok` });
    expect(set.status).toBe(200);
    expect((await (await call("GET", "/api/v1/engagelab/callback", token)).json<{ url: string }>()).url).toBe(`https://hooks.sink.test/${key}/ok`);
    const h = new Harness();
    const sent = await sendMessage(h.ctx, input(account.id, text(recipient()), { clientData: { campaign: "noel" } }));
    if (!sent.ok) throw sent.error;
    await h.intake(statusPayload(phoneNumberId, sent.value.wamid, "delivered"));
    await h.runInbound();
    await h.runDeliveries();
    const [row] = JSON.parse((await sinkLog(key))[0]!.body).rows;
    expect(row).toMatchObject({ message_id: sent.value.id, custom_args: { campaign: "noel" }, status: { message_status: "delivered", status_data: { channel_message_id: sent.value.wamid } } });
    expect((await call("DELETE", "/api/v1/engagelab/callback", token)).status).toBe(204);
    expect((await call("GET", "/api/v1/engagelab/callback", token)).status).toBe(404);
  });

  it("lists the account's endpoints, the toKABOLA webhook included, issues a new secret once and deletes native endpoints", async () => {
    const account = await signup({ webhook: "https://hooks.example.com/tkb" });
    const token = await tokenFor(account);
    const created = await (await call("POST", "/api/v1/webhooks", token, { url: "https://hooks.example.com/native" })).json<{ id: string; secret: string }>();
    const list = await (await call("GET", "/api/v1/webhooks", token)).json<{ endpoints: { id: string; format: string; url: string }[] }>();
    expect(list.endpoints.map((e) => [e.format, e.url])).toEqual([
      ["tokabola", "https://hooks.example.com/tkb"],
      ["native", "https://hooks.example.com/native"],
    ]);
    const rotated = await (await call("POST", `/api/v1/webhooks/${created.id}/secret`, token)).json<{ secret: string }>();
    expect(rotated.secret).not.toBe(created.secret);
    const tkb = list.endpoints[0]!;
    expect((await call("POST", `/api/v1/webhooks/${tkb.id}/secret`, token)).status).toBe(200);
    expect((await call("DELETE", `/api/v1/webhooks/${tkb.id}`, token)).status).toBe(404);
    expect((await call("DELETE", `/api/v1/webhooks/${created.id}`, await tokenFor(await signup()))).status).toBe(404);
    expect((await call("DELETE", `/api/v1/webhooks/${created.id}`, token)).status).toBe(204);
    expect((await (await call("GET", "/api/v1/webhooks", token)).json<{ endpoints: unknown[] }>()).endpoints).toHaveLength(1);
  });

  it("the toKABOLA webhook is an endpoint row written with the account and moved by update infos (same id, same secret); cleared, nothing is sent", async () => {
    const key = sinkKey();
    const account = await signup({ webhook: `https://hooks.sink.test/${key}/ok` });
    const token = await tokenFor(account);
    const phoneNumberId = await readyNumber(account.id);
    const list = async () => (await (await call("GET", "/api/v1/webhooks", token)).json<{ endpoints: { id: string; format: string; url: string | null }[] }>()).endpoints;
    const [own] = await list();
    expect(own).toMatchObject({ format: "tokabola", url: `https://hooks.sink.test/${key}/ok` });
    const infos = async (webhook: string | null) =>
      expect((await tokabola({ type: "update", update: { account: "infos" }, infos: { webhook } }, token)).status).toBe(200);

    const moved = sinkKey();
    await infos(`https://hooks.sink.test/${moved}/ok`);
    expect(await list()).toEqual([{ ...own, url: `https://hooks.sink.test/${moved}/ok` }]);
    const h = new Harness();
    await h.intake(inboundText(phoneNumberId, recipient(), "Après le changement"));
    await h.runInbound();
    await h.runDeliveries();
    expect(await sinkLog(key)).toHaveLength(0);
    const received = await sinkLog(moved);
    expect(received.map((r) => new URL(r.url).searchParams.get("message"))).toEqual(["Après le changement"]);

    await infos(null);
    expect(await list()).toEqual([{ ...own, url: null }]);
    await h.intake(inboundText(phoneNumberId, recipient(), "Sans webhook"));
    await h.runInbound();
    await h.runDeliveries();
    expect(await sinkLog(moved)).toHaveLength(1);
  });

  it("migration 0010 gives an existing account's webhook URL its endpoint row, and brings an older row's URL in step", async () => {
    const newAccount = async () => unwrap(await createAccount(coreContext(), { name: uniqueName() })).account.id;
    const [a, b] = [await newAccount(), await newAccount()];
    // As before the migration: the URL on the account only, and a tkb_ row read through the account.
    await env.DB.batch([
      env.DB.prepare("UPDATE accounts SET webhook_url = ? WHERE id = ?").bind("https://hooks.example.com/fresh", a),
      env.DB.prepare("UPDATE accounts SET webhook_url = ? WHERE id = ?").bind("https://hooks.example.com/legacy", b),
      env.DB.prepare("INSERT INTO webhook_endpoints (id, account_id, format, url, secret_version, created_at, updated_at) VALUES (?, ?, 'tokabola', NULL, 0, 1, 1)").bind(`tkb_${b}`, b),
    ]);
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0010_"))!;
    const backfill = migration.queries.map((q) => q.replace(/^--.*$/gm, "").trim()).filter((q) => /^(UPDATE|INSERT)/.test(q));
    expect(backfill).toHaveLength(2);
    for (const query of backfill) await env.DB.prepare(query).run();
    const rows = async (accountId: string) =>
      (await env.DB.prepare("SELECT id, url FROM webhook_endpoints WHERE account_id = ? AND format = 'tokabola' AND deleted_at IS NULL").bind(accountId).all()).results;
    expect(await rows(a)).toEqual([{ id: expect.stringMatching(/^whe_[0-9a-f]{32}$/), url: "https://hooks.example.com/fresh" }]);
    expect(await rows(b)).toEqual([{ id: `tkb_${b}`, url: "https://hooks.example.com/legacy" }]);
  });
});
