import { fail, ok, type Result } from "../../lib/errors";
import { whatsappUpstream } from "../../upstreams/whatsapp";
import { kvKeys } from "../../stores/kv";
import { readUploadedMedia } from "../../stores/uploaded-media";
import type { CoreContext } from "../../config/context";
import type { CanonicalMessage } from "./canonical";
import { sendFault } from "./send-errors";
import type { Sender } from "./sender";
import { lookupUpload, UPLOAD_LIFETIME_MS } from "./uploaded-media";

/** The objects that carry a media `id`: a media message's own, a template parameter's, an interactive header's. */
const MEDIA_KEYS = new Set(["image", "video", "audio", "document", "sticker"]);

function mediaObjects(value: unknown, found: { id: string }[] = []): { id: string }[] {
  if (Array.isArray(value)) for (const v of value) mediaObjects(v, found);
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (MEDIA_KEYS.has(key) && v && typeof v === "object" && typeof (v as { id?: unknown }).id === "string") found.push(v as { id: string });
      else mediaObjects(v, found);
    }
  }
  return found;
}

/** Meta keeps an uploaded id 30 days: its id is cached a day less, then uploaded again. */
const UPSTREAM_ID_TTL_S = (UPLOAD_LIFETIME_MS / 1000) - 24 * 3600;

/**
 * The message as the upstream must get it: every media id the account uploaded to Tuma becomes the
 * upstream's id for the sending number (uploaded there on first use, then cached); the sandbox
 * takes Tuma's ids as they are. Another account's upload is not found, as Meta answers an id the
 * token cannot see; an id Tuma never issued (Meta's own) goes through unchanged.
 */
export async function withUpstreamMediaIds(ctx: CoreContext, accountId: string, sender: Sender, message: CanonicalMessage): Promise<Result<CanonicalMessage>> {
  if (!mediaObjects(message).length) return ok(message);
  const copy = structuredClone(message);
  const cache = kvKeys.uploadedMediaUpstreamIds;
  for (const media of mediaObjects(copy)) {
    const found = await lookupUpload(ctx, accountId, media.id);
    if (found.kind === "foreign") return fail("not_found", `No media ${media.id} for this access`);
    if (found.kind === "absent" || sender.upstream === "sandbox") continue;
    const known = (await ctx.kv.get<Record<string, string>>(cache(media.id), "json")) ?? {};
    let upstreamId = known[sender.phoneNumberId];
    if (!upstreamId) {
      const file = await readUploadedMedia(ctx.env.MEDIA, media.id);
      if (!file) return fail("not_found", `No media ${media.id} for this access`);
      const bytes = new Uint8Array(await new Response(file.body).arrayBuffer());
      const uploaded = await whatsappUpstream(sender.upstream, ctx.env, ctx.log, ctx.outbound).uploadMedia(sender.phoneNumberId, { bytes, type: file.media.mimeType, filename: file.media.filename });
      if (!uploaded.ok) return { ok: false, error: sendFault(uploaded.fault) };
      upstreamId = uploaded.value.id;
      await ctx.kv.put(cache(media.id), JSON.stringify({ ...known, [sender.phoneNumberId]: upstreamId }), { expirationTtl: UPSTREAM_ID_TTL_S });
    }
    media.id = upstreamId;
  }
  return ok(copy);
}
