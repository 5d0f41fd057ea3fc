import { describe, expect, it } from "vitest";
import { sendMessage } from "../../src/core/messages/send";
import { createTemplate, deleteTemplateById, deleteTemplatesByName, getTemplate, listTemplates, updateTemplate } from "../../src/core/templates/templates";
import { input, metaCtx, newAccount, readyNumber, recipient, sandboxCtx, template } from "./helpers";
import { GRAPH_WABA_ID } from "../fakes/graph";

const BODY = (text: string) => [{ type: "BODY", text }];

describe("templates in the sandbox store", () => {
  it("a valid template is APPROVED at once and can be sent with its parameters", async () => {
    const accountId = await newAccount();
    await readyNumber(accountId);
    const created = await createTemplate(sandboxCtx(), accountId, { name: "bienvenue", language: "fr", category: "MARKETING", components: BODY("Bienvenue {{1}} !") });
    expect(created.ok && created.value).toMatchObject({ name: "bienvenue", status: "APPROVED", id: expect.stringMatching(/^tpl_/) });
    const sent = await sendMessage(sandboxCtx(), input(accountId, template(recipient(), "bienvenue", "fr", [{ type: "body", parameters: [{ type: "text", text: "Ana" }] }])));
    expect(sent.ok).toBe(true);
  });

  it("invalid components are refused, naming the component", async () => {
    const accountId = await newAccount();
    const cases: [string, unknown[]][] = [
      ["MARKETING", [{ type: "FOOTER", text: "x" }]],
      ["MARKETING", BODY("Gap {{1}} {{3}}")],
      ["MARKETING", [{ type: "BODY", text: "a".repeat(1025) }]],
      ["AUTHENTICATION", [{ type: "BODY", add_security_recommendation: true }]],
      ["UTILITY", [{ type: "HEADER", format: "GIF" }, ...BODY("x")]],
    ];
    for (const [category, components] of cases) {
      const r = await createTemplate(sandboxCtx(), accountId, { name: "bad_one", language: "fr", category: category as "MARKETING", components });
      expect(!r.ok && r.error.code, JSON.stringify(components)).toBe("invalid_request");
      expect(!r.ok && r.error.details.issues?.[0]?.field).toMatch(/^components/);
    }
    const list = await listTemplates(sandboxCtx(), accountId, {});
    expect(list.ok && list.value).toEqual([]);
  });

  it("one name per language: a duplicate is name_taken; another language is fine; list filters; delete by name removes every language", async () => {
    const accountId = await newAccount();
    const ctx = sandboxCtx();
    expect((await createTemplate(ctx, accountId, { name: "rappel_rdv", language: "fr", category: "UTILITY", components: BODY("Rdv {{1}}") })).ok).toBe(true);
    const dup = await createTemplate(ctx, accountId, { name: "rappel_rdv", language: "fr", category: "UTILITY", components: BODY("Rdv {{1}}") });
    expect(!dup.ok && dup.error.code).toBe("name_taken");
    expect((await createTemplate(ctx, accountId, { name: "rappel_rdv", language: "en_US", category: "UTILITY", components: BODY("Appt {{1}}") })).ok).toBe(true);
    expect((await createTemplate(ctx, accountId, { name: "promo", language: "fr", category: "MARKETING", components: BODY("Promo") })).ok).toBe(true);

    const names = async (filter: object) => {
      const r = await listTemplates(ctx, accountId, filter);
      return r.ok ? r.value.map((t) => `${t.name}/${t.language}`) : [];
    };
    expect(await names({})).toEqual(["promo/fr", "rappel_rdv/en_US", "rappel_rdv/fr"]);
    expect(await names({ name: "rdv" })).toEqual(["rappel_rdv/en_US", "rappel_rdv/fr"]);
    expect(await names({ category: "MARKETING" })).toEqual(["promo/fr"]);
    expect(await names({ language: "en_US", status: "APPROVED" })).toEqual(["rappel_rdv/en_US"]);

    expect(await deleteTemplatesByName(ctx, accountId, "rappel_rdv")).toEqual({ ok: true, value: { deleted: 2 } });
    const again = await deleteTemplatesByName(ctx, accountId, "rappel_rdv");
    expect(!again.ok && again.error.code).toBe("not_found");
  });

  it("update re-checks the components; another account's template is not found", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const created = await createTemplate(sandboxCtx(), a, { name: "suivi", language: "fr", category: "UTILITY", components: BODY("Colis {{1}}") });
    if (!created.ok) throw created.error;
    const updated = await updateTemplate(sandboxCtx(), a, created.value.id, { components: BODY("Colis {{1}} le {{2}}") });
    expect(updated.ok && updated.value.components).toEqual(BODY("Colis {{1}} le {{2}}"));
    const invalid = await updateTemplate(sandboxCtx(), a, created.value.id, { components: [] });
    expect(!invalid.ok && invalid.error.code).toBe("invalid_request");
    expect((await getTemplate(sandboxCtx(), a, created.value.id)).ok).toBe(true);
    const foreign = await getTemplate(sandboxCtx(), b, created.value.id);
    expect(!foreign.ok && foreign.error.code).toBe("not_found");
    const foreignUpdate = await updateTemplate(sandboxCtx(), b, created.value.id, { category: "MARKETING" });
    expect(!foreignUpdate.ok && foreignUpdate.error.code).toBe("not_found");
  });
});

