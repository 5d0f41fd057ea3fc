import * as z from "zod";
import { languageCode, templateName } from "../../core/messages/canonical";
import type { TemplateRecord, TemplateStatus } from "../../core/messages/contract";
import { createTemplate, deleteTemplatesByName, getTemplate, listTemplates, updateTemplate } from "../../core/templates/templates";
import { AppError, unwrap, type Result } from "../../lib/errors";
import { json } from "../../lib/http";
import { documentRoute, type RouteDoc } from "../../lib/openapi";
import { parseWith } from "../../lib/validation";
import { EngagelabErrorSchema } from "./errors";
import { ENGAGELAB_BASE, engagelabBody, engagelabRouter, requireEngagelabAccount } from "./router";

/** EngageLab's template management API (reference §3.3), over the core's template functions. */

/** EngageLab's legacy category names still arrive from older clients. */
const LEGACY_CATEGORIES: Record<string, string> = { OTP: "AUTHENTICATION", TRANSACTIONAL: "UTILITY" };
const Category = z
  .string()
  .transform((c) => LEGACY_CATEGORIES[c.toUpperCase()] ?? c.toUpperCase())
  .pipe(z.enum(["MARKETING", "UTILITY", "AUTHENTICATION"], { error: "must be MARKETING, UTILITY or AUTHENTICATION" }));
const STATUSES = ["APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED", "DELETED"] as const satisfies readonly TemplateStatus[];
const Status = z.enum(STATUSES);
/** EngageLab's filter also names statuses no template here ever has; they match nothing. */
const StatusFilter = z.enum([...STATUSES, "PENDING_DELETION", "IN_APPEAL"]);
const isHeldStatus = (s: string): s is TemplateStatus => (STATUSES as readonly string[]).includes(s);

/** Meta's creation format; the core (Meta, or the sandbox store) checks each component's content. */
const Component = z
  .object({
    type: z
      .string()
      .transform((t) => t.toUpperCase())
      .pipe(z.enum(["HEADER", "BODY", "FOOTER", "BUTTONS"], { error: "must be HEADER, BODY, FOOTER or BUTTONS" })),
  })
  .loose();
const Components = z.array(Component).min(1, "must hold at least a BODY component").max(10);

const ListQuery = z.object({
  name: z.string().max(512).optional().describe("Part of the name"),
  language_code: languageCode.optional(),
  category: Category.optional(),
  status: StatusFilter.optional(),
});
const CreateTemplate = z.object({ name: templateName, language: languageCode, category: Category, components: Components });
const UpdateTemplate = z
  .object({ category: Category.optional(), components: Components.optional() })
  .refine((u) => u.category !== undefined || u.components !== undefined, "must change category or components");

const TemplateView = z.object({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  status: Status,
  category: z.enum(["MARKETING", "UTILITY", "AUTHENTICATION"]),
  components: z.array(z.unknown()),
});
const Success = z.object({ code: z.literal(0), message: z.literal("success") });
const SUCCESS = { code: 0, message: "success" } as const;

const view = (t: TemplateRecord) => ({ id: t.id, name: t.name, language: t.language, status: t.status, category: t.category, components: t.components });

/** A template Meta (or the sandbox store) refused is EngageLab's 5002; other errors keep their code. */
function rejectedAsTemplateError<T>(result: Result<T>): T {
  if (!result.ok && (result.error.code === "invalid_request" || result.error.code === "name_taken")) {
    throw new AppError(result.error.code, result.error.message, { ...result.error.details, reason: "template_rejected" });
  }
  return unwrap(result);
}

engagelabRouter.get("/templates", async (request, rc) => {
  const accountId = await requireEngagelabAccount(request, rc);
  // An empty parameter (`?status=`) filters nothing, as when it is absent.
  const given = [...new URL(request.url).searchParams].filter(([, value]) => value !== "");
  const query = unwrap(parseWith(ListQuery, Object.fromEntries(given)));
  if (query.status && !isHeldStatus(query.status)) return json([]);
  const filter = { name: query.name, language: query.language_code, category: query.category, status: query.status };
  return json(unwrap(await listTemplates(rc.core, accountId, filter)).map(view));
});

engagelabRouter.get("/templates/:templateId", async (request, rc) => {
  const accountId = await requireEngagelabAccount(request, rc);
  return json(view(unwrap(await getTemplate(rc.core, accountId, request.params.templateId!))));
});

engagelabRouter.post("/templates", async (request, rc) => {
  const accountId = await requireEngagelabAccount(request, rc);
  const body = await engagelabBody(request, CreateTemplate);
  const created = rejectedAsTemplateError(await createTemplate(rc.core, accountId, body));
  return json({ template_id: created.id });
});

engagelabRouter.put("/templates/:templateId", async (request, rc) => {
  const accountId = await requireEngagelabAccount(request, rc);
  const changes = await engagelabBody(request, UpdateTemplate);
  rejectedAsTemplateError(await updateTemplate(rc.core, accountId, request.params.templateId!, changes));
  return json(SUCCESS);
});

engagelabRouter.delete("/templates/:templateName", async (request, rc) => {
  const accountId = await requireEngagelabAccount(request, rc);
  const name = unwrap(parseWith(templateName, decodeURIComponent(request.params.templateName!), "template_name"));
  unwrap(await deleteTemplatesByName(rc.core, accountId, name));
  return json(SUCCESS);
});

const err = (description: string) => ({ description, schema: EngagelabErrorSchema });
const doc = (method: RouteDoc["method"], path: string, summary: string, ok: z.ZodType, request?: z.ZodType, more: RouteDoc["responses"] = {}) =>
  documentRoute({
    method,
    path: `${ENGAGELAB_BASE}/templates${path}`,
    tag: "EngageLab",
    summary,
    security: "engagelab_basic",
    request,
    responses: { 200: { description: "OK", schema: ok }, 400: err("3001 not JSON, 3002 invalid parameters, 4001 no such template"), 401: err("2001 / 2002"), ...more },
  });
const rejected = { 400: err("3001, 3002, 4001, or 5002 when Meta rejects the template (the message says why)") };

doc("get", "", "List the account's templates; filters: name (part of it), language_code, category, status", z.array(TemplateView));
doc("get", "/{template_id}", "Get one template", TemplateView);
doc("post", "", "Create a template (Meta reviews it; the sandbox approves valid ones at once)", z.object({ template_id: z.string() }), CreateTemplate, rejected);
doc("put", "/{template_id}", "Change a template's category or components", Success, UpdateTemplate, rejected);
doc("delete", "/{template_name}", "Delete a template by name, in every language", Success);
