import { declareRoute } from "../../lib/openapi";
import { LamErrorSchema } from "./errors";
import { LAM_BASE, lamRouter } from "./router";

/**
 * 360dialog's On-Premise paths (`/v1/messages`, `/v1/configs/webhook`, `/v1/configs/templates`,
 * `/v1/media`, `/v1/health`) name the same resources as the paths without `/v1`: a `/lam/v1/…` request is
 * answered by the route of `/lam/…`, so a 360dialog client keeps its base URL's `/v1`.
 */
lamRouter.all("/v1/*", (request, rc) => lamRouter.fetch(new Request(request.url.replace(`${LAM_BASE}/v1/`, `${LAM_BASE}/`), request), rc));

const ALIASES: { method: "get" | "post" | "put" | "delete"; path: string; summary: string }[] = [
  { method: "post", path: "/messages", summary: "Send a message, or mark one read" },
  { method: "put", path: "/messages/{message_id}", summary: "Mark a customer's message read" },
  { method: "get", path: "/configs/templates", summary: "List the account's templates" },
  { method: "post", path: "/configs/templates", summary: "Create a template" },
  { method: "delete", path: "/configs/templates/{name}", summary: "Delete a template by name" },
  { method: "post", path: "/media", summary: "Upload a file" },
  { method: "get", path: "/media/{id}", summary: "Download an upload or a customer's media" },
  { method: "delete", path: "/media/{id}", summary: "Delete an upload" },
  { method: "post", path: "/configs/webhook", summary: "Set the number's webhook" },
  { method: "get", path: "/configs/webhook", summary: "Read the number's webhook" },
  { method: "get", path: "/health", summary: "The number's health" },
];
for (const alias of ALIASES) {
  declareRoute({
    method: alias.method,
    // e.g. lamV1PostConfigsTemplates: the alias's own id, beside the unprefixed route's.
    operationId: `lamV1${[alias.method, ...alias.path.split(/[/{}_]/)].filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("")}`,
    path: `${LAM_BASE}/v1${alias.path}`,
    tag: "LAfricaMobile / 360dialog",
    summary: `${alias.summary}: 360dialog's On-Premise path, the same as ${LAM_BASE}${alias.path}`,
    security: "lam_api_key",
    responses: { 200: { description: `As ${LAM_BASE}${alias.path}` }, 401: { description: "Missing or unknown API key (1005)", schema: LamErrorSchema } },
  });
}
