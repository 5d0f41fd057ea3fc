import { describe, expect, it } from "vitest";
import { createCampaign } from "../../src/core/campaigns/create";
import { sendMessage } from "../../src/core/messages/send";
import { HOUR } from "../../src/lib/clock";
import { campaignAccount, PROMO, PROMO_MESSAGE, recipients } from "../campaigns/helpers";
import { holdsOf, input, recipient, sandboxCtx, template, wallet } from "../messages/helpers";

/** A MARKETING template costs USD 0.05 (migrations/0005_messages.sql); each account starts with USD 100. */
const promo = (to: string) => template(to, PROMO.name, PROMO.language, [{ type: "body", parameters: [{ type: "text", text: "Amina" }] }]);
const CHARGES = { SANDBOX_CHARGES: "true" };

const campaign = (ctx: ReturnType<typeof sandboxCtx>, accountId: string, to: string[]) =>
  createCampaign(ctx, { accountId, phoneNumberId: null, message: PROMO_MESSAGE, recipients: to.map((t) => ({ to: t, parameters: ["Amina"] })), startAt: Date.now() + HOUR, forceSandbox: true });

describe("one charging decision for single sends and campaigns", () => {
  it("through the sandbox, a single send and a campaign are both free by default", async () => {
    const { accountId } = await campaignAccount();
    const single = await sendMessage(sandboxCtx(), input(accountId, promo(recipient()), { forceSandbox: true }));
    expect(single.ok && single.value.charge).toBeNull();
    const created = await campaign(sandboxCtx(), accountId, recipients(3));
    expect(created.ok && created.value.campaign.charge).toBeNull();
    expect(await holdsOf(accountId)).toEqual([]);
    expect(await wallet(accountId, "USD")).toEqual({ balance: 10_000, held: 0 });
  });

  it("with SANDBOX_CHARGES=true, both are charged at the listed price: the single send at once, the campaign held per recipient", async () => {
    const { accountId } = await campaignAccount();
    const single = await sendMessage(sandboxCtx(undefined, CHARGES), input(accountId, promo(recipient()), { forceSandbox: true }));
    expect(single.ok && single.value).toMatchObject({ charge: { currency: "USD", amount: 5 } });
    // The sandbox answers before the write: the hold is reserved and posted in the one batch that records the message.
    expect(await holdsOf(accountId)).toEqual([expect.objectContaining({ amount: 5, status: "POSTED", posted_amount: 5 })]);
    expect(await wallet(accountId, "USD")).toEqual({ balance: 9_995, held: 0 });

    const created = await campaign(sandboxCtx(undefined, CHARGES), accountId, recipients(3));
    expect(created.ok && created.value.campaign.charge).toMatchObject({ currency: "USD", amount: 5 });
    expect((await holdsOf(accountId)).filter((h) => h.status === "HELD")).toHaveLength(3);
    expect(await wallet(accountId, "USD")).toEqual({ balance: 9_995, held: 15 });
  });
});
