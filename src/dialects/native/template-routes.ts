import * as z from "zod";
import { languageCode, templateName } from "../../core/messages/canonical";
import { createTemplate, deleteTemplatesByName, listTemplates } from "../../core/templates/templates";
import { unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";

/** The account's message templates (the sandbox approves valid ones at once; Meta reviews its own). */

const CATEGORIES = ["MARKETING", "UTILITY", "AUTHENTICATION"] as const;
const STATUSES = ["APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED", "DELETED"] as const;
const TemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  language: z.string(),
  category: z.enum(CATEGORIES),
  status: z.enum(STATUSES),
  components: z.array(z.unknown()),
}).meta({ id: "Template" });
const NewTemplateBody = z.strictObject({
  name: templateName,
  language: languageCode,
  category: z.enum(CATEGORIES),
  components: z.array(z.unknown()).describe("Meta's creation format: HEADER, BODY (text with {{1}}…), FOOTER, BUTTONS"),
});
const Filter = z.object({
  name: z.string().optional(),
  language: z.string().optional(),
  category: z.enum(CATEGORIES).optional(),
  status: z.enum(STATUSES).optional(),
});
const bearerErrors = { 401: { description: "Missing, unknown or expired token", schema: NativeErrorSchema } };

const createRoute = declareRoute({
  method: "post",
  path: "/api/v1/templates",
  operationId: "createTemplate",
  tag: "Native: templates",
  summary: "Create a message template (the sandbox approves a valid one at once)",
  security: "bearer",
  body: NewTemplateBody,
  responses: {
    201: { description: "The template", schema: TemplateSchema },
    400: { description: "Invalid name, language or components", schema: NativeErrorSchema },
    409: { description: "The name already exists in this language", schema: NativeErrorSchema },
    ...bearerErrors,
  },
});
nativeRouter.post("/templates", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { body } = await createRoute.read(request);
  return json(unwrap(await createTemplate(rc.core, accountId, body)), 201);
});

const listRoute = declareRoute({
  method: "get",
  path: "/api/v1/templates",
  operationId: "listTemplates",
  tag: "Native: templates",
  summary: "List the account's templates (filters: name substring, language, category, status)",
  security: "bearer",
  query: Filter,
  responses: { 200: { description: "The templates", schema: z.object({ templates: z.array(TemplateSchema) }) }, ...bearerErrors },
});
nativeRouter.get("/templates", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const { query: filter } = await listRoute.read(request);
  return json({ templates: unwrap(await listTemplates(rc.core, accountId, filter)) });
});

nativeRouter.delete("/templates/:name", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  return json(unwrap(await deleteTemplatesByName(rc.core, accountId, String(request.params.name))));
});
declareRoute({
  method: "delete",
  path: "/api/v1/templates/{name}",
  operationId: "deleteTemplate",
  tag: "Native: templates",
  summary: "Delete a template by name, in every language",
  security: "bearer",
  responses: {
    200: { description: "How many were deleted", schema: z.object({ deleted: z.number().int() }) },
    404: { description: "No template of that name", schema: NativeErrorSchema },
    ...bearerErrors,
  },
});
