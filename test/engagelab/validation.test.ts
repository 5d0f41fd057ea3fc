import { describe, expect, it } from "vitest";
import { uniqueNumber } from "../durable/numbers-helpers";
import { tokabola } from "../helpers";
import { engagelab, engagelabClient, errorOf, readyNumber, send } from "./helpers";

const to = "243812345678";
const text = (extra: object = {}) => ({ to, body: { type: "text", text: { body: "Bonjour" } }, ...extra });

describe("EngageLab send validation", () => {
  it("answers 3001 when the body is not JSON, is empty or is declared as another type", async () => {
    const client = await engagelabClient();
    expect(await errorOf(await send(client, "{not json"))).toMatchObject({ status: 400, code: 3001 });
    expect(await errorOf(await send(client, ""))).toMatchObject({ status: 400, code: 3001 });
    const form = await engagelab("POST", "/messages", client.auth);
    expect(await errorOf(form)).toMatchObject({ status: 400, code: 3001 });
  });

  it("answers 3002 naming each invalid field as the client wrote it", async () => {
    const client = await engagelabClient();
    const cases: [object, string][] = [
      [{ body: { type: "text", text: { body: "x" } } }, "to"],
      [{ to }, "body"],
      [{ to, body: { type: "text" } }, "body.text: must be set when body.type is text"],
      [{ to, body: { type: "template", template: { name: "Promo", language: "fr" } } }, "body.template.name: must contain only lowercase"],
      [{ to, body: { type: "template", template: { name: "promo", language: "french" } } }, "body.template.language: must be a language code"],
      [{ to, body: { type: "text", text: { body: "a".repeat(4097) } } }, "body.text.body: must be at most 4096 characters"],
      [{ to, body: { type: "image", image: { link: "https://x.example/a.png", caption: "c".repeat(1025) } } }, "body.image.caption: must be at most 1024"],
      [{ to, body: { type: "video", video: { id: "1", link: "https://x.example/v.mp4" } } }, "body.video: must have exactly one of id or link"],
      [{ to, body: { type: "audio", audio: { link: "http://10.0.0.5/a.mp3" } } }, "body.audio.link: must point to a public host"],
      [{ to, body: { type: "audio", audio: { link: "ftp://x.example/a.mp3" } } }, "body.audio.link: must be an http or https URL"],
      [{ to, body: { type: "document", document: { link: "https://x.example/f.pdf", filename: "a/b.pdf" } } }, "body.document.filename"],
      [{ to, body: { type: "sticker", sticker: {} } }, "body.sticker: must have exactly one of id or link"],
      [
        { to, body: { type: "template", template: { name: "promo", language: "fr", components: [{ type: "body", parameters: [{ type: "video", video: { id: "1" } }] }] } } },
        "body.template.components[0].parameters[0].type: video parameters are allowed in the header component only",
      ],
      [text({ from: "not a number" }), "from: must be the sending number"],
      [{ to: "12", body: { type: "text", text: { body: "x" } } }, "to: must be a phone number in international format"],
      [text({ request_id: "" }), "request_id"],
      [text({ custom_args: [1, 2] }), "custom_args"],
    ];
    for (const [body, message] of cases) {
      const error = await errorOf(await send(client, body));
      expect(error, message).toMatchObject({ status: 400, code: 3002 });
      expect(error.message).toContain(message);
    }
  });

  it("checks a body for several recipients as for one: an image without id or link answers 3002 naming it (several make a campaign: test/campaigns/engagelab.test.ts)", async () => {
    const client = await engagelabClient();
    await readyNumber(client);
    const error = await errorOf(await send(client, { to: [to, "243812345679"], body: { type: "image", image: { caption: "x" } } }));
    expect(error).toMatchObject({ status: 400, code: 3002, message: expect.stringContaining("body.image") });
  });

  it("answers 2004 when from is not a number of this account, including another account's number", async () => {
    const alice = await engagelabClient();
    const bob = await engagelabClient();
    const bobs = await readyNumber(bob);
    for (const from of ["+243899999999", bobs.display]) {
      const error = await errorOf(await send(alice, text({ from })));
      expect(error).toMatchObject({ status: 403, code: 2004 });
      expect(error.message).toMatch(/is not a number of this account/);
    }
  });

  it("answers 3003 when from is a number of this account that is not READY yet", async () => {
    const client = await engagelabClient();
    const number = uniqueNumber();
    const added = await tokabola({ type: "add", add: { cc: "243", phone_number: number, phone_name: "Boutique", language: "fr_FR" } }, client.token);
    expect(added.status).toBe(200);
    const error = await errorOf(await send(client, text({ from: `+243${number}` })));
    expect(error).toMatchObject({ status: 400, code: 3003, message: expect.stringMatching(/CLUSTER_CREATED, not READY/) });
  });

  it("answers 4001 for a route EngageLab does not have", async () => {
    const client = await engagelabClient();
    expect(await errorOf(await engagelab("GET", "/nothing", client.auth))).toMatchObject({ status: 400, code: 4001 });
  });
});
