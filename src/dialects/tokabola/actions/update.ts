import * as z from "zod";
import { AppError } from "../../../lib/errors";
import { parseInput } from "../../../lib/validation";
import { defineAction, type UpdateTarget } from "../action";
import { updateInfos } from "./account";
import { updateNumber } from "./numbers";
import { renew } from "./renew";

/** Every value `update.account` accepts. */
export const UPDATE_TARGETS: UpdateTarget[] = [updateInfos, renew, updateNumber];

export const update = defineAction({
  type: "update",
  summary: `Update the account: update.account = ${UPDATE_TARGETS.map((t) => `"${t.name}"`).join(" | ")}`,
  auth: true,
  body: () => z.object({ type: z.literal("update"), update: z.object({ account: z.string() }) }).loose(),
  data: z.record(z.string(), z.unknown()),
  async run(rc, body, accountId) {
    const target = UPDATE_TARGETS.find((t) => t.name === body.update.account);
    if (!target) {
      throw new AppError("invalid_request", "Unknown update.account", {
        issues: [{ field: "update.account", kind: "invalid_value", reason: `must be one of: ${UPDATE_TARGETS.map((t) => t.name).join(", ")}` }],
      });
    }
    return target.run(rc, parseInput(target.body({ production: rc.core.config.production }), body), accountId!);
  },
});
