import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { findTemplate, templateLanguages } from "../templates/templates";
import { checkTemplateSend } from "../templates/template-rules";
import type { CanonicalMessage } from "./canonical";
import type { TemplateRecord } from "./contract";

type TemplateMessage = Extract<CanonicalMessage, { type: "template" }>;

/**
 * A template send is checked against the account's template store before Meta is called: the
 * template exists in that language, is APPROVED, and gets the parameters it takes.
 */
export async function checkTemplate(ctx: CoreContext, accountId: string, message: TemplateMessage, field: (path: string) => string): Promise<Result<TemplateRecord>> {
  const { name, language } = message.template;
  const record = await findTemplate(ctx, accountId, name, language.code);
  if (!record) {
    const others = await templateLanguages(ctx, accountId, name);
    const hint = others.length ? `; it exists in ${others.join(", ")}` : "";
    return fail("not_found", `Unknown template ${name} in ${language.code}${hint}`, {
      reason: "template_not_found",
      issues: [{ field: field("template.name"), kind: "not_found", reason: `no template ${name} in language ${language.code}${hint}` }],
    });
  }
  if (record.status !== "APPROVED") {
    return fail("conflict", `Template ${name} (${language.code}) is ${record.status}, not APPROVED`, { reason: "template_not_approved" });
  }
  const params = checkTemplateSend(record, message.template, field);
  return params.ok ? ok(record) : params;
}
