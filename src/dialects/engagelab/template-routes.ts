import * as z from "zod";
import { languageCode, templateName } from "../../core/messages/canonical";
import type { TemplateRecord, TemplateStatus } from "../../core/messages/contract";
import { createTemplate, deleteTemplatesByName, getTemplate, listTemplates, updateTemplate } from "../../core/templates/templates";
import { AppError, unwrap, type Result } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute, type RouteSpec } from "../../lib/openapi";
import { parseInput } from "../../lib/validation";
import { EngagelabErrorSchema } from "./errors";
import { ENGAGELAB_BASE, engagelabRouter, requireEngagelabAccount } from "./router";

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

/** An empty parameter (`?status=`) filters nothing, as when it is absent. */
const blankIsAbsent = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
const ListQuery = z.object({
  name: blankIsAbsent(z.string().max(512)).describe("Part of the name"),
  language_code: blankIsAbsent(languageCode),
  category: blankIsAbsent(Category),
  status: blankIsAbsent(StatusFilter),
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

const err = (description: string) => ({ description, schema: EngagelabErrorSchema });
const route = <const S extends Omit<RouteSpec, "path" | "tag" | "security" | "responses">>(spec: S, path: string, ok: z.ZodType, more: RouteSpec["responses"] = {}) =>
  declareRoute({
    ...spec,
    path: `${ENGAGELAB_BASE}/templates${path}`,
    tag: "EngageLab",
    security: "engagelab_basic",
    responses: { 200: { description: "OK", schema: ok }, 400: err("3001 not JSON, 3002 invalid parameters, 4001 no such template"), 401: err("2001 / 2002"), ...more },
  });
const rejected = { 400: err("3001, 3002, 4001, or 5002 when Meta rejects the template (the message says why)") };
/** EngageLab reads a template by id and deletes one by name, on the same path. */
const TemplateParam = z.object({ template: z.string().describe("The template's id (GET, PUT) or name (DELETE)") });

const listRoute = route({ method: "get", operationId: "engagelabListTemplates", summary: "List the account's templates; filters: name (part of it), language_code, category, status", query: ListQuery }, "", z.array(TemplateView));
engagelabRouter.get("/templates", async (request, rc) => {
  const accountId = await requireEngagelabAccount(request, rc);
  const { query } = await listRoute.read(request);
  if (query.status && !isHeldStatus(query.status)) return json([]);
  const filter = { name: query.name, language: query.language_code, category: query.category, status: query.status };
  return json(unwrap(await listTemplates(rc.core, accountId, filter)).map(view));
});

const getRoute = route({ method: "get", operationId: "engagelabGetTemplate", summary: "Get one template", params: TemplateParam }, "/{template}", TemplateView);
engagelabRouter.get("/templates/:template", async (request, rc) => {
  const accountId = await requireEngagelabAccount(request, rc);
  const { params } = await getRoute.read(request);
  return json(view(unwrap(await getTemplate(rc.core, accountId, params.template))));
});

const createRoute = route(
  { method: "post", operationId: "engagelabCreateTemplate", summary: "Create a template (Meta reviews it; the sandbox approves valid ones at once)", body: CreateTemplate },
  "",
  z.object({ template_id: z.string() }),
  rejected,
);
engagelabRouter.post("/templates", async (request, rc) => {
  const accountId = await requireEngagelabAccount(request, rc);
  const { body } = await createRoute.read(request);
  const created = rejectedAsTemplateError(await createTemplate(rc.core, accountId, body));
  return json({ template_id: created.id });
});

const updateRoute = route(
  { method: "put", operationId: "engagelabUpdateTemplate", summary: "Change a template's category or components", params: TemplateParam, body: UpdateTemplate },
  "/{template}",
  Success,
  rejected,
);
engagelabRouter.put("/templates/:template", async (request, rc) => {
  const accountId = await requireEngagelabAccount(request, rc);
  const { params, body } = await updateRoute.read(request);
  rejectedAsTemplateError(await updateTemplate(rc.core, accountId, params.template, body));
  return json(SUCCESS);
});

const deleteRoute = route({ method: "delete", operationId: "engagelabDeleteTemplate", summary: "Delete a template by name, in every language", params: TemplateParam }, "/{template}", Success);
engagelabRouter.delete("/templates/:template", async (request, rc) => {
  const accountId = await requireEngagelabAccount(request, rc);
  const { params } = await deleteRoute.read(request);
  const name = parseInput(templateName, decodeURIComponent(params.template), "template_name");
  unwrap(await deleteTemplatesByName(rc.core, accountId, name));
  return json(SUCCESS);
});
