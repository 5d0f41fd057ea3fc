import type { IRequest } from "itty-router";
import { completeEmbeddedSignup, startEmbeddedSignup } from "../../core/numbers/embedded-signup";
import { isAppError, type AppError, type ErrorCode } from "../../lib/errors";
import { documentRoute } from "../../lib/openapi";
import type { RequestContext } from "../dialect";

/**
 * `GET /tokabola/goto/addnumber/?id_user=…`: a browser page, not an API. It sends an OWNER-plan
 * account to Meta's Embedded Signup; Meta comes back to `…/callback`. Answers are HTML in French.
 */
const CALLBACK = "/tokabola/goto/addnumber/callback";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, title: string, body: string): Response {
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

const REFUSALS: Partial<Record<ErrorCode, [number, string]>> = {
  forbidden: [403, "Cette fonction est réservée à l'abonnement OWNER. Passez à OWNER avec update renew, puis réessayez."],
  not_found: [404, "Compte introuvable. Vérifiez id_user."],
  unauthorized: [400, "Lien invalide. Recommencez depuis le début."],
  token_expired: [400, "Le lien a expiré. Recommencez depuis le début."],
  number_in_use: [409, "Ce numéro est déjà associé à un déploiement."],
  invalid_request: [400, "Meta n'a partagé aucun numéro utilisable."],
  unavailable: [503, "L'association de numéros existants n'est pas configurée sur cette passerelle."],
};

function refusal(e: unknown): Response {
  if (!isAppError(e)) throw e;
  const [status, text] = REFUSALS[(e as AppError).code] ?? [502, "Meta n'a pas répondu correctement. Réessayez."];
  return page(status, "Association impossible", `<p>${escape(text)}</p>`);
}

export async function gotoAddNumber(request: IRequest, rc: RequestContext): Promise<Response> {
  const url = new URL(request.url);
  const idUser = url.searchParams.get("id_user")?.trim() ?? "";
  if (!/^\d{1,20}$/.test(idUser)) return page(400, "Association impossible", "<p>Paramètre id_user manquant ou invalide.</p>");
  const started = await startEmbeddedSignup(rc.core, idUser, `${url.origin}${CALLBACK}`);
  return started.ok ? Response.redirect(started.value, 302) : refusal(started.error);
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

documentRoute({
  method: "get",
  path: "/tokabola/goto/addnumber/",
  tag: "toKABOLA",
  summary: "Link an existing WhatsApp Business number through Meta's Embedded Signup (OWNER plan; browser page)",
  description: "`?id_user=…`. Redirects to Meta; Meta returns to `/tokabola/goto/addnumber/callback`, which records the shared number and registers it.",
  security: "none",
  responses: {
    302: { description: "Redirect to Meta's Embedded Signup" },
    403: { description: "HTML refusal: the account is not on an active OWNER plan", contentType: "text/html" },
    404: { description: "HTML: unknown id_user", contentType: "text/html" },
  },
});
