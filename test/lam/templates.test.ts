import { describe, expect, it } from "vitest";
import { createTemplate } from "../../src/core/templates/templates";
import { coreContext } from "../helpers";
import { storeTemplate } from "../messages/helpers";
import { expectLamError, lamGet, readyNumber } from "./helpers";

interface Listing {
  count: number;
  filters: Record<string, unknown>;
  limit: number;
  offset: number;
  sort: string[];
  total: number;
  waba_templates: { category: string; components: unknown[]; language: string; name: string; namespace: string; rejected_reason: string; status: string }[];
  meta: { api_status: string };
}

const BODY = (text: string) => [{ type: "BODY", text }];

async function withTemplates() {
  const n = await readyNumber();
  for (const [name, language] of [["order_ready", "fr"], ["order_ready", "en"], ["appointment", "fr"]] as const) {
    const created = await createTemplate(coreContext(), n.accountId, { name, language, category: "UTILITY", components: BODY(`Bonjour ${name}`) });
    expect(created.ok).toBe(true);
  }
  await storeTemplate(n.accountId, { name: "promo_soon", language: "fr", category: "MARKETING", status: "PENDING", components: BODY("Bientôt") });
  await storeTemplate(n.accountId, { name: "promo_bad", language: "fr", category: "MARKETING", status: "REJECTED", components: BODY("Non") });
  return n;
}

describe("GET /lam/configs/templates", () => {
  it("lists the account's templates in 360dialog's shape, with one namespace and lower-case statuses", async () => {
    const n = await withTemplates();
    const res = await lamGet("/configs/templates?sort=name", n.apiKey);
    expect(res.status).toBe(200);
    const body = await res.json<Listing>();
    expect(body).toMatchObject({ count: 5, filters: {}, limit: 1000, offset: 0, sort: ["name"], total: 5, meta: { api_status: "stable" } });
    expect(body.waba_templates.map((t) => [t.name, t.language, t.status, t.rejected_reason])).toEqual([
      ["appointment", "fr", "approved", "NONE"],
      ["order_ready", expect.any(String), "approved", "NONE"],
      ["order_ready", expect.any(String), "approved", "NONE"],
      ["promo_bad", "fr", "rejected", "UNKNOWN"],
      ["promo_soon", "fr", "submitted", "NONE"],
    ]);
    expect(body.waba_templates[0]).toEqual({
      category: "UTILITY",
      components: BODY("Bonjour appointment"),
      language: "fr",
      name: "appointment",
      namespace: expect.stringMatching(/^[0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12}$/),
      rejected_reason: "NONE",
      status: "approved",
    });
    expect(new Set(body.waba_templates.map((t) => t.namespace)).size).toBe(1);
  });

  it("pages with limit and offset, and sorts descending with a leading -", async () => {
    const n = await withTemplates();
    const page = await (await lamGet("/configs/templates?limit=2&offset=1&sort=-name", n.apiKey)).json<Listing>();
    expect(page).toMatchObject({ count: 2, limit: 2, offset: 1, total: 5, sort: ["-name"] });
    expect(page.waba_templates.map((t) => t.name)).toEqual(["promo_bad", "order_ready"]);
    const beyond = await (await lamGet("/configs/templates?offset=10", n.apiKey)).json<Listing>();
    expect([beyond.count, beyond.total, beyond.waba_templates]).toEqual([0, 5, []]);
  });

  it("refuses a bad limit, offset or sort (1009) and a missing key (1005)", async () => {
    const n = await readyNumber();
    for (const query of ["limit=-1", "limit=abc", "limit=1001", "offset=1.5", "sort=created_at"]) {
      const body = await expectLamError(await lamGet(`/configs/templates?${query}`, n.apiKey), 400);
      expect(body.errors.map((e) => e.code), query).toEqual([1009]);
      expect(body.errors[0]!.details).toMatch(new RegExp(`^${query.split("=")[0]}: `));
    }
    expect((await expectLamError(await lamGet("/configs/templates"), 401)).errors[0]!.code).toBe(1005);
  });

  it("shows only the key's account's templates", async () => {
    const n = await withTemplates();
    const other = await readyNumber();
    const body = await (await lamGet("/configs/templates", other.apiKey)).json<Listing>();
    expect(body.total).toBe(0);
    expect((await (await lamGet("/configs/templates", n.apiKey)).json<Listing>()).total).toBe(5);
  });
});
