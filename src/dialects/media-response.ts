import * as z from "zod";

/** A customer's media file as every dialect serves it: its own type and length, cached privately for 5 minutes. */
export function mediaResponse(file: { body: ReadableStream | Uint8Array; contentType: string; length: number | null }): Response {
  const headers: Record<string, string> = { "Content-Type": file.contentType, "Cache-Control": "private, max-age=300" };
  if (file.length !== null) headers["Content-Length"] = String(file.length);
  return new Response(file.body, { headers });
}

/** The OpenAPI 200 of a route answered by `mediaResponse`. */
export const MEDIA_FILE_RESPONSE = { description: "The file, with its content type", schema: z.string(), contentType: "application/octet-stream" };
