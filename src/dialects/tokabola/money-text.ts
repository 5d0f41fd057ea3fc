import type { DepositRow } from "../../core/money/deposits/start";
import type { ProviderInfo } from "../../core/money/markets";
import { formatAmount } from "../../lib/money";

/** French wording of deposit outcomes, as toKABOLA's clients read them. */
const FAILURE_REASONS: Record<string, string> = {
  PAYMENT_NOT_APPROVED: "dépôt non confirmé par le payeur",
  INSUFFICIENT_BALANCE: "solde insuffisant sur le compte mobile money",
  PAYER_NOT_FOUND: "numéro non enregistré au mobile money",
  PAYER_LIMIT_REACHED: "limite de transactions du compte mobile money atteinte",
  WALLET_LIMIT_REACHED: "plafond du compte mobile money atteint",
  PAYMENT_IN_PROGRESS: "un autre paiement est déjà en cours sur ce numéro",
  UNSPECIFIED_FAILURE: "échec non précisé par l'opérateur",
  OTHER_ERROR: "échec non précisé par l'opérateur",
  UNKNOWN_ERROR: "échec non précisé par l'opérateur",
  INVALID_PHONE_NUMBER: "numéro de téléphone invalide pour cet opérateur",
  INVALID_AMOUNT: "montant invalide",
  AMOUNT_OUT_OF_BOUNDS: "montant hors des limites de l'opérateur",
  INVALID_CURRENCY: "devise non acceptée par l'opérateur",
  PROVIDER_TEMPORARILY_UNAVAILABLE: "opérateur momentanément indisponible",
  DEPOSITS_NOT_ALLOWED: "dépôts non autorisés pour cet opérateur",
};

export function failureReasonFr(code: string | null): string {
  return (code && FAILURE_REASONS[code]) ?? `échec signalé par l'opérateur (${code ?? "inconnu"})`;
}

const amountText = (d: Pick<DepositRow, "amount" | "currency">) => `${formatAmount(d.amount, d.currency)} ${d.currency}`;

/** What the payer has to do once the deposit is initiated. */
export function payerInstructions(deposit: DepositRow, provider: ProviderInfo): string {
  return (
    `Une demande de paiement de ${amountText(deposit)} a été envoyée au ${deposit.payer} (${provider.label}). ` +
    `Validez-la sur ce téléphone avec votre code PIN ${provider.label}, puis confirmez la recharge avec ` +
    `{"type": "verify", "verify": {"deposit_id": "${deposit.id}"}}.`
  );
}

/** The `message` of a `verify` answer for each status. */
export function verifyMessage(deposit: DepositRow): string {
  switch (deposit.status) {
    case "COMPLETED":
      return `Recharge confirmée : ${amountText(deposit)} crédités sur votre compte.`;
    case "FAILED":
      return `Recharge échouée : ${failureReasonFr(deposit.failure_code)}.`;
    case "EXPIRED":
      return "Recharge toujours en attente après 24 h : elle n'est plus suivie automatiquement, mais verify interroge encore l'opérateur.";
    case "PENDING":
      return "Recharge en attente : validez le paiement sur votre téléphone, puis appelez verify de nouveau.";
  }
}
