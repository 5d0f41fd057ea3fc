import { sweepCampaigns } from "../core/campaigns/control";
import { announceMissedCompletions } from "../core/campaigns/completion";
import type { CoreContext } from "../config/context";
import { pollDueDeposits } from "../core/money/deposits/poll";
import { voidStaleHolds } from "../stores/money/holds";
import { requeueStuckEvents } from "../core/inbound/intake";
import { failStaleMessages } from "../core/messages/stale";
import { requeueOverdueDeliveries } from "../core/client-webhooks/deliveries";
import { renewDuePlans } from "../core/plans/subscription";
import { purgeExpiredTokens } from "../core/credentials/tokens";
import { describeError } from "../lib/log";
import { releaseUnverifiedNumbers } from "../core/numbers/release";
import { archiveDueLogs } from "../core/archives/archiver";
import { scrubOldBodies } from "../core/archives/scrub";

/**
 * The every-minute jobs. Each is bounded so one run stays well inside a Worker's limits, and one
 * failing job never stops the others.
 */
const CRON_JOBS: Record<string, (ctx: CoreContext) => Promise<number>> = {
  purge_expired_tokens: (ctx) => purgeExpiredTokens(ctx),
  // In this order: credit completed deposits and release stale holds before renewals spend the balance.
  poll_deposits: (ctx) => pollDueDeposits(ctx),
  // An interrupted send's message fails and its hold is voided together, before the generic sweep.
  fail_stale_messages: (ctx) => failStaleMessages(ctx),
  // Before void_stale_holds: a campaign send given up voids its own hold.
  sweep_campaigns: (ctx) => sweepCampaigns(ctx),
  void_stale_holds: (ctx) => voidStaleHolds(ctx.db, ctx.clock.now()),
  // A campaign's end whose campaign.completed was not announced (its consumer died in between).
  announce_campaign_ends: (ctx) => announceMissedCompletions(ctx),
  renew_plans: (ctx) => renewDuePlans(ctx),
  release_unverified_numbers: (ctx) => releaseUnverifiedNumbers(ctx),
  // Safety nets for lost queue messages: no webhook event or delivery is ever left behind.
  requeue_meta_events: (ctx) => requeueStuckEvents(ctx),
  requeue_deliveries: (ctx) => requeueOverdueDeliveries(ctx),
  // Scrub before archiving: with bodies kept for less than the records, a row goes to R2 scrubbed.
  scrub_message_bodies: (ctx) => scrubOldBodies(ctx),
  archive_logs: (ctx) => archiveDueLogs(ctx),
};

export async function runCron(ctx: CoreContext): Promise<Record<string, number | "failed">> {
  const outcome: Record<string, number | "failed"> = {};
  for (const [name, job] of Object.entries(CRON_JOBS)) {
    try {
      outcome[name] = await job(ctx);
    } catch (e) {
      outcome[name] = "failed";
      ctx.log.log("error", "cron_job_failed", { job: name, ...describeError(e) });
    }
  }
  ctx.log.log("info", "cron_run", outcome);
  return outcome;
}
