import * as z from "zod";
import type { AppError, ErrorCode, ErrorReason } from "../../lib/errors";
import { json } from "../../lib/http";

/**
 * toKABOLA errors: `{"status":"error","message":…,"code":…}` with the seed's codes (1001, 1002,
 * 1004, 404, 500) and French messages. Codes the seed does not list reuse the HTTP status as
 * their code, as the seed already does for 404 and 500.
 */
const MAPPING: Record<ErrorCode, { code: number; status: number; message: string }> = {
  malformed_body: { code: 1001, status: 400, message: "Le corps de la requête doit être un objet JSON valide." },
  invalid_request: { code: 1001, status: 400, message: "Certaines informations sont manquantes ou invalides." },
  payload_too_large: { code: 1001, status: 413, message: "La requête est trop volumineuse (1 Mo au maximum)." },
  unauthorized: { code: 1004, status: 401, message: "L'ID ou la clé d'autorisation n'existe pas." },
  token_expired: { code: 1004, status: 401, message: "Le jeton a expiré. Générez-en un nouveau avec le type token." },
  name_taken: { code: 1002, status: 409, message: "Création de compte impossible. Nom du compte existant." },
  number_in_use: { code: 409, status: 409, message: "Ce numéro est déjà utilisé par un autre déploiement." },
  verification_failed: { code: 422, status: 422, message: "Vérification échouée : code incorrect ou trop de tentatives. Demandez un nouveau code avec ask_code." },
  forbidden: { code: 403, status: 403, message: "Cette action n'est pas autorisée pour ce compte." },
  not_found: { code: 404, status: 404, message: "Ressource introuvable." },
  conflict: { code: 409, status: 409, message: "Opération impossible dans l'état actuel de la ressource." },
  window_closed: { code: 403, status: 403, message: "Hors de la fenêtre de 24 h : ce client ne vous a pas écrit depuis 24 heures, envoyez un modèle (template)." },
  insufficient_funds: { code: 402, status: 402, message: "Solde insuffisant. Rechargez votre compte avec addfund." },
  plan_inactive: { code: 403, status: 403, message: "Abonnement expiré. Renouvelez-le avec update renew." },
  rate_limited: { code: 429, status: 429, message: "Trop de requêtes. Réessayez dans quelques instants." },
  upstream_failure: { code: 502, status: 502, message: "Le service partenaire n'a pas répondu correctement. Réessayez." },
  unavailable: { code: 503, status: 503, message: "Service momentanément indisponible. Contactez le support si le problème persiste." },
  internal: { code: 500, status: 500, message: "Erreur interne. Contactez le support si le problème persiste." },
};

export const TokabolaErrorSchema = z.object({
  status: z.literal("error"),
  message: z.string(),
  code: z.number().int(),
  errors: z
    .array(z.object({ field: z.string(), reason: z.string() }))
    .optional()
    .describe("Tuma's addition: each invalid field and why"),
  request_id: z.string(),
}).meta({ id: "TokabolaError" });

/** Finer kinds carried by `details.reason` that toKABOLA says apart. */
const BY_REASON: Partial<Record<ErrorReason, { code: number; status: number; message: string }>> = {
  no_ready_number: {
    code: 1001,
    status: 400,
    message: "Aucun numéro READY pour envoyer : ajoutez un numéro (type add) et activez-le (number ask_code puis verify), ou passez \"server\": \"SANDBOX\" pour essayer depuis l'expéditeur du bac à sable.",
  },
};

const DETAILED = new Set<ErrorCode>(["malformed_body", "invalid_request", "insufficient_funds", "plan_inactive", "conflict"]);

export function renderTokabolaError(error: AppError, requestId: string): Response {
  const { code, status, message } = (error.details.reason && BY_REASON[error.details.reason]) || MAPPING[error.code];
  const issues = error.details.issues;
  const fields = issues?.length ? ` Champs : ${issues.map((i) => `${i.field} (${i.reason})`).join("; ")}.` : "";
  const headers: Record<string, string> = {};
  if (error.details.retryAfterSeconds) headers["Retry-After"] = String(error.details.retryAfterSeconds);
  // Non-field details (e.g. "body is not valid JSON", what a plan costs) are safe to show for these codes.
  const detail = !issues?.length && DETAILED.has(error.code) ? ` (${error.message})` : "";
  return json(
    {
      status: "error",
      message: message + fields + detail,
      code,
      ...(issues?.length ? { errors: issues.map(({ field, reason }) => ({ field, reason })) } : {}),
      request_id: requestId,
    },
    status,
    headers,
  );
}
