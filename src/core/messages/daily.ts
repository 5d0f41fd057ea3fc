import type { CoreContext } from "../../config/context";

/**
 * Messages per UTC day by status, every account (the operator's overview). A message counts once,
 * under the status it has now: a delivered message is no longer counted as sent.
 */
export interface DailyMessages {
  day: string;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

export async function messagesPerDay(ctx: CoreContext, since: number): Promise<DailyMessages[]> {
  const { results } = await ctx.db
    .prepare(
      `SELECT date(created_at / 1000, 'unixepoch') AS day,
         SUM(status IN ('accepted', 'sent')) AS sent, SUM(status = 'delivered') AS delivered, SUM(status = 'read') AS read, SUM(status = 'failed') AS failed
       FROM messages WHERE created_at >= ? GROUP BY day ORDER BY day`,
    )
    .bind(since)
    .all<DailyMessages>();
  return results;
}
