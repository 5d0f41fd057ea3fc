import type { CoreContext } from "../../config/context";

/**
 * A number nobody verifies is released, so no one can hold a stranger's number (`number-in-use`
 * for its real owner) forever: the cron discards deployments still short of verification
 * UNVERIFIED_NUMBER_RELEASE_DAYS after they were created. The deployment goes to DELETED (its
 * clients see it gone) and its D1 row stops holding (cc, number). A number that was never
 * verified was never registered, so there is nothing to undo upstream.
 */

/** The states of a number whose code was never verified (ERROR: provisioning stopped before READY). */
const UNVERIFIED_STATES = ["INITIALIZING", "CREATING_CLUSTER", "CLUSTER_CREATED", "CODE_SENT", "WRONG_CODE", "ERROR"];
const DAY_MS = 24 * 3600 * 1000;

/** Releases up to `limit` overdue unverified numbers; answers how many. */
export async function releaseUnverifiedNumbers(ctx: CoreContext, limit = 50): Promise<number> {
  const days = ctx.config.UNVERIFIED_NUMBER_RELEASE_DAYS;
  const { results } = await ctx.db
    .prepare(
      `SELECT id, account_id FROM deployments WHERE state IN (${UNVERIFIED_STATES.map((s) => `'${s}'`).join(", ")})
       AND created_at < ? ORDER BY created_at LIMIT ?`,
    )
    .bind(ctx.clock.now() - days * DAY_MS, limit)
    .all<{ id: string; account_id: string }>();
  for (const row of results) {
    const stub = ctx.env.DEPLOYMENTS.get(ctx.env.DEPLOYMENTS.idFromName(row.id));
    await stub.discard(`Released: not verified within ${days} day${days === 1 ? "" : "s"}`);
    ctx.log.log("info", "unverified_number_released", { account_id: row.account_id, deployment_id: row.id });
  }
  return results.length;
}
