import * as z from "zod";
import type { IRequest } from "itty-router";
import { completeEmbeddedSignup, startEmbeddedSignup } from "../../core/numbers/embedded-signup";
import { isAppError, type AppError, type ErrorCode } from "../../lib/errors";
import { readRawBody } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import type { RequestContext } from "../dialect";

/**
 * `GET /tokabola/goto/addnumber/?id_user=…`: a browser page, not an API. It asks for the account's
 * `key_user` and POSTs it back; only then is an OWNER-plan account sent to Meta's Embedded Signup,
 * and Meta comes back to `…/callback`. The GET page looks nothing up, so it tells no account from
 * another; every credential refusal is the same page after the same work. Pages are HTML in French
 * and never cached (the callback shows an API key).
 */
const CALLBACK = "/tokabola/goto/addnumber/callback";
const FORM_LIMIT_BYTES = 4096;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const PAGE_HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "Content-Security-Policy": "default-src 'none'; form-action 'self' https://www.facebook.com; frame-ancestors 'none'",
};

function page(status: number, title: string, body: string): Response {
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;
  return new Response(html, { status, headers: PAGE_HEADERS });
}

const REFUSALS: Partial<Record<ErrorCode, [number, string]>> = {
  forbidden: [403, "Cette fonction est réservée à l'abonnement OWNER. Passez à OWNER avec update renew, puis réessayez."],
  not_found: [404, "Compte introuvable. Vérifiez id_user."],
  unauthorized: [400, "Lien invalide. Recommencez depuis le début."],
  token_expired: [400, "Le lien a expiré. Recommencez depuis le début."],
  number_in_use: [409, "Ce numéro est déjà associé à un déploiement."],
  invalid_request: [400, "Meta n'a partagé aucun numéro utilisable."],
  unavailable: [503, "L'association de numéros existants n'est pas configurée sur cette passerelle."],
  rate_limited: [429, "Trop de tentatives pour ce compte. Réessayez dans une minute."],
};

function refusal(e: unknown): Response {
  if (!isAppError(e)) throw e;
  const [status, text] = REFUSALS[(e as AppError).code] ?? [502, "Meta n'a pas répondu correctement. Réessayez."];
  const refused = page(status, "Association impossible", `<p>${escape(text)}</p>`);
  const retryAfter = (e as AppError).details.retryAfterSeconds;
  if (retryAfter) refused.headers.set("Retry-After", String(retryAfter));
  return refused;
}

const BAD_CREDENTIALS = "Identifiants invalides. Vérifiez id_user et key_user.";

function form(idUser: string, notice?: string): string {
  return (
    (notice ? `<p>${escape(notice)}</p>` : "") +
    `<form method="post" action="/tokabola/goto/addnumber/">` +
    `<p><label>id_user <input name="id_user" value="${escape(idUser)}" required autocomplete="username"></label></p>` +
    `<p><label>key_user <input name="key_user" type="password" required autocomplete="current-password"></label></p>` +
    `<p><button type="submit">Continuer vers Meta</button></p></form>`
  );
}

/** The page that asks for `key_user`; it reads nothing but its own query. */
export function gotoAddNumber(request: IRequest): Response {
  const idUser = (new URL(request.url).searchParams.get("id_user") ?? "").trim().slice(0, 20);
  return page(200, "Associer un numéro WhatsApp existant", form(/^\d+$/.test(idUser) ? idUser : ""));
}

/** The form's POST: proves the credentials, then redirects to Meta. */
export async function gotoAddNumberStart(request: IRequest, rc: RequestContext): Promise<Response> {
  let fields = new URLSearchParams();
  try {
    fields = new URLSearchParams(new TextDecoder().decode(await readRawBody(request, FORM_LIMIT_BYTES)));
  } catch (e) {
    if (!isAppError(e)) throw e;
  }
  // Malformed, missing, unknown and wrong all reach the same check, so they cost the same.
  const credentials = { accountId: (fields.get("id_user") ?? "").trim().slice(0, 20), keyUser: (fields.get("key_user") ?? "").slice(0, 200) };
  const started = await startEmbeddedSignup(rc.core, credentials, `${new URL(request.url).origin}${CALLBACK}`);
  if (started.ok) return new Response(null, { status: 302, headers: { Location: started.value, "Cache-Control": "no-store" } });
  if (started.error.code === "unauthorized") return page(401, "Association impossible", form("", BAD_CREDENTIALS));
  return refusal(started.error);
}

