import * as z from "zod";
import type { TemplateRecord } from "../../core/messages/contract";
import { checkClientWaba } from "../../core/numbers/waba";
import { createTemplate, deleteTemplateById, deleteTemplatesByName, findTemplate, getTemplate, listTemplates } from "../../core/templates/templates";
import { AppError, unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { parseWith } from "../../lib/validation";
import type { RequestContext } from "../dialect";
import { GraphErrorSchema } from "./errors";
import { GraphSuccess } from "./message-wire";
import { CLOUD_API_BASE, cloudApiRouter, graphBody, requireGraphAccount } from "./router";

/**
 * `/{waba-id}/message_templates` over the account's own templates: the WABA must be one the
 * account may use (the operator's shared one, or its own); any other is Meta's "object does not
 * exist", and on a shared WABA an account sees and deletes only its own templates.
 */

export const TEMPLATE_CATEGORY = z.enum(["MARKETING", "UTILITY", "AUTHENTICATION"]);
const CATEGORY = TEMPLATE_CATEGORY;
const STATUS = z.enum(["APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED", "DELETED"]);
const TemplatesQuery = z.object({
  name: z.string().max(512).optional(),
  language: z.string().max(16).optional(),
  category: CATEGORY.optional(),
  status: STATUS.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  fields: z.string().optional(),
  // The cursors this route hands out: positions in the account's list.
  after: z.coerce.number().int().min(0).optional().describe("paging.cursors.after of the previous page"),
  before: z.coerce.number().int().min(0).optional().describe("paging.cursors.before of the next page"),
});
export const GraphTemplate = z.object({ id: z.string(), name: z.string(), language: z.string(), status: STATUS, category: CATEGORY, components: z.array(z.unknown()) });
const TemplateList = z.object({ data: z.array(GraphTemplate), paging: z.object({ cursors: z.object({ before: z.string(), after: z.string() }) }) });
const NewTemplateBody = z.object({
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(16),
  category: CATEGORY,
  components: z.array(z.unknown()),
  allow_category_change: z.boolean().optional(),
  parameter_format: z.enum(["positional", "named"]).optional(),
});
const CreatedTemplate = z.object({ id: z.string(), status: STATUS, category: CATEGORY });
const DeleteQuery = z
  .object({
    name: z.string().min(1).max(512).optional().describe("Alone: the name in every language"),
    hsm_id: z.string().min(1).max(64).optional().describe("The template's id: only that template (with `name`, it must be its name)"),
    language: z.string().min(2).max(16).optional().describe("With `name`: only that language (a Kapso client's parameter; Meta's is hsm_id)"),
  })
  .refine((q) => q.name !== undefined || q.hsm_id !== undefined, { message: "must have name or hsm_id", path: ["name"] });

async function requireWaba(request: Parameters<typeof requireGraphAccount>[0], rc: RequestContext): Promise<string> {
  const accountId = await requireGraphAccount(request, rc);
  const wabaId = request.params.wabaId!;
  if (!(await checkClientWaba(rc.core, accountId, wabaId)).ok) throw new AppError("not_found", `Object with ID '${wabaId}' does not exist for this access token`);
  return accountId;
}

const query = (request: Request) => Object.fromEntries(new URL(request.url).searchParams);
export const templateView = (t: TemplateRecord) => ({ id: t.id, name: t.name, language: t.language, status: t.status, category: t.category, components: t.components });

cloudApiRouter.get("/:version/:wabaId/message_templates", async (request, rc) => {
  const accountId = await requireWaba(request, rc);
  const q = unwrap(parseWith(TemplatesQuery, query(request)));
  const all = unwrap(await listTemplates(rc.core, accountId, { name: q.name, language: q.language, category: q.category, status: q.status }));
  const limit = q.limit ?? all.length;
  const start = q.after ?? (q.before !== undefined ? Math.max(0, q.before - limit) : 0);
  const data = all.slice(start, start + limit).map(templateView);
  return json({ data, paging: { cursors: { before: String(start), after: String(start + data.length) } } });
});

// Meta's path is GET /{template-id} (number-routes.ts); some clients (Kapso) name the WABA too.
cloudApiRouter.get("/:version/:wabaId/message_templates/:templateId", async (request, rc) => {
  const accountId = await requireWaba(request, rc);
  return json(templateView(unwrap(await getTemplate(rc.core, accountId, request.params.templateId!))));
});

cloudApiRouter.post("/:version/:wabaId/message_templates", async (request, rc) => {
  const accountId = await requireWaba(request, rc);
  const body = await graphBody(request, NewTemplateBody);
  const made = unwrap(await createTemplate(rc.core, accountId, { name: body.name, language: body.language, category: body.category, components: body.components }));
  return json({ id: made.id, status: made.status, category: made.category });
});

cloudApiRouter.delete("/:version/:wabaId/message_templates", async (request, rc) => {
  const accountId = await requireWaba(request, rc);
  const q = unwrap(parseWith(DeleteQuery, query(request)));
  const id = q.hsm_id ?? (q.language ? ((await findTemplate(rc.core, accountId, q.name!, q.language))?.id ?? "") : undefined);
  unwrap(id !== undefined ? await deleteTemplateById(rc.core, accountId, id, q.name) : await deleteTemplatesByName(rc.core, accountId, q.name!));
  return json({ success: true });
});

const err = (description: string) => ({ description, schema: GraphErrorSchema });
const path = `${CLOUD_API_BASE}/{version}/{waba_id}/message_templates`;
const tag = "Meta Cloud API";
const unknownWaba = err("Another account's WABA, or no such WABA (100, subcode 33); invalid parameter (100)");
declareRoute({
  method: "get",
  operationId: "cloudApiListTemplates",
  path,
  tag,
  summary: "List the account's templates (filters: name, language, category, status; limit)",
  security: "cloud_api_token",
  responses: { 200: { description: "The templates, in Meta's shape", schema: TemplateList }, 400: unknownWaba, 401: err("Bad access token (190)") },
});
declareRoute({
  method: "post",
  operationId: "cloudApiCreateTemplate",
  path,
  tag,
  summary: "Create a template (Meta's creation body)",
  security: "cloud_api_token",
  body: NewTemplateBody,
  responses: { 200: { description: "Submitted", schema: CreatedTemplate }, 400: unknownWaba, 401: err("Bad access token (190)") },
});
declareRoute({
  method: "delete",
  operationId: "cloudApiDeleteTemplate",
  path,
  tag,
  summary: "Delete the account's template by name (every language), or one by its id (`hsm_id`)",
  security: "cloud_api_token",
  responses: { 200: { description: "Deleted", schema: GraphSuccess }, 400: unknownWaba, 401: err("Bad access token (190)") },
});
declareRoute({
  method: "get",
  operationId: "cloudApiGetTemplate",
  path: `${path}/{template_id}`,
  tag,
  summary: "One of the account's templates (the same as GET /{template_id})",
  security: "cloud_api_token",
  responses: { 200: { description: "The template", schema: GraphTemplate }, 400: err("Not a template of this account (100, subcode 33)"), 401: err("Bad access token (190)") },
});
