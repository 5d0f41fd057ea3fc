import { describe, expect, it } from "vitest";
import { findCampaign } from "../../src/core/campaigns/model";
import { sendGroup } from "../../src/core/campaigns/send-group";
import { sendWave, type Wave } from "../../src/core/campaigns/wave";
import { coreContext } from "../helpers";
import { META } from "../messages/helpers";
import { campaignAccount, parkedCampaign, recipientRows, recipients } from "./helpers";

describe("a group whose waves partly fail", () => {
  it("records the sends of the waves that answered, leaves the failed wave's recipients sending, and fails the chunk", async () => {
    const { accountId } = await campaignAccount();
    const { id, clock } = await parkedCampaign(accountId, recipients(12));
    const ctx = coreContext(clock, META);
    const c = (await findCampaign(ctx, accountId, id))!;
    const group = (await recipientRows(id)).map((r) => ({ r: { ...r, state: "queued" as const, campaign_id: id, to_input: r.wa_id, parameters: JSON.stringify(["Amina"]) }, at: 0 }));
    let waves = 0;
    const dispatch = async (wave: Wave) => {
      if (waves++ === 1) throw new Error("the wave's invocation died");
      return sendWave(ctx, wave);
    };

    await expect(sendGroup(ctx, c, group, dispatch)).rejects.toThrow("the wave's invocation died");

    const states = (await recipientRows(id)).map((r) => r.state);
    expect(states).toEqual([...Array(6).fill("sent"), ...Array(6).fill("sending")]);
  });
});
