import { DAY } from "../lib/clock";

export const TRIAL_PLAN = "TRIAL";
export const TRIAL_PERIOD_MS = 3 * DAY;

export interface SubscriptionView {
  plan: string;
  expiresAt: number;
  autoPay: boolean;
  /** The account may use paid actions: its plan or trial has not expired. */
  active: boolean;
}

export function subscriptionOf(
  account: { plan: string; plan_expires_at: number; auto_pay: number },
  now: number,
): SubscriptionView {
  return {
    plan: account.plan,
    expiresAt: account.plan_expires_at,
    autoPay: account.auto_pay === 1,
    active: account.plan_expires_at > now,
  };
}
