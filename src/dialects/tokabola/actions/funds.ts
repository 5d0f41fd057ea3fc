import * as z from "zod";
import { getAccount } from "../../../core/accounts/accounts";
import { startDeposit } from "../../../core/money/deposits/start";
import { verifyDeposit } from "../../../core/money/deposits/refresh";
import { available, listWallets } from "../../../core/money/wallets";
import { subscriptionOf } from "../../../core/plans/subscription";
import { utcDateAndTime } from "../../../lib/clock";
import { unwrap } from "../../../lib/errors";
import { formatAmount } from "../../../lib/money";
import { prefixIssues } from "../../../lib/validation";
import { defineAction } from "../action";
import { failureReasonFr, payerInstructions, verifyMessage } from "../money-text";

export const addfund = defineAction({
  type: "addfund",
  summary: "Top up the balance by mobile money: the payer confirms with their PIN, then call verify",
  auth: true,
  body: () =>
    z.object({
      type: z.literal("addfund"),
      addfund: z.strictObject({
        from: z.union([z.string().trim().min(1, "is required").max(32), z.number().int().positive().transform(String)]),
        amount: z.union([z.string().trim().min(1, "is required").max(32), z.number()], "must be a string or a number"),
        currency: z.string().trim().min(3).max(3, "must be an ISO 4217 code such as CDF"),
        provider: z.string().trim().max(40).optional().describe("Tuma's addition: the provider code when the prefix would mislead"),
      }),
    }),
  data: z.object({
    deposit_id: z.string().describe("UUID v4; pass it to verify"),
    status: z.enum(["PENDING"]),
    amount: z.string(),
    currency: z.string(),
    from: z.string(),
    provider: z.string().describe("pawaPay provider code, e.g. VODACOM_MPESA_COD"),
    instructions: z.string().describe("What the payer has to do, in French"),
  }),
  async run(rc, { addfund: a }, accountId) {
    const { deposit, provider } = unwrap(prefixIssues(await startDeposit(rc.core, accountId!, a), "addfund"));
    return {
      message: "Recharge initiée. Validez le paiement sur votre téléphone, puis confirmez avec verify.",
      data: {
        deposit_id: deposit.id,
        status: "PENDING",
        amount: formatAmount(deposit.amount, deposit.currency),
        currency: deposit.currency,
        from: deposit.payer,
        provider: provider.code,
        instructions: payerInstructions(deposit, provider),
      },
    };
  },
});

export const verify = defineAction({
  type: "verify",
  summary: "Check a top-up with the provider; credits the balance once when it is completed",
  auth: true,
  body: () => z.object({ type: z.literal("verify"), verify: z.strictObject({ deposit_id: z.uuid("must be the deposit_id addfund returned") }) }),
  data: z.object({
    deposit_id: z.string(),
    status: z.enum(["PENDING", "COMPLETED", "FAILED", "EXPIRED"]),
    amount: z.string(),
    currency: z.string(),
    raison: z.string().optional().describe("Why it failed, in French (FAILED only)"),
    solde: z.string().optional().describe("The wallet's balance in this currency (COMPLETED only)"),
  }),
  async run(rc, body, accountId) {
    const { deposit } = unwrap(await verifyDeposit(rc.core, accountId!, body.verify.deposit_id));
    const data: Record<string, unknown> = {
      deposit_id: deposit.id,
      status: deposit.status,
      amount: formatAmount(deposit.amount, deposit.currency),
      currency: deposit.currency,
    };
    if (deposit.status === "FAILED") data.raison = failureReasonFr(deposit.failure_code);
    if (deposit.status === "COMPLETED") {
      const wallet = (await listWallets(rc.core, accountId!)).find((w) => w.currency === deposit.currency);
      data.solde = formatAmount(wallet?.balance ?? 0, deposit.currency);
    }
    return { message: verifyMessage(deposit), data };
  },
});

export const solde = defineAction({
  type: "solde",
  summary: "Balances per currency, with the plan and its expiry",
  auth: true,
  body: () => z.object({ type: z.literal("solde") }),
  data: z.object({
    soldes: z.array(
      z.object({
        currency: z.string(),
        solde: z.string().describe("Balance"),
        disponible: z.string().describe("What can be spent now: balance minus reserved"),
        reserve: z.string().describe("Reserved by paid actions in progress"),
      }),
    ),
    type_abonnement: z.string(),
    date_expiration: z.string(),
    time_expiration: z.string(),
    autorisation: z.boolean(),
    auto_pay: z.boolean(),
  }),
  async run(rc, _body, accountId) {
    const [account, wallets] = await Promise.all([getAccount(rc.core, accountId!), listWallets(rc.core, accountId!)]);
    const subscription = subscriptionOf(unwrap(account), rc.core.clock.now());
    const expiry = utcDateAndTime(subscription.expiresAt);
    const soldes = wallets.map((w) => ({
      currency: w.currency,
      solde: formatAmount(w.balance, w.currency),
      disponible: formatAmount(available(w), w.currency),
      reserve: formatAmount(w.held, w.currency),
    }));
    const summary = soldes.length ? soldes.map((s) => `${s.solde} ${s.currency}`).join(", ") : "aucun solde (rechargez avec addfund)";
    return {
      message: `Solde : ${summary}.`,
      data: {
        soldes,
        type_abonnement: subscription.plan,
        date_expiration: expiry.date,
        time_expiration: expiry.time,
        autorisation: subscription.active,
        auto_pay: subscription.autoPay,
      },
    };
  },
});

