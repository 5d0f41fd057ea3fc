import * as z from "zod";
import { readJsonBody } from "./http";
import { parseInput } from "./validation";

/**
 * Every route is declared once, beside its handler; `/openapi.json` is generated from these
 * declarations (src/lib/openapi-document.ts, with @asteasolutions/zod-to-openapi) and the handler
 * reads its inputs through the same declaration, so the reference cannot drift from what the code
 * validates:
 *
 *   const sendRoute = declareRoute({
 *     method: "post", path: "/lam/messages", operationId: "lamSendMessage", tag: "LAfricaMobile / 360dialog",
 *     summary: "Send a message", security: "lam_api_key",
 *     headers: z.object({ "Idempotency-Key": IdempotencyKey.optional() }),
 *     body: LamMessageSchema, examples: { text: { summary: "A text", value: { to: "221…", type: "text", … } } },
 *     responses: { 201: { description: "Sent", schema: LamSentSchema }, 400: lamError("Invalid field") },
 *   });
 *   lamRouter.post("/messages", async (request, rc) => {
 *     const { headers, body } = await sendRoute.read(request, lamParse); // errors in LAM's own format
 *
 * `path` is OpenAPI style (`{id}`); its parameters are documented as strings unless `params`
 * declares them (then `read` validates them: the router's `:names` must be the same).
 * `parse` (default `parseInput`: `invalid_request`, rendered by the dialect's errors.ts) is the
 * dialect's validator, so a bad input answers in that dialect's error format.
 * A schema with `.meta({ id: "Name" })` becomes a named component (`#/components/schemas/Name`).
 * From the former `documentRoute({...})`: call `declareRoute`, rename `request` to `body`, add a
 * unique `operationId`, declare `query`/`headers` the handler reads, and move the declaration
 * above the handler to read through it. Then `npm run client:generate`.
 */
type Security = "bearer" | "admin" | "session" | "vonage_jwt" | "engagelab_basic" | "lam_api_key" | "cloud_api_token" | "none";

/** The tags, in the reference's order (toKABOLA, the walk-through's dialect, first), with their descriptions. */
const TAG_DESCRIPTIONS = {
  toKABOLA: "toKABOLA's API: one endpoint dispatched on `type` (signup, token, numbers, funds, sends), bearer token from `token`.",
  "LAfricaMobile / 360dialog": "LAfricaMobile's WhatsApp API (360dialog On-Premise shape), authenticated by a number's LAM-API-KEY.",
  EngageLab: "EngageLab's WhatsApp API, HTTP Basic with a dev_key/dev_secret pair.",
  "Vonage WhatsApp Manager": "Vonage's WhatsApp Manager (deployments, profile, stickerpacks), RS256 JWT of the account's Vonage application.",
  "Meta Cloud API":
    "Meta's WhatsApp Cloud API at `/graph/{version}/…` (Meta's SDKs and their successors set their base URL to `https://<tuma>/graph`): a Bearer access token from POST /api/v1/cloud-api/tokens; Graph's error envelope.",
  "Vonage Messages":
    "Vonage's Messages API for WhatsApp (`apiHost: https://<tuma>/vonage`): JWT of the account's Vonage application or Basic api_key:api_secret; signup without toKABOLA.",
  "Native: account": "Tuma's native API: the account's key and settings.",
  "Native: numbers": "Tuma's native API: a number's API key.",
  "Native: money": "Tuma's native API: wallets, ledger and plans.",
  "Native: messages": "Tuma's native API: the account's message log (a message with its timeline, filtered lists, one customer's conversation).",
  "Native: Meta Cloud API": "Tuma's native API: the account's Cloud API access tokens and its Cloud API webhook (Meta's handshake, signed X-Hub-Signature-256).",
  "Native: templates": "Tuma's native API: message templates.",
  "Native: campaigns": "Tuma's native API: campaigns and a number's throughput.",
  "Native: webhooks": "Tuma's native API: the account's webhook endpoints, deliveries and replays.",
  "Native: EngageLab keys": "Tuma's native API: the dev_key/dev_secret pairs the EngageLab dialect authenticates.",
  "Native: console sessions":
    "Tuma's native API: console sessions. The `tuma_session` cookie authenticates every native route as the credential shown at login would; changes made with it carry `X-CSRF-Token`.",
  "Native: admin": "Tuma's native API for the operator (ADMIN_TOKEN): plans, prices, unrouted and rejected events.",
  Sandbox: "Simulated customers writing to sandbox numbers.",
  Webhooks: "Where Meta and pawaPay call Tuma.",
  System: "The index, health, and this reference.",
} as const;
export const TAGS = Object.entries(TAG_DESCRIPTIONS).map(([name, description]) => ({ name: name as Tag, description }));
export type Tag = keyof typeof TAG_DESCRIPTIONS;

