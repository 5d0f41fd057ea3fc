import * as z from "zod";
import { closeSession, openSession, SESSION_TTL_SECONDS, type Session, type SessionProof } from "../../core/credentials/sessions";
import { AppError, unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { NativeErrorSchema } from "./errors";
import { nativeRouter } from "./router";
import { CSRF_HEADER, SESSION_COOKIE, sessionCookie } from "./session-guard";

const Login = z.union([
  z.strictObject({ role: z.literal("admin"), token: z.string().min(1).max(512).describe("The operator's ADMIN_TOKEN") }),
  z.strictObject({ role: z.literal("account"), id_user: z.string().min(1).max(100), key_user: z.string().min(1).max(200) }),
  z.strictObject({ role: z.literal("account"), token: z.string().min(1).max(512).describe("A bearer token of the account (toKABOLA `token`)") }),
]);

const SessionSchema = z
  .object({
    role: z.enum(["admin", "account"]),
    account_id: z.string().nullable().describe("The account (role account); null for the operator"),
    csrf_token: z.string().describe(`Send it as ${CSRF_HEADER} with every change (non-GET request) made with the cookie`),
    expires_at: z.string().describe("ISO 8601, UTC"),
  })
  .meta({ id: "ConsoleSession" });

const sessionJson = (s: Session) => ({
  role: s.role,
  account_id: s.accountId,
  csrf_token: s.csrfToken,
  expires_at: new Date(s.expiresAt).toISOString(),
});

/**
 * `Secure` always, except over plain http to this machine in development (`wrangler dev` on
 * http://localhost), where a browser would refuse to store a Secure cookie.
 */
function cookieAttributes(request: Request, production: boolean, maxAge: number): string {
  const url = new URL(request.url);
  const localHttp = url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  return `HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}${production || !localHttp ? "; Secure" : ""}`;
}

const unauthorized = { description: "No session, or it expired or was closed", schema: NativeErrorSchema };

const loginRoute = declareRoute({
  method: "post",
  path: "/api/v1/session",
  operationId: "openSession",
  tag: "Native: console sessions",
  summary: "Log in to the console: a session cookie for the operator or an account",
  description: [
    "Proves one credential (the operator's ADMIN_TOKEN, an account's id_user + key_user, or an account's bearer token) ",
    `and answers a session: the \`${SESSION_COOKIE}\` cookie (HttpOnly, SameSite=Strict, Secure, 12 h) authenticates every native route `,
    `as that credential would. Every change made with the cookie must carry \`${CSRF_HEADER}\`. Credential checks are throttled per target (429).`,
  ].join(""),
  security: "none",
  body: Login,
  examples: {
    operator: { summary: "The operator", value: { role: "admin", token: "<ADMIN_TOKEN>" } },
    account: { summary: "An account, by its key", value: { role: "account", id_user: "123456789", key_user: "1-…" } },
  },
  responses: {
    200: { description: "The session; the cookie is in Set-Cookie", schema: SessionSchema },
    400: { description: "Not one of the three credential shapes", schema: NativeErrorSchema },
    401: { description: "Wrong credential", schema: NativeErrorSchema },
    403: { description: "Operator login while ADMIN_TOKEN is not configured, or a suspended account", schema: NativeErrorSchema },
    429: { description: "Too many attempts on this target; retry after Retry-After", schema: NativeErrorSchema },
  },
});
nativeRouter.post("/session", async (request, rc) => {
  const { body } = await loginRoute.read(request);
  const proof: SessionProof =
    body.role === "admin" ? body : "id_user" in body ? { role: "account", idUser: body.id_user, keyUser: body.key_user } : body;
  const { sessionId, session } = unwrap(await openSession(rc.core, proof));
  rc.log.log("info", "session_opened", { role: session.role, account_id: session.accountId });
  const cookie = `${SESSION_COOKIE}=${sessionId}; ${cookieAttributes(request, rc.core.config.production, SESSION_TTL_SECONDS)}`;
  return json(sessionJson(session), 200, { "Set-Cookie": cookie, "Cache-Control": "no-store" });
});

declareRoute({
  method: "get",
  path: "/api/v1/session",
  operationId: "getSession",
  tag: "Native: console sessions",
  summary: "The session the cookie opens, with its CSRF token",
  security: "session",
  responses: { 200: { description: "The session", schema: SessionSchema }, 401: unauthorized },
});
nativeRouter.get("/session", (_request, rc) => {
  if (!rc.session) throw new AppError("unauthorized", "No live console session");
  return json(sessionJson(rc.session), 200, { "Cache-Control": "no-store" });
});

declareRoute({
  method: "delete",
  path: "/api/v1/session",
  operationId: "closeSession",
  tag: "Native: console sessions",
  summary: "Log out: the session ends and its cookie is cleared",
  security: "session",
  headers: z.object({ [CSRF_HEADER]: z.string().optional().describe("The session's CSRF token (required with the cookie)") }),
  responses: { 204: { description: "Logged out" }, 401: unauthorized, 403: { description: `Missing or wrong ${CSRF_HEADER}`, schema: NativeErrorSchema } },
});
nativeRouter.delete("/session", async (request, rc) => {
  const sessionId = sessionCookie(request);
  if (!rc.session || !sessionId) throw new AppError("unauthorized", "No live console session");
  await closeSession(rc.core, sessionId);
  const cleared = `${SESSION_COOKIE}=; ${cookieAttributes(request, rc.core.config.production, 0)}`;
  return new Response(null, { status: 204, headers: { "Set-Cookie": cleared } });
});
