import { fail, ok, type Result } from "../../lib/errors";
import { downloadMedia, type MediaFile } from "../../upstreams/whatsapp/media";
import type { UpstreamKind } from "../../upstreams/whatsapp";
import type { CoreContext } from "../../config/context";
import { messageLog } from "../messages/store";

/**
 * A media file a customer sent to one of the account's numbers; another account's media (or an
 * id never received) answers not found. The operator's Meta token never leaves the gateway.
 */
export async function openMedia(ctx: CoreContext, accountId: string, mediaId: string): Promise<Result<MediaFile>> {
  const row = await messageLog(ctx).inboundWithMedia(accountId, mediaId);
  if (!row) return fail("not_found", `No media ${mediaId} received by this account`);
  const mime = (JSON.parse(row.content) as Record<string, { mime_type?: string }>)[row.type]?.mime_type ?? null;
  const number = await ctx.db
    .prepare("SELECT upstream FROM deployments WHERE phone_number_id = ? AND state != 'DELETED'")
    .bind(row.phone_number_id)
    .first<{ upstream: UpstreamKind | null }>();
  const file = await downloadMedia(number?.upstream ?? ctx.config.WHATSAPP_UPSTREAM, ctx.config, ctx.log, mediaId, row.phone_number_id, mime, ctx.outbound);
  if (!file.ok) {
    return file.fault.kind === "not_found" || file.fault.kind === "invalid_input"
      ? fail("not_found", `Meta no longer has media ${mediaId} (inbound media live 7 days)`)
      : fail("upstream_failure", file.fault.message);
  }
  return ok(file.value);
}
