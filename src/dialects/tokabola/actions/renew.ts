import * as z from "zod";
import { PLAN_CODES } from "../../../core/plans/plans";
import { renewPlan, subscriptionOf } from "../../../core/plans/subscription";
import { utcDateAndTime } from "../../../lib/clock";
import { unwrap } from "../../../lib/errors";
import { CURRENCIES, formatAmount, type Currency } from "../../../lib/money";
import { prefixIssues } from "../../../lib/validation";
import { defineUpdateTarget } from "../action";

const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")], "must be true or false");

/** `update` with `update.account = "renew"`: pay for a plan period from the balance. */
export const renew = defineUpdateTarget({
  name: "renew",
  summary:
    "Subscribe or renew: debits the plan's price (STANDARD, GOLD, OWNER) from the balance and extends the expiry; auto_pay renews at expiry",
  body: () =>
    z.object({
      renew: z.strictObject({
        type: z.string().trim().toUpperCase().pipe(z.enum(PLAN_CODES, `must be one of ${PLAN_CODES.join(", ")}`)),
        auto_pay: flag.optional().describe("Renew automatically at expiry while the balance allows; unchanged when absent"),
        currency: z
          .string()
          .trim()
          .toUpperCase()
          .pipe(z.enum(CURRENCIES as [Currency, ...Currency[]]))
          .optional()
          .describe("Tuma's addition: the wallet to pay from; by default the first that can pay"),
      }),
    }),
  async run(rc, { renew: r }, accountId) {
    const { account, charged } = unwrap(
      prefixIssues(await renewPlan(rc.core, accountId, { plan: r.type, autoPay: r.auto_pay, currency: r.currency }), "renew"),
    );
    const subscription = subscriptionOf(account, rc.core.clock.now());
    const expiry = utcDateAndTime(subscription.expiresAt);
    rc.log.log("info", "plan_renewed", { account_id: accountId, plan: subscription.plan });
    return {
      message: `Abonnement ${subscription.plan} actif jusqu'au ${expiry.date} à ${expiry.time} (UTC).`,
      data: {
        type_abonnement: subscription.plan,
        date_expiration: expiry.date,
        time_expiration: expiry.time,
        autorisation: subscription.active,
        auto_pay: subscription.autoPay,
        amount: formatAmount(charged.amount, charged.currency),
        currency: charged.currency,
      },
    };
  },
});
