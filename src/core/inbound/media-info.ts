import { fail, ok, type Result } from "../../lib/errors";
import type { CoreContext } from "../../config/context";
import { messageLog } from "../messages/store";

export interface MediaInfo {
  id: string;
  mimeType: string;
  sha256: string | null;
  fileSize: number | null;
}

/**
 * What Meta told of a media file a customer sent to one of the account's numbers (its type and
 * hash, from the stored message), without downloading it; another account's media (or an id never
 * received) answers not found. `openMedia` (media.ts) downloads it.
 */
export async function describeInboundMedia(ctx: CoreContext, accountId: string, mediaId: string): Promise<Result<MediaInfo>> {
  const row = await messageLog(ctx).inboundWithMedia(accountId, mediaId);
  if (!row) return fail("not_found", `No media ${mediaId} received by this account`);
  const media = (JSON.parse(row.content) as Record<string, { mime_type?: string; sha256?: string; file_size?: number }>)[row.type] ?? {};
  return ok({ id: mediaId, mimeType: media.mime_type ?? "application/octet-stream", sha256: media.sha256 ?? null, fileSize: typeof media.file_size === "number" ? media.file_size : null });
}
