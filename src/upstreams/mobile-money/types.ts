import type { Currency } from "../../lib/money";

/** What a provider needs to know of a deposit; the stored row, never in-memory state. */
export interface DepositSnapshot {
  id: string;
  /** Minor units. */
  amount: number;
  currency: Currency;
  /** MSISDN, digits only. */
  payer: string;
  provider: string;
  /** Status checks made so far, this one included when checking. */
  checks: number;
}

/** The provider's answer to a new deposit. `unknown`: we cannot tell whether it took it. */
export type InitiateOutcome =
  | { kind: "accepted" }
  | { kind: "rejected"; code: string; message: string }
  | { kind: "unknown"; reason: string };

/**
 * The provider's status of a deposit. Only `completed` moves money; `unknown` (timeout, 5xx,
 * malformed answer) changes nothing and leaves the deposit for the next poll.
 */
export type StatusOutcome =
  | { kind: "completed"; amount: number; currency: string; providerTransactionId: string | null }
  | { kind: "failed"; code: string; message: string }
  | { kind: "pending"; status: string }
  | { kind: "not_found" }
  | { kind: "unknown"; reason: string };

export interface MobileMoneyUpstream {
  readonly name: MobileMoneyName;
  initiateDeposit(deposit: DepositSnapshot): Promise<InitiateOutcome>;
  checkDeposit(deposit: DepositSnapshot): Promise<StatusOutcome>;
}

export type MobileMoneyName = "pawapay" | "sandbox";
