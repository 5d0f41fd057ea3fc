import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { engagelabClient, errorOf, readyNumber, send } from "../engagelab/helpers";
import { createTemplate, templateName } from "../engagelab/templates-helpers";
import { BASE } from "../helpers";
import { sinkKey, sinkLog } from "../inbound/harness";
import { recipients } from "./helpers";

describe("EngageLab POST /messages with several recipients", () => {
  it("a template to an array of recipients becomes one campaign, answered at once; the same request_id answers it again, and with another body makes a new campaign", async () => {
    const client = await engagelabClient();
    await readyNumber(client);
    const name = templateName("promo");
    await createTemplate(client, { name, language: "fr", category: "MARKETING", components: [{ type: "BODY", text: "Bonjour {{1}}" }] });
    const to = recipients(3);
    const request = { to, request_id: `rq-${to[0]}`, body: { type: "template", template: { name, language: "fr", components: [{ type: "body", parameters: [{ type: "text", text: "Amina" }] }] } } };
    const res = await send(client, request);
    const body = await res.json<{ message_id: string; campaign_id: string; total: number; request_id: string }>();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ campaign_id: body.message_id, total: 3, request_id: request.request_id });
    expect(body.message_id).toMatch(/^cmp_/);
    const again = await (await send(client, request)).json<{ message_id: string }>();
    expect(again.message_id).toBe(body.message_id);
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM campaign_recipients WHERE campaign_id = ?").bind(body.message_id).first<{ n: number }>();
    expect(row!.n).toBe(3);
    const other = { ...request, body: { ...request.body, template: { ...request.body.template, components: [{ type: "body", parameters: [{ type: "text", text: "Ana" }] }] } } };
    const otherRes = await send(client, other);
    const otherBody = await otherRes.json<{ message_id: string; request_id: string }>();
    expect(otherRes.status, JSON.stringify(otherBody)).toBe(200);
    expect(otherBody.request_id).toBe(request.request_id);
    expect(otherBody.message_id).not.toBe(body.message_id);
  });

  it("names the bad recipient by its index, and a parameter count the template does not take, with 3002", async () => {
    const client = await engagelabClient();
    await readyNumber(client);
    const name = templateName("promo");
    await createTemplate(client, { name, language: "fr", category: "MARKETING", components: [{ type: "BODY", text: "Bonjour {{1}}" }] });
    const params = [{ type: "body", parameters: [{ type: "text", text: "A" }] }];
    const bad = await errorOf(await send(client, { to: [recipients(1)[0], "12"], body: { type: "template", template: { name, language: "fr", components: params } } }));
    expect(bad).toMatchObject({ status: 400, code: 3002, message: expect.stringContaining("to[1]") });
    const button = [...params, { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "x" }] }];
    const refused = await errorOf(await send(client, { to: recipients(2), body: { type: "template", template: { name, language: "fr", components: button } } }));
    expect(refused).toMatchObject({ status: 400, code: 3002, message: expect.stringContaining("body.template.components") });
  });

  it("a text to an array answers one message_id per recipient; each recipient's status rows carry the message_id the send answered, the recipient and custom_args", async () => {
    const client = await engagelabClient();
    await readyNumber(client);
    const key = sinkKey();
    const put = await exports.default.fetch(`${BASE}/api/v1/engagelab/callback`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${client.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ url: `https://hooks.sink.test/${key}/ok` }),
    });
    expect(put.status).toBe(200);
    const [a, b] = recipients(2);
    const to = [`+${a}`, `00${b}`];
    const res = await send(client, { to, body: { type: "text", text: { body: "Votre colis arrive" } }, custom_args: { order: "A-17" } });
    const answer = await res.json<{ message_id: string; total: number; messages: { to: string; message_id: string }[] }>();
    expect(res.status, JSON.stringify(answer)).toBe(200);
    expect(answer.messages.map((m) => m.to)).toEqual(to);
    expect(new Set(answer.messages.map((m) => m.message_id)).size).toBe(2);
    // The campaign goes out through the real queues, and the sandbox's statuses through the intake, to the callback.
    type Row = { message_id: string; to: string; custom_args: unknown; status?: { message_status: string }; notification?: unknown };
    const rows = async () => (await sinkLog(key)).flatMap((r) => JSON.parse(r.body).rows as Row[]);
    const readRows = async () => (await rows()).filter((r) => r.status?.message_status === "read");
    for (let i = 0; i < 150 && (await readRows()).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await readRows()).map((r) => r.to).sort()).toEqual([...to].sort());
    for (const row of await rows()) expect(row).toMatchObject({ message_id: answer.message_id, custom_args: { order: "A-17" } });
    expect((await rows()).some((r) => r.notification)).toBe(false); // campaign.completed is not EngageLab's
    const sent = await env.DB.prepare("SELECT id, campaign_id, client_data FROM messages WHERE id IN (?, ?) ORDER BY to_input").bind(...answer.messages.map((m) => m.message_id)).all();
    expect(sent.results).toHaveLength(2);
    for (const m of sent.results) expect(m).toMatchObject({ campaign_id: answer.message_id, client_data: JSON.stringify({ order: "A-17" }) });
  }, 30_000);
});
