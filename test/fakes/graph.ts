/**
 * A fake Graph API (Node side of `outboundService`): checks each request against the shapes of
 * `shared/reference/meta-openapi/` and answers as Meta does. A shape it does not expect gets
 * Meta's code-100 error, so a wrong request fails the test that made it.
 *
 * Fault triggers, by the national number being added (its phone_number_id ends with it too):
 * - ends in 503: the add answers HTTP 503 twice, then succeeds;
 * - ends in 429: the add answers code 80007 (rate limit, transient) once, then succeeds;
 * - ends in 408: the add takes 6 s once (longer than the tests' META_TIMEOUT_MS), then succeeds;
 * - ends in 100: the add answers code 100 (permanent);
 * - ends in 131: register answers code 131000 (transient) once, then succeeds;
 * - ends in 404: deregister answers code 100 (permanent: "not registered").
 * Embedded Signup: the code `es-<digits>` becomes the business token `biz-<digits>`, which shares
 * WABA `3<digits>` holding number `+243 <digits>` (id `4<digits>`); digits ending in 000 share no WABA.
 * Messages (`POST /{phone-number-id}/messages`), by the recipient's last four digits (SEND_TRIGGERS):
 * - 1047 / 2001 / 1026 / 0100: Meta's 131047 (window), 132001 (unknown template), 131026 (undeliverable), 100;
 * - 0429 / 1056: rate limit 130429 / 131056 once, then accepted; 1000: 131000 "something went wrong" every time;
 * every send is counted per recipient (`GET /fake/sends/<to>` answers the count; `?from=<phone-number-id>`
 * counts that number's sends only), a template send
 * remembers the name Meta was given (`GET /fake/sent-template/<to>`), and the last message body
 * sent to each recipient is kept (`GET /fake/sent-message/<to>`).
 * `GET /fake/templates/<waba>` answers the template names the fake holds on that WABA.
 * Media: `POST /{phone-number-id}/media` (multipart messaging_product, type, file) answers an id;
 * `GET /fake/media/<id>` answers what was uploaded under it, `GET /fake/sent-media/<to>` the
 * media id of the last media message sent to that recipient.
 * Counters are per number, and each test uses its own numbers, so test files never interfere.
 */
export const GRAPH_TOKEN = "test-meta-token";
export const GRAPH_APP_ID = "555000111";
export const GRAPH_WABA_ID = "200000000000001";
export const GRAPH_APP_SECRET = "test-app-secret";
export const GRAPH_CONFIG_ID = "987654321";

const calls = new Map<string, number>();
const nth = (key: string) => {
  const n = (calls.get(key) ?? 0) + 1;
  calls.set(key, n);
  return n;
};

const fbError = (status: number, code: number, message: string, extra: Record<string, unknown> = {}) =>
  Response.json({ error: { message, type: "OAuthException", code, fbtrace_id: `trace${code}`, ...extra } }, { status, headers: { "x-fb-trace-id": `hdr${code}` } });
const shapeError = (what: string) => fbError(400, 100, `(#100) fake graph: ${what}`);
const success = (extra: Record<string, unknown> = {}) => Response.json({ success: true, ...extra });

/** The phone_number_id the fake gives a number: 16 digits ending with the national number. */
export const fakePhoneNumberId = (cc: string, number: string) => `2${`${cc}${number}`.padStart(15, "0").slice(-15)}`;

