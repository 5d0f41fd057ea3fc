import { fail, ok, type Result } from "../../lib/errors";
import { downloadMedia, type MediaFile } from "../../upstreams/whatsapp/media";
import type { UpstreamKind } from "../../upstreams/whatsapp";
import type { CoreContext } from "../../config/context";

/**
 * A media file a customer sent to one of the account's numbers; another account's media (or an
 * id never received) answers not found. The operator's Meta token never leaves the gateway.
 */
export async function openMedia(ctx: CoreContext, accountId: string, mediaId: string): Promise<Result<MediaFile>> {
  const row = await ctx.db
    .prepare(
      `SELECT i.phone_number_id, i.type, i.content, d.upstream FROM inbound_messages i
       LEFT JOIN deployments d ON d.phone_number_id = i.phone_number_id AND d.state != 'DELETED'
       WHERE i.media_id = ? AND i.account_id = ? ORDER BY i.received_at DESC LIMIT 1`,
    )
    .bind(mediaId, accountId)
    .first<{ phone_number_id: string; type: string; content: string; upstream: UpstreamKind | null }>();
  if (!row) return fail("not_found", `No media ${mediaId} received by this account`);
  const mime = (JSON.parse(row.content) as Record<string, { mime_type?: string }>)[row.type]?.mime_type ?? null;
  const file = await downloadMedia(row.upstream ?? ctx.config.WHATSAPP_UPSTREAM, ctx.config, ctx.log, mediaId, row.phone_number_id, mime, ctx.outbound);
  if (!file.ok) {
    return file.fault.kind === "not_found" || file.fault.kind === "invalid_input"
      ? fail("not_found", `Meta no longer has media ${mediaId} (inbound media live 7 days)`)
      : fail("upstream_failure", file.fault.message);
  }
  return ok(file.value);
}
