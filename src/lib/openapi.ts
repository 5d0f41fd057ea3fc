import * as z from "zod";

/**
 * Every route describes itself here with its zod schemas; `/openapi.json` is generated from this
 * registry, so the reference cannot drift from what the code validates.
 */
type Security = "bearer" | "admin" | "vonage_jwt" | "engagelab_basic" | "lam_api_key" | "cloud_api_token" | "none";

export interface RouteDoc {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string; // OpenAPI style: /api/v1/things/{id}
  tag: string;
  summary: string;
  description?: string;
  security: Security;
  request?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

const routes: RouteDoc[] = [];

export function documentRoute(route: RouteDoc): void {
  routes.push(route);
}

const securitySchemes = {
  bearer: { type: "http", scheme: "bearer", description: "Token from toKABOLA `token` (id_user + key_user)." },
  admin: { type: "http", scheme: "bearer", description: "The operator's ADMIN_TOKEN secret." },
  vonage_jwt: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "RS256 JWT signed with the account's Vonage application key (register it at PUT /api/v1/vonage/application).",
  },
  engagelab_basic: {
    type: "http",
    scheme: "basic",
    description: "EngageLab's `Basic base64(dev_key:dev_secret)`; create a pair at POST /api/v1/engagelab/keys.",
  },
  cloud_api_token: { type: "http", scheme: "bearer", description: "A Cloud API access token (Meta's Bearer token) from POST /api/v1/cloud-api/tokens." },
  lam_api_key: {
    type: "apiKey",
    in: "header",
    name: "LAM-API-KEY",
    description: "A number's API key (D360-API-KEY is accepted too); issue or rotate it at POST /api/v1/numbers/{phone_number_id}/api-key.",
  },
};

function schemaOf(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { target: "draft-2020-12", unrepresentable: "any", io: "input" });
}

export function openApiDocument(info: { title: string; version: string; description: string }): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? { content: { [response.contentType ?? "application/json"]: { schema: schemaOf(response.schema) } } }
          : {}),
      };
    }
    (paths[route.path] ??= {})[route.method] = {
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      security: route.security === "none" ? [] : [{ [route.security]: [] }],
      ...(route.request
        ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(route.request) } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info,
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    paths,
    components: { securitySchemes },
  };
}
