import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { engagelabClient, errorOf, readyNumber, send } from "../engagelab/helpers";
import { createTemplate, templateName } from "../engagelab/templates-helpers";
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

  it("names the bad recipient by its index and refuses header or button parameters with 3002", async () => {
    const client = await engagelabClient();
    await readyNumber(client);
    const name = templateName("promo");
    await createTemplate(client, { name, language: "fr", category: "MARKETING", components: [{ type: "BODY", text: "Bonjour {{1}}" }] });
    const params = [{ type: "body", parameters: [{ type: "text", text: "A" }] }];
    const bad = await errorOf(await send(client, { to: [recipients(1)[0], "12"], body: { type: "template", template: { name, language: "fr", components: params } } }));
    expect(bad).toMatchObject({ status: 400, code: 3002, message: expect.stringContaining("to[1]") });
    const button = [...params, { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "x" }] }];
    const refused = await errorOf(await send(client, { to: recipients(2), body: { type: "template", template: { name, language: "fr", components: button } } }));
    expect(refused).toMatchObject({ status: 400, code: 3002, message: expect.stringContaining("text body parameters only") });
  });
});
