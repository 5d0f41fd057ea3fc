import type { DepositSnapshot, InitiateOutcome, MobileMoneyUpstream, StatusOutcome } from "./types";

/**
 * Behaves like pawaPay's sandbox, from the deposit's stored data alone (the payer number's last
 * three digits and the number of checks so far), so a recycled isolate answers the same:
 *
 * | payer ends with | status checks answer |
 * |---|---|
 * | 789 (and any ending not below) | PROCESSING on the first check, then COMPLETED |
 * | 019 | FAILED, PAYER_LIMIT_REACHED |
 * | 029 | FAILED, PAYER_NOT_FOUND |
 * | 039 | FAILED, PAYMENT_NOT_APPROVED |
 * | 049 | FAILED, INSUFFICIENT_BALANCE |
 * | 069 | FAILED, UNSPECIFIED_FAILURE |
 * | 129 | ACCEPTED forever: never completes, never calls back |
 */
const SANDBOX_FAILURES: Record<string, { code: string; message: string }> = {
  "019": { code: "PAYER_LIMIT_REACHED", message: "The payer has reached a transaction limit of their wallet." },
  "029": { code: "PAYER_NOT_FOUND", message: "The phone number does not belong to a mobile-money wallet of this provider." },
  "039": { code: "PAYMENT_NOT_APPROVED", message: "The payer did not approve the payment." },
  "049": { code: "INSUFFICIENT_BALANCE", message: "The payer does not have enough funds." },
  "069": { code: "UNSPECIFIED_FAILURE", message: "The provider failed the payment without saying why." },
};

const SANDBOX_STUCK_SUFFIX = "129";

export const sandboxMobileMoney: MobileMoneyUpstream = {
  name: "sandbox",

  async initiateDeposit(): Promise<InitiateOutcome> {
    return { kind: "accepted" };
  },

  async checkDeposit(deposit: DepositSnapshot): Promise<StatusOutcome> {
    const suffix = deposit.payer.slice(-3);
    const failure = SANDBOX_FAILURES[suffix];
    if (failure) return { kind: "failed", ...failure };
    if (suffix === SANDBOX_STUCK_SUFFIX) return { kind: "pending", status: "ACCEPTED" };
    if (deposit.checks <= 1) return { kind: "pending", status: "PROCESSING" };
    return { kind: "completed", amount: deposit.amount, currency: deposit.currency, providerTransactionId: `SANDBOX-${deposit.id.slice(0, 8)}` };
  },
};
