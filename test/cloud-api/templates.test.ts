import { describe, expect, it } from "vitest";
import { cloudClient, createTemplate, expectGraphError, graph, type CloudClient } from "./helpers";

type Page = { data: { name: string }[]; paging: { cursors: { before: string; after: string } } };

describe("Cloud API dialect: GET /{waba-id}/message_templates", () => {
  it("pages the account's templates with the cursors it hands out: after reaches the rest, before goes back; a foreign cursor is 100", async () => {
    const c = await cloudClient();
    const names = [await createTemplate(c), await createTemplate(c), await createTemplate(c)];
    const page = async (q: string) => {
      const res = await graph("GET", `/${c.wabaId}/message_templates?${q}`, c.accessToken);
      expect(res.status, await res.clone().text()).toBe(200);
      return res.json<Page>();
    };
    const first = await page("limit=2");
    const second = await page(`limit=2&after=${first.paging.cursors.after}`);
    expect(second.data).toHaveLength(1);
    expect([...first.data, ...second.data].map((t) => t.name).sort()).toEqual([...names].sort());
    const back = await page(`limit=2&before=${second.paging.cursors.before}`);
    expect(back.data).toEqual(first.data);
    const foreign = await graph("GET", `/${c.wabaId}/message_templates?after=QVFIUm5fZAmVl`, c.accessToken);
    expect((await expectGraphError(foreign, 400, 100)).error_data.details).toContain("after");
  });
});

describe("Cloud API dialect: one template by its id", () => {
  const body = (text: string) => [{ type: "BODY", text, example: { body_text: [["Awa"]] } }];
  const make = async (c: CloudClient, name: string, language: string) => {
    const res = await graph("POST", `/${c.wabaId}/message_templates`, c.accessToken, { name, language, category: "UTILITY", components: body("Bonjour {{1}}") });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json<{ id: string }>()).id;
  };
  const names = async (c: CloudClient) => (await (await graph("GET", `/${c.wabaId}/message_templates`, c.accessToken)).json<{ data: { id: string }[] }>()).data.map((t) => t.id).sort();

  it("GET /{template-id} reads it and POST /{template-id} edits its components, answering {success: true}", async () => {
    const c = await cloudClient();
    const id = await make(c, `edit_${Date.now().toString(36)}`, "fr");
    const edited = await graph("POST", `/${id}`, c.accessToken, { components: body("Salut {{1}}, merci") });
    expect(edited.status, await edited.clone().text()).toBe(200);
    expect(await edited.json()).toEqual({ success: true });
    expect(await (await graph("GET", `/${id}`, c.accessToken)).json()).toMatchObject({ id, components: body("Salut {{1}}, merci") });
    await expectGraphError(await graph("POST", `/${id}`, c.accessToken, {}), 400, 100);
    await expectGraphError(await graph("POST", `/${id}`, c.accessToken, { components: "BODY" }), 400, 100);
  });

  it("DELETE ?hsm_id= removes that template only; ?name= removes every language; neither is 100", async () => {
    const c = await cloudClient();
    const name = `del_${Date.now().toString(36)}`;
    const [fr, en] = [await make(c, name, "fr"), await make(c, name, "en")];
    const del = (q: string) => graph("DELETE", `/${c.wabaId}/message_templates?${q}`, c.accessToken);
    await expectGraphError(await del(`hsm_id=${fr}&name=${name}x`), 400, 100);
    expect(await (await del(`hsm_id=${fr}&name=${name}`)).json()).toEqual({ success: true });
    expect(await names(c)).toEqual([en]);
    await expectGraphError(await del(`hsm_id=${fr}`), 400, 100);
    await expectGraphError(await del(""), 400, 100);
    expect(await (await del(`name=${name}`)).json()).toEqual({ success: true });
    expect(await names(c)).toEqual([]);
  });

  it("another account's template is Meta's 100/33 to read, edit or delete, and stays as it was", async () => {
    const c = await cloudClient();
    const other = await cloudClient();
    const name = `mine_${Date.now().toString(36)}`;
    const id = await make(c, name, "fr");
    for (const res of [
      await graph("GET", `/${id}`, other.accessToken),
      await graph("POST", `/${id}`, other.accessToken, { components: body("Piraté {{1}}") }),
      await graph("DELETE", `/${other.wabaId}/message_templates?hsm_id=${id}&name=${name}`, other.accessToken),
      await graph("DELETE", `/${other.wabaId}/message_templates?name=${name}`, other.accessToken),
    ]) {
      expect((await expectGraphError(res, 400, 100)).error_subcode).toBe(33);
    }
    expect(await (await graph("GET", `/${id}`, c.accessToken)).json()).toMatchObject({ id, name, components: body("Bonjour {{1}}") });
  });
});
