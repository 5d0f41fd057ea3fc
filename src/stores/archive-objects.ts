/**
 * Every R2 key of the ARCHIVES bucket is built here: `<account id>/<YYYY-MM-DD>/part-00001.ndjson`,
 * one object per archive part of an account's UTC day, in part order. The account comes first, so
 * an account's archives are one prefix (an operator's `wrangler r2 object` or a lifecycle rule).
 */
export const archiveObjectKey = (accountId: string, day: string, part: number) => `${accountId}/${day}/part-${String(part).padStart(5, "0")}.ndjson`;

/** `2026-11-21`: the UTC day of a time in ms. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
