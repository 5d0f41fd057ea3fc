import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendMessage } from "../../src/core/messages/send";
import { BASE, signup, tokenFor } from "../helpers";
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
});
