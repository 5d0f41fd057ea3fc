import * as z from "zod";
import { createTemplate, deleteTemplatesByName } from "../../core/templates/templates";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { LAM_META, LamErrorSchema, LamMetaSchema } from "./errors";
import { LAM_BASE, lamParse, lamRouter, requireNumber } from "./router";
import { lamTemplateView, WabaTemplate } from "./template-routes";

/** 360dialog's template creation and deletion with the number's key, on the account's templates (the same store as every dialect's). */

const NewTemplate = z.strictObject({
  name: z.string().min(1).max(512),
  language: z.string().min(2).max(16),
  category: z.enum(["MARKETING", "UTILITY", "AUTHENTICATION"]),
  components: z.array(z.unknown()),
  allow_category_change: z.boolean().optional(),
});

const err = (description: string) => ({ description, schema: LamErrorSchema });
const tag = "LAfricaMobile / 360dialog";
const createRoute = declareRoute({
  method: "post",
  operationId: "lamCreateTemplate",
  path: `${LAM_BASE}/configs/templates`,
  tag,
  summary: "Create a template (Meta's body: name, language, category, components); also at /lam/v1/configs/templates",
  security: "lam_api_key",
  body: NewTemplate,
  responses: {
    201: { description: "Submitted (the sandbox approves at once)", schema: WabaTemplate.extend({ id: z.string(), meta: LamMetaSchema }) },
    400: err("Invalid template (1009)"),
    401: err("Missing or unknown API key (1005)"),
    409: err("The name exists in this language (1004)"),
  },
});
lamRouter.post("/configs/templates", async (request, rc) => {
  const number = await requireNumber(request, rc);
  const { body } = await createRoute.read(request, lamParse);
  const made = unwrap(await createTemplate(rc.core, number.accountId, { name: body.name, language: body.language, category: body.category, components: body.components }));
  return json({ ...(await lamTemplateView(number.accountId, made)), id: made.id, meta: LAM_META }, 201);
});

lamRouter.delete("/configs/templates/:name", async (request, rc) => {
  const number = await requireNumber(request, rc);
  const { deleted } = unwrap(await deleteTemplatesByName(rc.core, number.accountId, decodeURIComponent(request.params.name!)));
  return json({ deleted, meta: LAM_META });
});

declareRoute({
  method: "delete",
  operationId: "lamDeleteTemplate",
  path: `${LAM_BASE}/configs/templates/{name}`,
  tag,
  summary: "Delete the account's template by name, in every language; also at /lam/v1/configs/templates/{name}",
  security: "lam_api_key",
  responses: { 200: { description: "Deleted", schema: z.object({ deleted: z.number().int(), meta: LamMetaSchema }) }, 401: err("Missing or unknown API key (1005)"), 404: err("No template of that name (1006)") },
});