export async function gotoAddNumberCallback(request: IRequest, rc: RequestContext): Promise<Response> {
  const url = new URL(request.url);
  const code = url.searchParams.get("code");
  const state = url.searchParams.get("state");
  if (!code || !state) return page(400, "Association annulée", "<p>Meta n'a pas renvoyé d'autorisation.</p>");
  const done = await completeEmbeddedSignup(rc.core, state, code, `${url.origin}${CALLBACK}`);
  if (!done.ok) return refusal(done.error);
  const { deployment: d, apiKey } = done.value;
  rc.log.log("info", "number_linked", { account_id: d.accountId, deployment_id: d.id, state: d.state });
  return page(
    200,
    "Numéro associé",
    `<p>Numéro +${escape(d.cc)} ${escape(d.number)} : état ${escape(d.state)}.</p>` +
      `<p>phone_number_id : <code>${escape(d.phoneNumberId ?? "")}</code></p>` +
      `<p>Clé API du numéro (affichée une seule fois) : <code>${escape(apiKey)}</code></p>`,
  );
}

declareRoute({
  method: "get",
  path: "/tokabola/goto/addnumber",
  operationId: "tokabolaAddNumberPage",
  tag: "toKABOLA",
  summary: "Link an existing WhatsApp Business number through Meta's Embedded Signup (OWNER plan; browser page)",
  description: "`?id_user=…` prefills a form that asks for `key_user` and posts both to this path (also served with a trailing slash).",
  security: "none",
  query: z.object({ id_user: z.string().optional().describe("Prefills the form") }),
  responses: { 200: { description: "HTML form asking for id_user and key_user", contentType: "text/html" } },
});

declareRoute({
  method: "post",
  path: "/tokabola/goto/addnumber",
  operationId: "tokabolaAddNumberStart",
  tag: "toKABOLA",
  summary: "Prove id_user and key_user (form fields), then go to Meta's Embedded Signup",
  description: "`application/x-www-form-urlencoded` `id_user`, `key_user`. Meta returns to `/tokabola/goto/addnumber/callback`, which records the shared number, registers it and shows its API key once.",
  security: "none",
  rawBody: { contentType: "application/x-www-form-urlencoded", schema: z.object({ id_user: z.string(), key_user: z.string() }) },
  responses: {
    302: { description: "Redirect to Meta's Embedded Signup" },
    401: { description: "HTML: unknown id_user or wrong key_user (one answer for both)", contentType: "text/html" },
    429: { description: "HTML: too many attempts for this id_user (Retry-After)", contentType: "text/html" },
    403: { description: "HTML: the account is not on an active OWNER plan", contentType: "text/html" },
  },
});

const html = (description: string) => ({ description: `HTML: ${description}`, contentType: "text/html" as const });
declareRoute({
  method: "get",
  path: CALLBACK,
  operationId: "tokabolaAddNumberCallback",
  tag: "toKABOLA",
  summary: "Where Meta's Embedded Signup returns: records the shared number, registers it and shows its API key once (browser page)",
  description: "Meta calls it with `code` and the `state` the form's POST issued; every answer is an HTML page in French, never cached.",
  security: "none",
  query: z.object({
    code: z.string().optional().describe("Meta's authorization code (absent: the user cancelled)"),
    state: z.string().optional().describe("The signed, short-lived state the form's POST issued (it names the account)"),
  }),
  responses: {
    200: html("the number linked, its phone_number_id and its API key (shown once)"),
    400: html("no code or state, an invalid or expired state, or no usable number shared"),
    403: html("the account is no longer on an active OWNER plan"),
    404: html("the account is gone"),
    409: html("the number is already used by a deployment"),
    429: html("too many attempts for this account (Retry-After)"),
    502: html("Meta did not answer correctly"),
    503: html("Embedded Signup is not configured on this gateway"),
  },
});
