import { describe, expect, it } from "vitest";
import { renderLamError } from "../../src/dialects/lam/errors";
import { AppError, type FieldIssue } from "../../src/lib/errors";
import { messagesOf, recipient, storeTemplate } from "../messages/helpers";
import { expectLamError, lamPost, readyNumber, type LamErrorBody } from "./helpers";

const render = async (error: AppError) => {
  const res = renderLamError(error, "req_test");
  return { status: res.status, errors: (await res.json<LamErrorBody>()).errors };
};

const invalid = (...issues: FieldIssue[]) => new AppError("invalid_request", "Invalid request", { issues });

describe("LAfricaMobile error codes follow (code, reason, kind), never the wording", () => {
  it("a field's code is its kind's: missing 1008, not expected 1010, a template's parameter count 2000, anything else 1009", async () => {
    const { status, errors } = await render(
      invalid(
        { field: "a", kind: "required", reason: "must be given" },
        { field: "b", kind: "unexpected_field", reason: "has no place here" },
        { field: "c", kind: "count_mismatch", reason: "needs two values" },
        { field: "d", kind: "too_long", reason: "is too long" },
        { field: "e", kind: "not_found", reason: "names nothing" },
      ),
    );
    expect(status).toBe(400);
    expect(errors).toEqual([
      { code: 1008, title: "Required parameter is missing", details: "a: must be given" },
      { code: 1010, title: "Parameter is not required", details: "b: has no place here" },
      { code: 2000, title: "Template Param Count Mismatch", details: "c: needs two values" },
      { code: 1009, title: "Parameter value is not valid", details: "d: is too long" },
      { code: 1009, title: "Parameter value is not valid", details: "e: names nothing" },
    ]);
  });

  it("text that reads like another kind does not change the code", async () => {
    const { errors } = await render(
      invalid(
        { field: "a", kind: "invalid_value", reason: "is required" },
        { field: "b", kind: "invalid_value", reason: "Unrecognized key: \"x\"" },
        { field: "c", kind: "invalid_value", reason: "the body of t takes 2 parameter(s), got 1" },
      ),
    );
    expect(errors.map((e) => e.code)).toEqual([1009, 1009, 1009]);
  });

  it("a reason LAM names picks its code over the error code's, in one entry", async () => {
    const cases: [AppError, number, number][] = [
      [new AppError("conflict", "not READY", { reason: "number_not_ready" }), 409, 1011],
      [new AppError("conflict", "PENDING", { reason: "template_not_approved" }), 409, 2001],
      [new AppError("not_found", "Unknown template", { reason: "template_not_found", issues: [{ field: "template.name", kind: "not_found", reason: "no template" }] }), 404, 2001],
      [new AppError("upstream_failure", "cannot be delivered", { reason: "undeliverable" }), 400, 1026],
      [new AppError("conflict", "still being sent", { reason: "in_progress" }), 409, 1000],
      [new AppError("conflict", "busy"), 409, 1000],
    ];
    for (const [error, status, code] of cases) {
      const rendered = await render(error);
      expect([rendered.status, rendered.errors.map((e) => e.code)], `${error.code} ${error.details.reason ?? ""}`).toEqual([status, [code]]);
    }
  });

  it("a template send whose parameters do not match is 2000 for a count (header, body or button) and 1009 for a header of the wrong type", async () => {
    const n = await readyNumber();
    await storeTemplate(n.accountId, {
      name: "order_photo",
      language: "fr",
      category: "UTILITY",
      components: [
        { type: "HEADER", format: "IMAGE" },
        { type: "BODY", text: "Commande {{1}}" },
        { type: "BUTTONS", buttons: [{ type: "URL", text: "Voir", url: "https://shop.example.com/{{1}}" }] },
      ],
    });
    const image = { type: "image", image: { link: "https://cdn.example.com/a.jpg" } };
    const body = { type: "body", parameters: [{ type: "text", text: "A1" }] };
    const button = { type: "button", sub_type: "url", index: 0, parameters: [{ type: "text", text: "A1" }] };
    const send = (components: unknown[]) =>
      lamPost("/messages", { to: recipient(), type: "template", template: { name: "order_photo", language: { code: "fr" }, components } }, n.apiKey);
    const entries = async (components: unknown[]) => (await expectLamError(await send(components), 400)).errors.map((e) => [e.code, e.title]);

    const mismatch = [2000, "Template Param Count Mismatch"];
    expect(await entries([body, button])).toEqual([mismatch]);
    expect(await entries([{ type: "header", parameters: [image] }, { type: "body", parameters: [] }, button])).toEqual([mismatch]);
    expect(await entries([{ type: "header", parameters: [image] }, body])).toEqual([mismatch]);
    const textHeader = { type: "header", parameters: [{ type: "text", text: "A1" }] };
    expect(await entries([textHeader, body, button])).toEqual([[1009, "Parameter value is not valid"]]);
    expect(await messagesOf(n.accountId)).toEqual([]);

    expect((await send([{ type: "header", parameters: [image] }, body, button])).status).toBe(201);
  });
});
