import { describe, expect, it } from "vitest";
import { engagelab, engagelabClient, errorOf, readyNumber, send } from "./helpers";
import { createTemplate, INVOICE_COMPONENTS, templateName } from "./templates-helpers";

interface View {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  components: unknown[];
}

const list = async (auth: string, query = "") => {
  const res = await engagelab("GET", `/templates${query}`, auth);
  expect(res.status).toBe(200);
  return res.json<View[]>();
};

describe("EngageLab templates", () => {
  it("creates, gets, lists, updates and deletes by name in every language", async () => {
    const client = await engagelabClient();
    const name = templateName("invoice");
    const fr = await createTemplate(client, { name, language: "fr", category: "UTILITY", components: INVOICE_COMPONENTS });
    const en = await createTemplate(client, { name, language: "en_US", category: "transactional", components: [{ type: "body", text: "Hello {{1}}" }] });

    const got = await engagelab("GET", `/templates/${fr}`, client.auth);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual({ id: fr, name, language: "fr", status: "APPROVED", category: "UTILITY", components: INVOICE_COMPONENTS });
    expect((await list(client.auth)).map((t) => [t.id, t.language, t.category])).toEqual([
      [en, "en_US", "UTILITY"],
      [fr, "fr", "UTILITY"],
    ]);

    const put = await engagelab("PUT", `/templates/${en}`, client.auth, { category: "MARKETING", components: [{ type: "BODY", text: "Hi {{1}}" }] });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ code: 0, message: "success" });
    expect(await (await engagelab("GET", `/templates/${en}`, client.auth)).json()).toMatchObject({ category: "MARKETING", components: [{ type: "BODY", text: "Hi {{1}}" }] });

    const del = await engagelab("DELETE", `/templates/${name}`, client.auth);
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ code: 0, message: "success" });
    expect(await list(client.auth)).toEqual([]);
    expect(await errorOf(await engagelab("GET", `/templates/${fr}`, client.auth))).toMatchObject({ status: 400, code: 4001 });
    expect(await errorOf(await engagelab("DELETE", `/templates/${name}`, client.auth))).toMatchObject({ status: 400, code: 4001 });
  });

  it("filters by part of the name, language_code, category and status", async () => {
    const client = await engagelabClient();
    const a = templateName("welcome");
    const b = templateName("promo");
    await createTemplate(client, { name: a, language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Bienvenue" }] });
    await createTemplate(client, { name: a, language: "en_US", category: "UTILITY", components: [{ type: "BODY", text: "Welcome" }] });
    await createTemplate(client, { name: b, language: "fr", category: "MARKETING", components: [{ type: "BODY", text: "Promo" }] });
    const names = (views: View[]) => views.map((t) => `${t.name}/${t.language}`);
    expect(names(await list(client.auth, "?name=welcome"))).toEqual([`${a}/en_US`, `${a}/fr`]);
    expect(names(await list(client.auth, "?language_code=fr"))).toEqual([`${b}/fr`, `${a}/fr`]);
    expect(names(await list(client.auth, "?category=MARKETING"))).toEqual([`${b}/fr`]);
    expect(names(await list(client.auth, "?category=UTILITY&language_code=en_US"))).toEqual([`${a}/en_US`]);
    expect(names(await list(client.auth, "?status=APPROVED&name="))).toHaveLength(3);
    expect(await list(client.auth, "?status=REJECTED")).toEqual([]);
    expect(await list(client.auth, "?status=IN_APPEAL")).toEqual([]);
    expect(await errorOf(await engagelab("GET", "/templates?status=LOST", client.auth))).toMatchObject({ status: 400, code: 3002, message: expect.stringMatching(/^status:/) });
    expect(await errorOf(await engagelab("GET", "/templates?category=NEWS", client.auth))).toMatchObject({ status: 400, code: 3002, message: expect.stringMatching(/^category:/) });
    expect(await errorOf(await engagelab("GET", "/templates?language_code=french", client.auth))).toMatchObject({ status: 400, code: 3002, message: expect.stringMatching(/^language_code:/) });
  });

  it("answers 3002 naming the field for a malformed creation, and 5002 for a template the store rejects", async () => {
    const client = await engagelabClient();
    const cases: [object, string][] = [
      [{ language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "x" }] }, "name"],
      [{ name: "Bad Name", language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "x" }] }, "name"],
      [{ name: "ok_name", language: "fr", category: "NEWS", components: [{ type: "BODY", text: "x" }] }, "category"],
      [{ name: "ok_name", language: "fr", category: "UTILITY", components: [] }, "components"],
      [{ name: "ok_name", language: "fr", category: "UTILITY", components: [{ type: "CAROUSEL" }] }, "components[0].type"],
    ];
    for (const [body, field] of cases) {
      const error = await errorOf(await engagelab("POST", "/templates", client.auth, body));
      expect(error, field).toMatchObject({ status: 400, code: 3002 });
      expect(error.message.startsWith(`${field}:`), error.message).toBe(true);
    }
    expect(await errorOf(await engagelab("POST", "/templates", client.auth, "{"))).toMatchObject({ status: 400, code: 3001 });
    const rejected = await errorOf(
      await engagelab("POST", "/templates", client.auth, { name: "ok_name", language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Bonjour {{2}}" }] }),
    );
    expect(rejected).toMatchObject({ status: 400, code: 5002, message: expect.stringMatching(/placeholders/) });
    const name = templateName();
    await createTemplate(client, { name, language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "x" }] });
    const twice = await errorOf(await engagelab("POST", "/templates", client.auth, { name, language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "y" }] }));
    expect(twice).toMatchObject({ status: 400, code: 5002, message: expect.stringMatching(/already exists/) });
    const emptyPut = await errorOf(await engagelab("PUT", "/templates/whatever", client.auth, {}));
    expect(emptyPut).toMatchObject({ status: 400, code: 3002 });
  });

  it("never lets one account's key reach another account's templates or send from its numbers", async () => {
    const alice = await engagelabClient();
    const bob = await engagelabClient();
    const name = templateName("secret");
    const id = await createTemplate(alice, { name, language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Bonjour {{1}}" }] });
    expect(await list(bob.auth, `?name=${name}`)).toEqual([]);
    expect(await errorOf(await engagelab("GET", `/templates/${id}`, bob.auth))).toMatchObject({ status: 400, code: 4001 });
    expect(await errorOf(await engagelab("PUT", `/templates/${id}`, bob.auth, { category: "MARKETING" }))).toMatchObject({ status: 400, code: 4001 });
    expect(await errorOf(await engagelab("DELETE", `/templates/${name}`, bob.auth))).toMatchObject({ status: 400, code: 4001 });
    await readyNumber(bob);
    const template = { name, language: "fr", components: [{ type: "body", parameters: [{ type: "text", text: "x" }] }] };
    expect(await errorOf(await send(bob, { to: "243812345678", body: { type: "template", template } }))).toMatchObject({ status: 400, code: 4001 });
    expect(await list(alice.auth, `?name=${name}`)).toHaveLength(1);
  });
});