type Example = { summary?: string; value: unknown };

interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
  example?: unknown;
}

export interface RouteSpec {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  operationId: string;
  tag: Tag;
  summary: string;
  description?: string;
  security: Security;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  /** A JSON body, validated by `read`. */
  body?: z.ZodType;
  /** A body `read` does not parse (uploads, signed webhooks): documented only. */
  rawBody?: { contentType: string; schema: z.ZodType };
  /** Named examples of the body (the providers' own, from their documentation). */
  examples?: Record<string, Example>;
  responses: Record<number, ResponseDoc>;
}

// `never` for an absent part, so a helper's optional `body?: B` still reads as B's output.
type Out<S> = S extends z.ZodType ? z.output<S> : never;

/** What `read` returns: each part parsed by the declaration's schema. */
interface RouteInput<S extends RouteSpec> {
  params: S["params"] extends z.ZodObject ? z.output<S["params"]> : Record<string, string>;
  query: Out<S["query"]>;
  headers: Out<S["headers"]>;
  body: Out<S["body"]>;
}

/** The dialect's validator: the parsed value, or throws the dialect's own validation error. */
type Parse = <S extends z.ZodType>(schema: S, data: unknown) => z.output<S>;

export interface DeclaredRoute<S extends RouteSpec> {
  spec: S;
  /**
   * Parses the request's parts the declaration names. `body` replaces the declared body schema
   * for a body whose rules depend on the deployment (e.g. client URLs in production): the
   * declaration documents the production variant.
   */
  read(request: Request & { params?: Record<string, string> }, parse?: Parse, body?: S["body"]): Promise<RouteInput<S>>;
}

const declared: RouteSpec[] = [];

/** The routes declared so far, for the document. */
export const declaredRoutes = (): readonly RouteSpec[] => declared;

/** The path's `{name}` parameters, as the route's `params` schema (strings unless declared). */
export function pathParams(spec: Pick<RouteSpec, "path" | "params">): z.ZodObject | undefined {
  const names = [...spec.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  if (names.length === 0) return spec.params;
  const shape: Record<string, z.ZodType> = Object.fromEntries(names.map((n) => [n, z.string()]));
  return z.object({ ...shape, ...spec.params?.shape });
}

export function declareRoute<const S extends RouteSpec>(spec: S): DeclaredRoute<S> {
  if (declared.some((d) => d.operationId === spec.operationId)) throw new Error(`operationId ${spec.operationId} declared twice`);
  declared.push(spec);
  return {
    spec,
    async read(request, parse = parseInput, body = spec.body) {
      const url = new URL(request.url);
      const headerNames = Object.keys(spec.headers?.shape ?? {});
      const input = {
        params: spec.params ? parse(spec.params, request.params ?? {}) : (request.params ?? {}),
        query: spec.query ? parse(spec.query, Object.fromEntries(url.searchParams)) : undefined,
        headers: spec.headers
          ? parse(spec.headers, Object.fromEntries(headerNames.map((n) => [n, request.headers.get(n) ?? undefined])))
          : undefined,
        body: body ? parse(body, await readJsonBody(request)) : undefined,
      };
      return input as RouteInput<S>;
    },
  };
}
