import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { findTemplate, templateLanguages, type SendableTemplate } from "../templates/templates";
import { checkTemplateSend } from "../templates/template-rules";
import type { CanonicalMessage } from "./canonical";

type TemplateMessage = Extract<CanonicalMessage, { type: "template" }>;

/**
 * A template send is checked against the account's template store before Meta is called: the
 * template exists in that language, is APPROVED, and gets the parameters it takes. The answer
 * carries the name to send it under (`upstreamName`: the account's own on a shared WABA).
 */
export async function checkTemplate(ctx: CoreContext, accountId: string, message: TemplateMessage, field: (path: string) => string): Promise<Result<SendableTemplate>> {
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

/** The message as the upstream must get it: the template under the name the upstream knows. */
export const asSentUpstream = (message: TemplateMessage, template: SendableTemplate): TemplateMessage => ({
  ...message,
  template: { ...message.template, name: template.upstreamName },
});