async function jsonBody(request: Request): Promise<Record<string, unknown> | null> {
  if (!(request.headers.get("Content-Type") ?? "").startsWith("application/json")) return null;
  try {
    return (await request.json()) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const isString = (v: unknown, re: RegExp) => typeof v === "string" && re.test(v);

export async function graphFake(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const [version, node, edge] = url.pathname.split("/").filter(Boolean);
  if (!isString(version, /^v\d+\.\d+$/)) return shapeError("version must look like v23.0");
  const auth = request.headers.get("Authorization");
  if (node === "oauth" || node === "debug_token") return embeddedSignup(url);
  if (request.method === "GET" && edge === "phone_numbers" && auth?.startsWith("Bearer biz-")) {
    const digits = auth.slice("Bearer biz-".length);
    if (node !== `3${digits}` || !url.searchParams.get("fields")) return shapeError("phone_numbers of the shared WABA");
    return Response.json({ data: [{ id: `4${digits}`, display_phone_number: `+243 ${digits}`, verified_name: "Owner Shop" }] });
  }
  if (node?.startsWith("upload:")) {
    if (auth !== `OAuth ${GRAPH_TOKEN}`) return fbError(401, 190, "upload step needs Authorization: OAuth");
    if (request.headers.get("file_offset") !== "0") return shapeError("file_offset header");
    const bytes = await request.arrayBuffer();
    return bytes.byteLength > 0 ? Response.json({ h: `4::handle-${bytes.byteLength}` }) : shapeError("empty upload");
  }
  if (node === "fake" && edge === "sent-message") return Response.json(sentMessages.get(url.pathname.split("/").pop()!) ?? null);
  if (node === "fake" && edge === "sent-template") return Response.json({ name: sentTemplates.get(url.pathname.split("/").pop()!) ?? null });
  if (node === "fake" && edge === "templates") {
    const waba = url.pathname.split("/").pop();
    return Response.json({ names: [...templates.values()].filter((t) => t.waba === waba).map((t) => t.name) });
  }
  if (node === "fake" && edge === "media") return Response.json(uploads.get(url.pathname.split("/").pop()!) ?? null);
  if (node === "fake" && edge === "sent-media") return Response.json({ id: sentMedia.get(url.pathname.split("/").pop()!) ?? null });
  if (node === "fake" && edge === "sends") {
    // `?from=<phone_number_id>`: that number's sends only (recipients drawn by parallel test files can coincide).
    const from = url.searchParams.get("from");
    return Response.json({ count: calls.get(`send:${from ? `${from}:` : ""}${url.pathname.split("/").pop()}`) ?? 0 });
  }
  if (auth !== `Bearer ${GRAPH_TOKEN}`) return fbError(401, 190, "Invalid OAuth access token");
  const route = `${request.method} ${edge ?? ""}`;
  if (route === "POST messages") return sendMessage(await jsonBody(request), node!);
  if (route === "POST media") return uploadMedia(request, node!);
  if (edge === "message_templates" || (route === "POST " && templates.has(node!))) return messageTemplates(request, url, node!);

  if (route === "POST phone_numbers") {
    const b = await jsonBody(request);
    if (!b || !isString(b.cc, /^\d{1,3}$/) || !isString(b.phone_number, /^\d{4,15}$/)) return shapeError("cc / phone_number");
    if (typeof b.verified_name !== "string" || b.verified_name.length < 2 || b.verified_name.length > 75) return shapeError("verified_name");
    const number = b.phone_number as string;
    const n = nth(`add:${number}`);
    if (number.endsWith("503") && n <= 2) return new Response("Service Unavailable", { status: 503 });
    if (number.endsWith("429") && n === 1) return fbError(429, 80007, "(#80007) Rate limit issues", { is_transient: true });
    if (number.endsWith("408") && n === 1) await new Promise((r) => setTimeout(r, 6000));
    if (number.endsWith("100")) return fbError(400, 100, "(#100) Invalid parameter", { error_user_msg: "This phone number cannot be added" });
    return Response.json({ id: fakePhoneNumberId(b.cc as string, number) });
  }
  if (route === "POST request_code") {
    const b = await jsonBody(request);
    if (!b || !["SMS", "VOICE"].includes(b.code_method as string) || !isString(b.language, /^[a-z]{2}_[A-Z]{2}$/)) return shapeError("code_method / language");
    return success();
  }
  if (route === "POST verify_code") {
    const b = await jsonBody(request);
    if (!b || !isString(b.code, /^\d{6}$/)) return shapeError("code must be 6 digits");
    return b.code === "123456" ? success({ id: node }) : fbError(400, 136025, "(#136025) Verify code error");
  }
  if (route === "POST register") {
    const b = await jsonBody(request);
    if (!b || b.messaging_product !== "whatsapp" || !isString(b.pin, /^\d{6}$/)) return shapeError("messaging_product / pin");
    if (node!.endsWith("131") && nth(`register:${node}`) === 1) return fbError(500, 131000, "(#131000) Something went wrong");
    return success();
  }
  if (route === "POST deregister" && node!.endsWith("404")) return fbError(400, 100, "(#100) Phone number not registered", { error_subcode: 2207051 });
  if (route === "POST deregister" || route === "POST subscribed_apps") return success();
  if (route === "GET whatsapp_business_profile") {
    if (!url.searchParams.get("fields")?.includes("about")) return shapeError("fields");
    return Response.json({ data: [{ about: "Live from Meta", vertical: "RETAIL", profile_picture_url: "https://pps.whatsapp.net/p.jpg", messaging_product: "whatsapp" }] });
  }
  if (route === "POST whatsapp_business_profile") {
    const b = await jsonBody(request);
    if (!b || b.messaging_product !== "whatsapp") return shapeError("messaging_product");
    if (typeof b.about === "string" && b.about.length > 139) return shapeError("about");
    if (b.websites !== undefined && (!Array.isArray(b.websites) || b.websites.length > 2)) return shapeError("websites");
    return success();
  }
  if (route === "POST uploads" && node === GRAPH_APP_ID) {
    const q = url.searchParams;
    if (!q.get("file_name") || !/^\d+$/.test(q.get("file_length") ?? "") || !["image/png", "image/jpeg"].includes(q.get("file_type") ?? "")) {
      return shapeError("file_name / file_length / file_type");
    }
    return Response.json({ id: "upload:session1" });
  }
  return fbError(400, 100, `(#100) fake graph: no route ${route} on ${node}`);
}

/** Uploads by the id the fake gave them; each media id of a media send, by recipient. */
const uploads = new Map<string, { phoneNumberId: string; type: string; size: number; filename: string }>();
const sentMedia = new Map<string, string>();

async function uploadMedia(request: Request, phoneNumberId: string): Promise<Response> {
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return shapeError("media upload must be multipart");
  const form = await request.formData();
  const file = form.get("file");
  if (form.get("messaging_product") !== "whatsapp" || typeof form.get("type") !== "string" || !(file instanceof File)) return shapeError("messaging_product / type / file");
  const id = String(1_400_000_000_000_000 + nth("media-id"));
  uploads.set(id, { phoneNumberId, type: form.get("type") as string, size: file.size, filename: file.name });
  return Response.json({ id });
}

/** The recipient's last four digits → Meta's error code for a send to it. */
const SEND_TRIGGERS: Record<string, number> = { "1047": 131047, "2001": 132001, "1026": 131026, "0100": 100, "0429": 130429, "1056": 131056, "1000": 131000 };

/** The template name of the last template send to each recipient, and the last message body. */
const sentTemplates = new Map<string, string>();
const sentMessages = new Map<string, Record<string, unknown>>();

const MESSAGE_TYPES = ["text", "image", "video", "audio", "document", "sticker", "template", "interactive", "location", "contacts", "reaction"];

/** `POST /{phone-number-id}/messages` (reference §2): checks the envelope and the typed object. */
function sendMessage(b: Record<string, unknown> | null, from: string): Response {
  if (!b || b.messaging_product !== "whatsapp") return shapeError("messaging_product must be whatsapp");
  if (!isString(b.to, /^\d{8,15}$/)) return shapeError("to must be digits");
  if (!MESSAGE_TYPES.includes(b.type as string) || typeof b[b.type as string] !== "object") return shapeError("type and its object");
  if (b.type === "text" && typeof (b.text as { body?: unknown }).body !== "string") return shapeError("text.body");
  if (b.type === "template") {
    const t = b.template as { name?: unknown; language?: { code?: unknown } };
    if (!isString(t.name, /^[a-z0-9_]+$/) || !isString(t.language?.code, /^[a-z]{2,3}(_[A-Z]{2})?$/)) return shapeError("template name / language.code");
    sentTemplates.set(b.to as string, t.name as string);
  }
  const to = b.to as string;
  sentMessages.set(to, b);
  const media = (b[b.type as string] as { id?: unknown }).id;
  if (typeof media === "string") sentMedia.set(to, media);
  const n = nth(`send:${to}`);
  nth(`send:${from}:${to}`);
  const code = SEND_TRIGGERS[to.slice(-4)];
  if (code === 131047) return fbError(400, code, "(#131047) Re-engagement message", { error_data: { details: "More than 24 hours have passed since the customer last replied to this number." } });
  if (code === 132001) return fbError(404, code, "(#132001) Template name does not exist in the translation");
  if (code === 131026) return fbError(400, code, "(#131026) Message undeliverable");
  if (code === 100) return fbError(400, code, "(#100) Invalid parameter");
  if ((code === 130429 || code === 131056) && n === 1) return fbError(400, code, `(#${code}) Rate limit hit`);
  if (code === 131000) return fbError(500, code, "(#131000) Something went wrong");
  return Response.json({
    messaging_product: "whatsapp",
    contacts: [{ input: to, wa_id: to }],
    messages: [{ id: `wamid.FAKE${to}${crypto.randomUUID().replace(/-/g, "")}` }],
  });
}

/** Templates created through the fake, by id; each test uses its own names. Listing shows them APPROVED, as Meta's review would. */
const templates = new Map<string, { id: string; waba: string; name: string; language: string; category: string; components: unknown[] }>();

async function messageTemplates(request: Request, url: URL, node: string): Promise<Response> {
  if (request.method === "POST" && templates.has(node)) {
    const b = await jsonBody(request);
    if (!b || (b.category === undefined && !Array.isArray(b.components))) return shapeError("category or components");
    return success({ id: node });
  }
  if (request.method === "POST") {
    const b = await jsonBody(request);
    if (!b || !isString(b.name, /^[a-z0-9_]{1,512}$/) || !isString(b.language, /^[a-z]{2,3}(_[A-Z]{2})?$/)) return shapeError("name / language");
    if (!["MARKETING", "UTILITY", "AUTHENTICATION"].includes(b.category as string) || !Array.isArray(b.components)) return shapeError("category / components");
    if ([...templates.values()].some((t) => t.waba === node && t.name === b.name && t.language === b.language)) {
      return fbError(400, 100, "(#100) Invalid parameter", { error_subcode: 2388024, error_user_msg: "Content in this language already exists" });
    }
    // A counter, not the map's size: ids are never reused after a delete, as on Meta.
    const id = String(1_000_000_000 + nth("template-id"));
    templates.set(id, { id, waba: node, name: b.name as string, language: b.language as string, category: b.category as string, components: b.components as unknown[] });
    return Response.json({ id, status: "PENDING", category: b.category });
  }
  if (request.method === "GET") {
    if (!url.searchParams.get("fields")?.includes("status")) return shapeError("fields");
    return Response.json({ data: [...templates.values()].filter((t) => t.waba === node).map(({ waba: _w, ...t }) => ({ ...t, status: "APPROVED" })), paging: {} });
  }
  if (request.method === "DELETE") {
    const name = url.searchParams.get("name");
    if (!name) return shapeError("name");
    const hsmId = url.searchParams.get("hsm_id");
    for (const [id, t] of templates) if (t.waba === node && t.name === name && (!hsmId || id === hsmId)) templates.delete(id);
    return success();
  }
  return shapeError("message_templates method");
}

function embeddedSignup(url: URL): Response {
  const q = url.searchParams;
  if (url.pathname.endsWith("/oauth/access_token")) {
    if (q.get("client_id") !== GRAPH_APP_ID || q.get("client_secret") !== GRAPH_APP_SECRET || !q.get("redirect_uri")) return shapeError("client_id / client_secret / redirect_uri");
    const code = q.get("code") ?? "";
    return /^es-\d+$/.test(code) ? Response.json({ access_token: `biz-${code.slice(3)}`, token_type: "bearer" }) : fbError(400, 100, "(#100) Invalid verification code format");
  }
  if (q.get("access_token") !== `${GRAPH_APP_ID}|${GRAPH_APP_SECRET}`) return fbError(401, 190, "Invalid app access token");
  const digits = (q.get("input_token") ?? "").replace(/^biz-/, "");
  const scopes = digits.endsWith("000") ? [] : [{ scope: "whatsapp_business_management", target_ids: [`3${digits}`] }];
  return Response.json({ data: { app_id: GRAPH_APP_ID, is_valid: true, granular_scopes: scopes } });
}

/** Serves images for profile photos: *.png as a PNG, anything else 404; `/redirect?to=<url>` answers 302 to that URL. */
export function imagesFake(request: Request): Response {
  const { pathname, searchParams } = new URL(request.url);
  if (pathname === "/redirect") return new Response(null, { status: 302, headers: { Location: searchParams.get("to") ?? "/" } });
  if (!pathname.endsWith(".png")) return new Response("not found", { status: 404 });
  return new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]), { headers: { "Content-Type": "image/png" } });
}