describe("templates on Meta (fake Graph API)", () => {
  it("create goes to the WABA (PENDING), list refreshes the cache (APPROVED), delete removes it on Meta and here", async () => {
    const accountId = await newAccount();
    await readyNumber(accountId, true);
    const name = `meta_tpl_${Date.now()}`;
    const created = await createTemplate(metaCtx(), accountId, { name, language: "fr", category: "UTILITY", components: BODY("Colis {{1}}") });
    expect(created.ok && created.value).toMatchObject({ status: "PENDING", id: expect.stringMatching(/^\d+$/) });
    const pending = await sendMessage(metaCtx(), input(accountId, template(recipient(), name, "fr", [{ type: "body", parameters: [{ type: "text", text: "X" }] }])));
    expect(!pending.ok && pending.error.details.reason).toBe("template_not_approved");
    const listed = await listTemplates(metaCtx(), accountId, { name });
    expect(listed.ok && listed.value.map((t) => t.status)).toEqual(["APPROVED"]);
    expect(await deleteTemplatesByName(metaCtx(), accountId, name)).toEqual({ ok: true, value: { deleted: 1 } });
  });

  it("delete by id (hsm_id) removes that language only, on Meta and here", async () => {
    const accountId = await newAccount();
    await readyNumber(accountId, true);
    const name = `meta_hsm_${Date.now()}`;
    const ids: string[] = [];
    for (const language of ["fr", "en"]) {
      const made = await createTemplate(metaCtx(), accountId, { name, language, category: "UTILITY", components: BODY("Colis {{1}}") });
      if (!made.ok) throw made.error;
      ids.push(made.value.id);
    }
    const atMeta = async () => (await (await fetch(`https://graph.facebook.com/v23.0/fake/templates/${GRAPH_WABA_ID}`)).json<{ names: string[] }>()).names.filter((n) => n.endsWith(name));
    expect(await atMeta()).toHaveLength(2);
    expect(await deleteTemplateById(metaCtx(), accountId, ids[0]!, name)).toEqual({ ok: true, value: { deleted: 1 } });
    expect(await atMeta()).toHaveLength(1);
    expect((await getTemplate(metaCtx(), accountId, ids[1]!)).ok).toBe(true);
    expect((await deleteTemplateById(metaCtx(), accountId, ids[1]!, "another_name")).ok).toBe(false);
  });
});
