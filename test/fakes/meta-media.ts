import { GRAPH_TOKEN } from "./graph.ts";

/**
 * Meta's inbound media (reference §5): `GET graph.facebook.com/<version>/<media id>` answers a
 * download URL on lookaside.fbsbx.com, which serves the bytes to the same bearer token. A media
 * id ending in 404 is expired (Graph answers code 100, like Meta for an unknown id).
 */
export function graphMedia(request: Request): Response | null {
  const url = new URL(request.url);
  const parts = url.pathname.split("/").filter(Boolean);
  if (request.method !== "GET" || parts.length !== 2 || !/^\d{10,}$/.test(parts[1]!) || !url.searchParams.has("phone_number_id")) return null;
  if (request.headers.get("Authorization") !== `Bearer ${GRAPH_TOKEN}`) return Response.json({ error: { message: "Invalid OAuth access token", code: 190 } }, { status: 401 });
  const id = parts[1]!;
  if (id.endsWith("404")) return Response.json({ error: { message: "Unsupported get request", code: 100, type: "GraphMethodException" } }, { status: 400 });
  return Response.json({ messaging_product: "whatsapp", url: `https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=${id}`, mime_type: "image/jpeg", sha256: "abc", file_size: "13", id });
}

export function lookaside(request: Request): Response {
  if (request.headers.get("Authorization") !== `Bearer ${GRAPH_TOKEN}`) return new Response("", { status: 401 });
  const mid = new URL(request.url).searchParams.get("mid");
  return new Response(`JPEG bytes of ${mid}`, { headers: { "Content-Type": "image/jpeg" } });
}
