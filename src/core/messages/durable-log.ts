import type { CoreContext } from "../../config/context";
import type { LogMethod, MessageLogStore } from "../../durable/message-log";
import type { LogEntry, MessageLog } from "../../stores/message-log/model";

/**
 * The message log in each number's Durable Object (src/durable/message-log.ts). A write or a
 * wamid lookup goes to its number's object; an account-wide read asks each of the account's
 * numbers (`numbers(accountId)`) and merges their answers; the stale sweep asks every number
 * (`numbers()`), one object after another until `limit`.
 */
export function durableMessageLog(ctx: CoreContext, numbers: (accountId?: string) => Promise<string[]>): MessageLog {
  const call = <M extends LogMethod>(phoneNumberId: string, method: M, ...args: Parameters<MessageLogStore[M]>): Promise<ReturnType<MessageLogStore[M]>> => {
    const stub = ctx.env.DEPLOYMENTS.get(ctx.env.DEPLOYMENTS.idFromName(`number:${phoneNumberId}`));
    return stub.messageLog(method, args) as Promise<ReturnType<MessageLogStore[M]>>;
  };
  const each = async <T>(accountId: string, read: (phoneNumberId: string) => Promise<T>, only?: string): Promise<T[]> =>
    Promise.all((only ? [only] : await numbers(accountId)).map(read));
  const grouped = <T>(items: T[], numberOf: (item: T) => string) => {
    const groups = new Map<string, T[]>();
    for (const item of items) {
      const key = numberOf(item);
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
    return [...groups];
  };
  const recordSends: MessageLog["recordSends"] = async (sends) => {
    await Promise.all(grouped(sends, (s) => s.message.phone_number_id).map(([n, group]) => call(n, "recordSends", group)));
  };
  const newestFirst = (a: LogEntry, b: LogEntry) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

  return {
    recordSends,
    async recordSendsThen(sends, writes) {
      await recordSends(sends);
      return writes([]);
    },
    settleSend: (n, id, outcome, at) => call(n, "settleSend", id, outcome, at),
    applyStatus: (change) => call(change.phoneNumberId, "applyStatus", change),
    byWamid: (n, wamid) => call(n, "byWamid", wamid),
    byWamids: (n, wamids) => (wamids.length ? call(n, "byWamids", wamids) : Promise.resolve([])),
    async byId(accountId, id) {
      return (await each(accountId, (n) => call(n, "byId", accountId, id))).find((m) => m !== null) ?? null;
    },
    async sends(accountId, limit) {
      const all = (await each(accountId, (n) => call(n, "sends", accountId, limit))).flat();
      return all.sort((a, b) => a.created_at - b.created_at).slice(0, limit);
    },
    async failStale(before, error, at, limit) {
      const failed = [];
      for (const n of await numbers()) {
        if (failed.length >= limit) break;
        failed.push(...(await call(n, "failStale", before, error, at, limit - failed.length)));
      }
      return failed;
    },
    campaignCounts: (n, campaignId) => call(n, "campaignCounts", campaignId),
    hasSentTo: (accountId, n, waId) => call(n, "hasSentTo", accountId, waId),
    recordInbound: (m) => call(m.phone_number_id, "recordInbound", m),
    wroteSince: (n, waIds, since) => (waIds.length ? call(n, "wroteSince", waIds, since) : Promise.resolve([])),
    async lastInbound(accountId, waId, only) {
      const all = (await each(accountId, (n) => call(n, "lastInbound", accountId, waId), only)).flat();
      return all.sort((a, b) => (a.phone_number_id < b.phone_number_id ? -1 : 1));
    },
    async inboundWithMedia(accountId, mediaId) {
      const found = (await each(accountId, (n) => call(n, "inboundWithMedia", accountId, mediaId))).filter((m) => m !== null);
      return found.sort((a, b) => b.received_at - a.received_at)[0] ?? null;
    },
    // Each number answers its own newest page; the merged page is the newest `limit` of them all.
    async list(accountId, filter) {
      const pages = await each(accountId, (n) => call(n, "list", accountId, filter), filter.phoneNumberId);
      return pages.flat().sort(newestFirst).slice(0, filter.limit);
    },
    async detail(accountId, id) {
      return (await each(accountId, (n) => call(n, "detail", accountId, id))).find((d) => d !== null) ?? null;
    },
  };
}
