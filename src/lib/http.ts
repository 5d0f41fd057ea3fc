import { AppError } from "./errors";

const MAX_BODY_BYTES = 1024 * 1024;
export const REQUEST_ID_HEADER = "X-Request-Id";

const CLIENT_REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** Keeps a well-formed id the client sent (so its logs and ours line up); otherwise makes one. */
export function requestIdFor(request: Request): string {
  const given = request.headers.get(REQUEST_ID_HEADER);
  if (given && CLIENT_REQUEST_ID.test(given)) return given;
  return `req_${crypto.randomUUID().replace(/-/g, "")}`;
}

/**
 * Reads a JSON body of at most `limit` bytes. Rejects a declared non-JSON content type, an
 * empty body and malformed JSON (`malformed_body`), and an oversized body, declared or streamed
 * (`payload_too_large`); each dialect says these in its own bad-request format.
 */
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = request.headers.get("Content-Type");
  if (type && !isJsonType(type)) {
    throw new AppError("malformed_body", `Content-Type must be application/json, not ${type.split(";")[0]}`);
  }
  const text = await readLimitedText(request, limit);
  if (text.trim() === "") throw new AppError("malformed_body", "The request body is empty; a JSON object is expected");
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("malformed_body", "The request body is not valid JSON");
  }
}

function isJsonType(contentType: string): boolean {
  const mime = contentType.split(";")[0]!.trim().toLowerCase();
  return mime === "application/json" || mime.endsWith("+json");
}

function tooLarge(limit: number): AppError {
  return new AppError("payload_too_large", `The request body is larger than ${limit} bytes`);
}

async function readLimitedText(request: Request, limit: number): Promise<string> {
  return new TextDecoder().decode(await readRawBody(request, limit));
}

/** Room for a multipart body's boundaries, part headers and small fields beside its file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * A multipart/form-data body whose file is at most `fileLimit` bytes: bounded like every body
 * (declared or streamed, `payload_too_large`) before it is parsed, since a chunked upload declares
 * no length; another Content-Type or a garbled body is `malformed_body`.
 */
export async function readMultipartBody(request: Request, fileLimit: number): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^multipart\/form-data/i.test(type)) {
    throw new AppError("malformed_body", "Content-Type must be multipart/form-data", { issues: [{ field: "Content-Type", kind: "invalid_value", reason: "must be multipart/form-data" }] });
  }
  const bytes = await readRawBody(request, fileLimit + MULTIPART_OVERHEAD_BYTES);
  try {
    return await new Response(bytes, { headers: { "Content-Type": type } }).formData();
  } catch {
    throw new AppError("malformed_body", "The body is not valid multipart/form-data");
  }
}

/** The body's exact bytes (at most `limit`, else `payload_too_large`), for signatures over raw bytes. */
export async function readRawBody(request: Request, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = Number(request.headers.get("Content-Length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

/** The bearer credential of an `Authorization` header, or null. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("Authorization");
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** The client's IP as Cloudflare's edge reports it, or null when the request did not come through it. */
export function clientIp(request: Request): string | null {
  return request.headers.get("CF-Connecting-IP")?.trim() || null;
}
