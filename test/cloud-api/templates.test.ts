import { describe, expect, it } from "vitest";
import { cloudClient, createTemplate, expectGraphError, graph } from "./helpers";

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
