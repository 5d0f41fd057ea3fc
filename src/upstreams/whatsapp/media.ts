import type { Config } from "../../config/env";
import type { Fetch } from "../../lib/connection-cap";
import type { Logger } from "../../lib/log";
import { graphRequest } from "./graph-http";
import type { UpstreamKind } from "./index";
import { fault, done, type FaultKind, type UpstreamResult } from "./types";

/**
 * Inbound media (reference §5): Graph `GET /{media-id}?phone_number_id=` gives a short-lived URL,
 * which is downloaded with the same token and streamed on. The sandbox answers a small generated
 * file of the media's type.
 */
export interface MediaFile {
  body: ReadableStream | Uint8Array;
  contentType: string;
  length: number | null;
}

export async function downloadMedia(kind: UpstreamKind, config: Config, log: Logger, mediaId: string, phoneNumberId: string, mimeType: string | null, outbound: Fetch): Promise<UpstreamResult<MediaFile>> {
  if (kind === "sandbox") {
    const body = new TextEncoder().encode(`Tuma sandbox media ${mediaId}\n`);
    return done({ body, contentType: mimeType ?? "application/octet-stream", length: body.byteLength });
  }
  if (!config.META_ACCESS_TOKEN) return fault({ kind: "permanent", message: "The Meta upstream is not configured (META_ACCESS_TOKEN)" });
  const auth = { Authorization: `Bearer ${config.META_ACCESS_TOKEN}` };
  const endpoint = { graphUrl: config.META_GRAPH_URL, version: config.META_API_VERSION, timeoutMs: config.META_TIMEOUT_MS, fetch: outbound };
  const meta = await graphRequest<{ url?: string; mime_type?: string }>(endpoint, log, "GET", mediaId, { query: { phone_number_id: phoneNumberId }, headers: auth });
  if (!meta.ok) return meta;
  if (!meta.value.url) return fault({ kind: "permanent", message: "Meta gave no download URL" });
  let file: Response;
  try {
    file = await outbound(meta.value.url, { headers: auth, signal: AbortSignal.timeout(config.META_TIMEOUT_MS) });
  } catch {
    return fault({ kind: "transient", message: "Meta's media download did not answer" });
  }
  if (!file.ok || !file.body) return fault({ kind: downloadFaultKind(file.status), message: `Meta's media download answered ${file.status}`, code: file.status });
  const length = Number(file.headers.get("Content-Length") ?? "NaN");
  return done({ body: file.body, contentType: file.headers.get("Content-Type") ?? meta.value.mime_type ?? "application/octet-stream", length: Number.isFinite(length) ? length : null });
}

/** The file's download answered `status`: gone (the media expired), a passing trouble, or a refusal. */
function downloadFaultKind(status: number): FaultKind {
  if (status === 404) return "not_found";
  return status >= 500 ? "transient" : "permanent";
}
