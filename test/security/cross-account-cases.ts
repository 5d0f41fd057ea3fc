import { SANDBOX_SENDER_ID, bearer, type World } from "./world";
import { PAYER } from "../money/helpers";
import { recipient } from "../messages/helpers";

/**
 * Every route's cross-account attempts: B's credentials with A's ids (`refused`: must answer 401,
 * 403, 404 or 409, the ownership check reached with an otherwise valid request), or B's own view
 * of a route that names no id (`own`: any answer below 500, showing none of A's data).
 */
export type Auth = "none" | "bearer" | "lam" | "engagelab" | "vonage" | "cloud" | { header: Record<string, string> } | { vonageForged: true };
export interface Attempt {
  label: string;
  expect: "refused" | "own";
  auth: Auth;
  method?: string;
  path?: string;
  body?: unknown;
  /** Sent as `application/x-www-form-urlencoded` instead of a JSON body (HTML forms). */
  form?: Record<string, string>;
  /** Sent as `multipart/form-data` (uploads). */
  multipart?: Record<string, string | Blob>;
}
export interface Victims {
  a: World;
  b: World;
  /** An account with no number that wrote to `customer` from the shared sandbox sender. */
  shared: { id: string; customer: string };
}
type Cases = (v: Victims) => Attempt[];

const V = "/vonage/v0.1/whatsapp-manager";
const G = "/graph/v23.0";
const SANDBOX_WABA_ID = "100000000000000";
const refused = (label: string, auth: Auth, body?: unknown, path?: string): Attempt => ({ label, expect: "refused", auth, body, path });
const own = (label: string, auth: Auth, body?: unknown, path?: string): Attempt => ({ label, expect: "own", auth, body, path });
const text = (to: string) => ({ to, type: "text", text: { body: "Bonjour" } });

/** Keys: `METHOD /openapi/path`; the runner fills `{params}` from `path` when an attempt gives one. */
export const ROUTE_CASES: Record<string, Cases> = {
  "GET /": ({ b }) => [own("the index", "bearer"), own("the index, B's token", { header: bearer(b.token) })],
  "GET /health": () => [own("health", "none")],
  "GET /ping": () => [own("ping", "none")],
  // The link only shows a form asking for key_user: it starts nothing and tells nothing of A.
  "GET /tokabola/goto/addnumber": ({ a }) => [
    own("Embedded Signup's form for A's id_user, no credentials", "none", undefined, `/tokabola/goto/addnumber/?id_user=${a.id}`),
    own("Embedded Signup's form for A's id_user, B's token", "bearer", undefined, `/tokabola/goto/addnumber/?id_user=${a.id}`),
  ],
  "POST /tokabola/goto/addnumber": ({ a, b }) => [
    { label: "Embedded Signup for A's id_user with B's key_user", expect: "refused", auth: "none", form: { id_user: a.id, key_user: b.key } },
    { label: "Embedded Signup for A's id_user with B's token", expect: "refused", auth: "bearer", form: { id_user: a.id, key_user: "" } },
  ],
  // Meta's return names the account only in the signed state: a forged one links nothing to A.
  "GET /tokabola/goto/addnumber/callback": ({ a }) => [
    refused("Embedded Signup's return with a forged state naming A", "none", undefined, `/tokabola/goto/addnumber/callback?code=es-1&state=${a.id}.9999999999999.${"0".repeat(64)}`),
    refused("Embedded Signup's return with a forged state naming A, B's token", "bearer", undefined, `/tokabola/goto/addnumber/callback?code=es-1&state=${a.id}.9999999999999.${"0".repeat(64)}`),
  ],
  "GET /webhooks/meta": () => [refused("handshake with a guessed verify token", "none", undefined, "/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1")],
  "POST /webhooks/meta": ({ a }) => [
    refused("an unsigned customer message to A's number", "none", {
      object: "whatsapp_business_account",
      entry: [{ id: "1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: a.number, phone_number_id: a.phoneNumberId }, messages: [{ from: a.customer, id: "wamid.forged", timestamp: "1767261712", type: "text", text: { body: "forged" } }] } }] }],
    }),
  ],
  "POST /webhooks/pawapay": ({ a }) => [own("a forged COMPLETED callback for A's (settled) deposit", "none", { depositId: a.depositId, status: "COMPLETED", depositedAmount: "99999999" })],
  "POST /sandbox/inbound": ({ a, shared }) => [
    refused("a customer message to A's number", "bearer", { phone_number_id: a.phoneNumberId, from: a.customer, text: "injected" }),
    own("a customer of another account writes to the shared sandbox sender", "bearer", { phone_number_id: SANDBOX_SENDER_ID, from: shared.customer, text: "injected" }),
  ],

  // Native API (B's bearer token)
  "POST /api/v1/account/rotate-key": () => [own("rotates B's own key", "bearer")],
  "GET /api/v1/account/settings": () => [own("B's settings", "bearer")],
  "PUT /api/v1/account/settings": () => [own("B's settings", "bearer", { tokabola_status_webhooks: true })],
  "GET /api/v1/wallets": () => [own("B's wallets", "bearer")],
  "GET /api/v1/ledger": () => [own("B's ledger", "bearer")],
  "GET /api/v1/plans": () => [own("plans", "bearer")],
  "GET /api/v1/archives": () => [own("B's archived days", "bearer")],
  "GET /api/v1/archives/{day}": () => [refused("an archived day, B's token (A's days are A's)", "bearer", undefined, "/api/v1/archives/2026-01-01")],
  "GET /api/v1/admin/accounts/{account_id}/export": ({ a }) => [refused("admin export of A with B's token", "bearer", undefined, `/api/v1/admin/accounts/${a.id}/export`)],
  "POST /api/v1/session": ({ a, b }) => [
    refused("a session for A's id_user with B's key_user", "none", { role: "account", id_user: a.id, key_user: b.key }),
    refused("an operator session with B's token", "none", { role: "admin", token: b.token }),
  ],
  "GET /api/v1/session": () => [own("the session view with B's token (no cookie)", "bearer")],
  "DELETE /api/v1/session": () => [own("logging out with B's token (no cookie)", "bearer")],
  "POST /api/v1/admin/accounts/{account_id}/suspend": ({ a }) => [refused("suspend A with B's token", "bearer", { reason: "x" }, `/api/v1/admin/accounts/${a.id}/suspend`)],
  "POST /api/v1/admin/accounts/{account_id}/reinstate": ({ a }) => [refused("reinstate A with B's token", "bearer", { reason: "x" }, `/api/v1/admin/accounts/${a.id}/reinstate`)],
  "GET /api/v1/admin/audit": () => [refused("the audit log with B's token", "bearer")],
  "GET /api/v1/admin/accounts/{account_id}/ledger": ({ a }) => [refused("A's ledger through the admin route with B's token", "bearer", undefined, `/api/v1/admin/accounts/${a.id}/ledger`)],
  "POST /api/v1/admin/accounts/{account_id}/adjustments": ({ a, b }) => [
    refused("debit A with B's token", "bearer", { currency: "CDF", amount: 1, direction: "debit", reason: "x" }, `/api/v1/admin/accounts/${a.id}/adjustments`),
    refused("credit B itself with B's token", "bearer", { currency: "CDF", amount: 1000000, direction: "credit", reason: "x" }, `/api/v1/admin/accounts/${b.id}/adjustments`),
  ],
  "GET /api/v1/admin/accounts": ({ a }) => [refused("the account directory with B's token", "bearer", undefined, `/api/v1/admin/accounts?q=${a.id}`)],
  "GET /api/v1/admin/accounts/{account_id}": ({ a }) => [refused("A's detail with B's token", "bearer", undefined, `/api/v1/admin/accounts/${a.id}`)],
  "GET /api/v1/admin/deposits": () => [refused("every account's deposits with B's token", "bearer")],
  "POST /api/v1/admin/deposits/{id}/check": ({ a }) => [refused("check A's deposit with B's token", "bearer", undefined, `/api/v1/admin/deposits/${a.depositId}/check`)],
  "POST /api/v1/deposits": () => [own("B's own top-up", "bearer", { amount: "500", currency: "CDF", phone: PAYER.completes })],
  "GET /api/v1/deposits": () => [own("B's deposits", "bearer")],
  "GET /api/v1/deposits/{id}": ({ a }) => [refused("A's deposit", "bearer", undefined, `/api/v1/deposits/${a.depositId}`)],
  "GET /api/v1/account": () => [own("B's account", "bearer")],
  "GET /api/v1/numbers": () => [own("B's numbers", "bearer")],
  "POST /api/v1/numbers": ({ a }) => [refused("add A's number to B", "bearer", { cc: a.cc, phone_number: a.number, phone_name: "Stolen" })],
  "POST /api/v1/numbers/{phone_number_id}/code": ({ a }) => [refused("request a code for A's number", "bearer", { method: "SMS" }, `/api/v1/numbers/${a.phoneNumberId}/code`)],
  "POST /api/v1/numbers/{phone_number_id}/verify": ({ a }) => [refused("verify A's number", "bearer", { code: "123456" }, `/api/v1/numbers/${a.phoneNumberId}/verify`)],
  "GET /api/v1/numbers/{phone_number_id}/profile": ({ a }) => [refused("read A's number profile", "bearer", undefined, `/api/v1/numbers/${a.phoneNumberId}/profile`)],
  "PUT /api/v1/numbers/{phone_number_id}/profile": ({ a }) => [refused("change A's number profile", "bearer", { about: "Volé" }, `/api/v1/numbers/${a.phoneNumberId}/profile`)],
  "GET /api/v1/admin/overview": () => [refused("the operator's overview with B's token", "bearer")],
  "GET /api/v1/admin/deliveries": ({ a }) => [refused("A's deliveries with B's token", "bearer", undefined, `/api/v1/admin/deliveries?account_id=${a.id}`)],
  "POST /api/v1/admin/deliveries/{id}/replay": ({ a }) => [refused("replay A's delivery with B's token", "bearer", undefined, `/api/v1/admin/deliveries/${a.deliveryIds[0]}/replay`)],
  "POST /api/v1/admin/deliveries/replay": ({ a }) => [refused("replay A's dead deliveries with B's token", "bearer", { from: 0, to: Date.now(), account_id: a.id })],
  "GET /api/v1/admin/campaigns": () => [refused("every account's campaigns with B's token", "bearer")],
  "POST /api/v1/admin/campaigns/{id}/pause": ({ a }) => [refused("pause A's campaign with B's token", "bearer", undefined, `/api/v1/admin/campaigns/${a.campaignId}/pause`)],
  "POST /api/v1/admin/campaigns/{id}/resume": ({ a }) => [refused("resume A's campaign with B's token", "bearer", undefined, `/api/v1/admin/campaigns/${a.campaignId}/resume`)],
  "POST /api/v1/admin/campaigns/{id}/cancel": ({ a }) => [refused("cancel A's campaign with B's token", "bearer", undefined, `/api/v1/admin/campaigns/${a.campaignId}/cancel`)],
  "GET /api/v1/admin/numbers": ({ a }) => [refused("A's numbers with B's token", "bearer", undefined, `/api/v1/admin/numbers?q=${a.id}`)],
  "GET /api/v1/admin/messages": ({ a }) => [refused("A's messages with B's token", "bearer", undefined, `/api/v1/admin/messages?q=${a.customer}`)],
  "GET /api/v1/admin/messages/{id}": ({ a }) => [refused("A's message with B's token", "bearer", undefined, `/api/v1/admin/messages/${a.wamid}`)],
  "GET /api/v1/admin/numbers/{deployment_id}": ({ a }) => [refused("A's number history with B's token", "bearer", undefined, `/api/v1/admin/numbers/${a.deploymentId}`)],
  "GET /api/v1/admin/plans": () => [refused("admin route with B's token", "bearer")],
  "PUT /api/v1/admin/plans/{code}": () => [refused("admin route with B's token", "bearer", { prices: { CDF: "1" } }, "/api/v1/admin/plans/GOLD")],
  "GET /api/v1/admin/prices": () => [refused("admin route with B's token", "bearer")],
  "PUT /api/v1/admin/prices/{category}": () => [refused("admin route with B's token", "bearer", { CDF: "1" }, "/api/v1/admin/prices/marketing")],
  "GET /api/v1/admin/webhooks/unrouted": () => [refused("admin route with B's token", "bearer")],
  "GET /api/v1/admin/webhooks/rejected": () => [refused("admin route with B's token", "bearer")],
  "POST /api/v1/admin/webhooks/rejected/retry": () => [refused("admin replay of failed events with B's token", "bearer")],
  "POST /api/v1/admin/webhooks/unrouted/{phone_number_id}/retry": ({ a }) => [refused("admin retry for A's number with B's token", "bearer", undefined, `/api/v1/admin/webhooks/unrouted/${a.phoneNumberId}/retry`)],
  "POST /api/v1/templates": ({ b }) => [own("a template in B's account", "bearer", { name: `${b.templateName}_b`, language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Salut" }] })],
  "GET /api/v1/templates": () => [own("B's templates", "bearer")],
  "DELETE /api/v1/templates/{name}": ({ a }) => [refused("delete A's template by name", "bearer", undefined, `/api/v1/templates/${a.templateName}`)],
  "POST /api/v1/engagelab/keys": () => [own("a dev key for B", "bearer", { label: "b" })],
  "GET /api/v1/engagelab/keys": () => [own("B's dev keys", "bearer")],
  "DELETE /api/v1/engagelab/keys/{dev_key}": ({ a }) => [refused("revoke A's dev key", "bearer", undefined, `/api/v1/engagelab/keys/${a.devKey}`)],
  "POST /api/v1/numbers/{phone_number_id}/api-key": ({ a }) => [refused("rotate A's number key", "bearer", undefined, `/api/v1/numbers/${a.phoneNumberId}/api-key`)],
  "PUT /api/v1/vonage/application": ({ a, b }) => [refused("register A's application id with B's key", "bearer", { application_id: a.applicationId, public_key: b.publicKeyPem })],
  "GET /api/v1/webhooks": () => [own("B's endpoints", "bearer")],
  "POST /api/v1/webhooks": () => [own("an endpoint for B", "bearer", { url: "https://hooks.example.com/b" })],
  "DELETE /api/v1/webhooks/{id}": ({ a }) => [refused("delete A's endpoint", "bearer", undefined, `/api/v1/webhooks/${a.endpointId}`)],
  "POST /api/v1/webhooks/{id}/secret": ({ a }) => [refused("rotate A's endpoint secret", "bearer", undefined, `/api/v1/webhooks/${a.endpointId}/secret`)],
  "PUT /api/v1/engagelab/callback": () => [own("B's callback", "bearer", { url: "https://hooks.example.com/b-callback" })],
  "GET /api/v1/engagelab/callback": () => [own("B's callback", "bearer")],
  "DELETE /api/v1/engagelab/callback": () => [own("B's callback", "bearer")],
  "GET /api/v1/messages/{id}": ({ a }) => [refused("read A's message by its wamid", "bearer", undefined, `/api/v1/messages/${a.wamid}`)],
  "POST /api/v1/messages": ({ a }) => [refused("a text from A's number", "bearer", { phone_number_id: a.phoneNumberId, ...text(a.customer) })],
  "GET /api/v1/messages": ({ a }) => [
    // B may have written to A's customer itself (other attempts do): the path names it, so only A's own data counts as a leak.
    own("B's messages with A's customer", "bearer", undefined, `/api/v1/messages?recipient=${a.customer}`),
    own("B's messages on A's number", "bearer", undefined, `/api/v1/messages?phone_number_id=${a.phoneNumberId}`),
  ],
  "GET /api/v1/conversations/{wa_id}": ({ a }) => [
    own("B's conversation with A's customer", "bearer", undefined, `/api/v1/conversations/${a.customer}`),
    own("B's conversation with A's customer on A's number", "bearer", undefined, `/api/v1/conversations/${a.customer}?phone_number_id=${a.phoneNumberId}`),
  ],
  "GET /api/v1/deliveries": ({ a }) => [own("B's deliveries", "bearer"), own("B's deliveries filtered on A's endpoint", "bearer", undefined, `/api/v1/deliveries?endpoint_id=${a.endpointId}`)],
  "GET /api/v1/deliveries/{id}": ({ a }) => a.deliveryIds.map((id) => refused("read A's delivery", "bearer", undefined, `/api/v1/deliveries/${id}`)),
  "POST /api/v1/deliveries/replay": () => [own("replay B's dead deliveries", "bearer", { since: 0, until: Date.now() + 86_400_000 * 2 })],
  "POST /api/v1/deliveries/{id}/replay": ({ a }) => a.deliveryIds.map((id) => refused("replay A's delivery", "bearer", undefined, `/api/v1/deliveries/${id}/replay`)),
  "GET /api/v1/media/{id}": ({ a }) => [refused("A's customer's image", "bearer", undefined, `/api/v1/media/${a.mediaId}`)],
  "POST /api/v1/numbers/{phone_number_id}/webhook": ({ a }) => [refused("set A's number webhook", "bearer", { url: "https://hooks.example.com/steal" }, `/api/v1/numbers/${a.phoneNumberId}/webhook`)],
  "GET /api/v1/numbers/{phone_number_id}/webhook": ({ a }) => [refused("read A's number webhook", "bearer", undefined, `/api/v1/numbers/${a.phoneNumberId}/webhook`)],
  "POST /api/v1/campaigns": ({ a }) => [
    refused("a campaign from A's number", "bearer", { phone_number_id: a.phoneNumberId, template: { name: a.templateName, language: "fr" }, parameters: ["x"], recipients: [recipient()] }),
  ],
  "GET /api/v1/campaigns": () => [own("B's campaigns", "bearer"), own("B's cancelled campaigns", "bearer", undefined, "/api/v1/campaigns?state=cancelled")],
  "GET /api/v1/campaigns/{id}": ({ a }) => [refused("read A's campaign", "bearer", undefined, `/api/v1/campaigns/${a.campaignId}`)],
  "GET /api/v1/campaigns/{id}/recipients": ({ a }) => [refused("list A's campaign's recipients", "bearer", undefined, `/api/v1/campaigns/${a.campaignId}/recipients`)],
  "POST /api/v1/campaigns/{id}/pause": ({ a }) => [refused("pause A's campaign", "bearer", undefined, `/api/v1/campaigns/${a.campaignId}/pause`)],
  "POST /api/v1/campaigns/{id}/resume": ({ a }) => [refused("resume A's campaign", "bearer", undefined, `/api/v1/campaigns/${a.campaignId}/resume`)],
  "POST /api/v1/campaigns/{id}/cancel": ({ a }) => [refused("cancel A's campaign", "bearer", undefined, `/api/v1/campaigns/${a.campaignId}/cancel`)],
  "GET /api/v1/numbers/{phone_number_id}/throughput": ({ a }) => [refused("read A's throughput", "bearer", undefined, `/api/v1/numbers/${a.phoneNumberId}/throughput`)],
  "PUT /api/v1/numbers/{phone_number_id}/throughput": ({ a }) => [refused("change A's throughput", "bearer", { messages_per_second: 1 }, `/api/v1/numbers/${a.phoneNumberId}/throughput`)],

  // EngageLab (B's dev key)
  "POST /engagelab/v1/messages": ({ a }) => [refused("send from A's number", "engagelab", { from: `+${a.cc}${a.number}`, to: [`+${a.customer}`], body: { type: "text", text: { body: "Bonjour" } } })],
  "GET /engagelab/v1/templates": () => [own("B's templates", "engagelab")],
  "POST /engagelab/v1/templates": ({ b }) => [own("a template for B", "engagelab", { name: `${b.templateName}_e`, language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Salut" }] })],
  "GET /engagelab/v1/templates/{template}": ({ a }) => [refused("read A's template", "engagelab", undefined, `/engagelab/v1/templates/${a.templateId}`)],
  "PUT /engagelab/v1/templates/{template}": ({ a }) => [
    refused("change A's template", "engagelab", { name: a.templateName, language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Pirate" }] }, `/engagelab/v1/templates/${a.templateId}`),
  ],
  "DELETE /engagelab/v1/templates/{template}": ({ a }) => [refused("delete A's template", "engagelab", undefined, `/engagelab/v1/templates/${a.templateName}`)],

  // LAfricaMobile / 360dialog (B's number key): the key names the number, so B reaches only its own.
  "GET /lam/health": () => [own("B's number health", "lam")],
  "POST /lam/messages": ({ a }) => [own("a reply to A's customer, from B's number", "lam", { recipient_type: "individual", ...text(`+${a.customer}`), context: { message_id: a.wamid } })],
  "GET /lam/configs/templates": () => [own("B's templates", "lam")],
  "POST /lam/configs/webhook": () => [own("B's webhook", "lam", { url: "https://hooks.example.com/b-lam" })],
  "GET /lam/configs/webhook": () => [own("B's webhook", "lam")],
  "PUT /lam/messages/{message_id}": ({ a }) => [own("B marks A's customer's message read, from B's own number", "lam", { status: "read" }, `/lam/messages/${a.wamid}`)],
  "GET /lam/v1/health": () => [own("B's number health", "lam")],
  ...lamUploadCases(""),
  ...lamUploadCases("/v1"),
  "POST /lam/v1/messages": ({ a }) => [own("a reply to A's customer, from B's number", "lam", { recipient_type: "individual", ...text(`+${a.customer}`), context: { message_id: a.wamid } })],
  "PUT /lam/v1/messages/{message_id}": ({ a }) => [own("B marks A's customer's message read, from B's own number", "lam", { status: "read" }, `/lam/v1/messages/${a.wamid}`)],
  "GET /lam/v1/configs/templates": () => [own("B's templates", "lam")],
  "POST /lam/v1/configs/webhook": () => [own("B's webhook", "lam", { url: "https://hooks.example.com/b-lam" })],
  "GET /lam/v1/configs/webhook": () => [own("B's webhook", "lam")],

  // Vonage (JWTs of B's application)
  "POST /vonage/v0.1/whatsapp-manager/deployments": ({ a }) => [
    refused("provision A's number", "vonage", { country_code: a.cc, number: a.number, vname_certificate: "cert", method: "sms", waba_id: "100000000000000" }),
  ],
  "GET /vonage/v0.1/whatsapp-manager/deployments": ({ a }) => [
    own("B's deployments", "vonage"),
    refused("A's deployment with a JWT naming A's application, signed by B", { vonageForged: true }, undefined, `${V}/deployments/${a.deploymentId}`),
  ],
  ...vonageDeploymentCases(),

  // Vonage Messages (B's application JWT, or B's api_key:api_secret, the same pair as EngageLab's)
  "POST /vonage/v1/messages": ({ a }) => {
    const body = { channel: "whatsapp", message_type: "text", from: `${a.cc}${a.number}`, to: a.customer, text: "Bonjour" };
    return [refused("send from A's number (JWT)", "vonage", body), refused("send from A's number (Basic)", "engagelab", body)];
  },
  "GET /vonage/v1/messages/media/{id}": ({ a }) => [refused("download A's media", "vonage", undefined, `/vonage/v1/messages/media/${a.mediaId}`)],
  "POST /api/v1/vonage/signup": ({ b }) => [own("a new account beside A", "none", { name: `${b.templateName} vonage` })],
  "GET /api/v1/vonage/application": () => [own("B's application (JWT)", "vonage"), own("B's application (Basic)", "engagelab"), own("B's application (token)", "bearer")],
  "PUT /api/v1/vonage/application/webhooks": () => [own("B's webhooks", "vonage", { status_url: "https://hooks.example.com/b-status", inbound_url: null })],

  // Meta's Cloud API (B's access token); every account sees the shared WABA, and only its own templates on it.
  "POST /graph/{version}/{phone_number_id}/messages": ({ a, b }) => [
    refused("send from A's number", "cloud", { messaging_product: "whatsapp", ...text(a.customer) }, `${G}/${a.phoneNumberId}/messages`),
    refused("send A's upload from B's own number", "cloud", { messaging_product: "whatsapp", to: b.customer, type: "image", image: { id: a.uploadedMediaId } }, `${G}/${b.phoneNumberId}/messages`),
    refused("mark A's customer's message read", "cloud", { messaging_product: "whatsapp", status: "read", message_id: a.wamid }, `${G}/${a.phoneNumberId}/messages`),
  ],
  "GET /graph/{version}/{id}": ({ a }) => [
    refused("read A's number", "cloud", undefined, `${G}/${a.phoneNumberId}`),
    refused("read A's customer's media", "cloud", undefined, `${G}/${a.mediaId}`),
    refused("read A's upload", "cloud", undefined, `${G}/${a.uploadedMediaId}`),
    refused("read A's template", "cloud", undefined, `${G}/${a.templateId}`),
  ],
  "DELETE /graph/{version}/{id}": ({ a }) => [
    refused("delete A's upload", "cloud", undefined, `${G}/${a.uploadedMediaId}`),
    refused("delete A's customer's media", "cloud", undefined, `${G}/${a.mediaId}`),
  ],
  "POST /graph/{version}/{phone_number_id}/media": ({ a }) => [
    {
      label: "upload under A's number",
      expect: "refused",
      auth: "cloud",
      path: `${G}/${a.phoneNumberId}/media`,
      multipart: { messaging_product: "whatsapp", type: "image/jpeg", file: new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: "image/jpeg" }) },
    },
  ],
  "GET /graph/{version}/{waba_id}/message_templates/{template_id}": ({ a }) => [refused("read A's template", "cloud", undefined, `${G}/${SANDBOX_WABA_ID}/message_templates/${a.templateId}`)],
  "GET /graph/{version}/{media_id}/download": ({ a }) => [
    refused("download A's customer's media", "cloud", undefined, `${G}/${a.mediaId}/download`),
    refused("download A's upload", "cloud", undefined, `${G}/${a.uploadedMediaId}/download`),
  ],
  "GET /graph/{version}/{phone_number_id}/whatsapp_business_profile": ({ a }) => [refused("read A's profile", "cloud", undefined, `${G}/${a.phoneNumberId}/whatsapp_business_profile`)],
  "POST /graph/{version}/{phone_number_id}/whatsapp_business_profile": ({ a }) => [
    refused("change A's profile", "cloud", { messaging_product: "whatsapp", about: "pirate" }, `${G}/${a.phoneNumberId}/whatsapp_business_profile`),
  ],
  "GET /graph/{version}/{waba_id}/message_templates": () => [own("B's templates on the shared WABA", "cloud", undefined, `${G}/${SANDBOX_WABA_ID}/message_templates`)],
  "POST /graph/{version}/{waba_id}/message_templates": ({ b }) => [
    own("a template for B", "cloud", { name: `${b.templateName}_g`, language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Salut" }] }, `${G}/${SANDBOX_WABA_ID}/message_templates`),
  ],
  "DELETE /graph/{version}/{waba_id}/message_templates": ({ a }) => [
    refused("delete A's template by name", "cloud", undefined, `${G}/${SANDBOX_WABA_ID}/message_templates?name=${a.templateName}`),
    refused("delete A's template by id", "cloud", undefined, `${G}/${SANDBOX_WABA_ID}/message_templates?hsm_id=${a.templateId}&name=${a.templateName}`),
  ],
  "POST /graph/{version}/{id}": ({ a }) => [
    refused("edit A's template", "cloud", { components: [{ type: "BODY", text: "Piraté" }] }, `${G}/${a.templateId}`),
    refused("remove A's number's own webhook", "cloud", { webhook_configuration: { override_callback_uri: "" } }, `${G}/${a.phoneNumberId}`),
    refused("set A's number's own webhook", "cloud", { webhook_configuration: { override_callback_uri: "https://hooks.sink.test/world-b/meta/b-token", verify_token: "b-token" } }, `${G}/${a.phoneNumberId}`),
  ],
  "POST /api/v1/cloud-api/tokens": () => [own("an access token for B", "bearer", { label: "b" })],
  "GET /api/v1/cloud-api/tokens": () => [own("B's access tokens", "bearer")],
  "DELETE /api/v1/cloud-api/tokens/{token_id}": ({ a }) => [refused("revoke A's access token", "bearer", undefined, `/api/v1/cloud-api/tokens/${a.cloudTokenId}`)],
  "PUT /api/v1/cloud-api/webhook": () => [own("B's webhook", "bearer", { url: "https://hooks.sink.test/world-b/meta/b-token", verify_token: "b-token" })],
  "GET /api/v1/cloud-api/webhook": () => [own("B's webhook", "bearer")],
  "DELETE /api/v1/cloud-api/webhook": () => [own("B's webhook", "bearer")],
};

/** 360dialog's media and template management, at /lam and /lam/v1: B's key reaches B's account only. */
function lamUploadCases(v: "" | "/v1"): Record<string, Cases> {
  const jpeg = () => new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: "image/jpeg" });
  return {
    [`POST /lam${v}/media`]: () => [{ label: "an upload from B's number", expect: "own", auth: "lam", multipart: { messaging_product: "whatsapp", file: jpeg() } }],
    [`GET /lam${v}/media/{id}`]: ({ a }) => [
      refused("download A's customer's media", "lam", undefined, `/lam${v}/media/${a.mediaId}`),
      refused("download A's upload", "lam", undefined, `/lam${v}/media/${a.uploadedMediaId}`),
    ],
    [`DELETE /lam${v}/media/{id}`]: ({ a }) => [refused("delete A's upload", "lam", undefined, `/lam${v}/media/${a.uploadedMediaId}`)],
    [`POST /lam${v}/configs/templates`]: ({ b }) => [
      own("a template for B", "lam", { name: `${b.templateName}_l${v ? "1" : ""}`, language: "fr", category: "UTILITY", components: [{ type: "BODY", text: "Salut" }] }),
    ],
    [`DELETE /lam${v}/configs/templates/{name}`]: ({ a }) => [refused("delete A's template", "lam", undefined, `/lam${v}/configs/templates/${a.templateName}`)],
  };
}

function vonageDeploymentCases(): Record<string, Cases> {
  const d = `${V}/deployments/{deployment_id}`;
  const on = (suffix: string, label: string, body?: unknown): Cases => ({ a }) => [
    refused(label, "vonage", body, `${V}/deployments/${a.deploymentId}${suffix.replace("{stickerpack_id}", a.stickerpackId).replace("{sticker_index}", "0")}`),
  ];
  return {
    [`GET ${d}`]: on("", "read A's deployment"),
    [`DELETE ${d}`]: on("", "delete A's deployment"),
    [`POST ${d}/resend-otp`]: on("/resend-otp", "resend A's OTP", { method: "sms" }),
    [`POST ${d}/verify`]: on("/verify", "verify A's number", { code: "123456" }),
    [`GET ${d}/profile`]: on("/profile", "read A's profile"),
    [`PATCH ${d}/profile`]: on("/profile", "change A's profile", { about: "pirate" }),
    [`GET ${d}/profile/photo`]: on("/profile/photo", "read A's photo"),
    [`POST ${d}/profile/photo`]: on("/profile/photo", "change A's photo", { image_url: "https://cdn.example.com/p.jpg" }),
    [`GET ${d}/stickerpacks`]: on("/stickerpacks", "list A's sticker packs"),
    [`POST ${d}/stickerpacks`]: on("/stickerpacks", "add a pack to A's number", { publisher: "B", name: "B" }),
    [`GET ${d}/stickerpacks/{stickerpack_id}`]: on("/stickerpacks/{stickerpack_id}", "read A's pack"),
    [`GET ${d}/stickerpacks/{stickerpack_id}/stickers`]: on("/stickerpacks/{stickerpack_id}/stickers", "list A's stickers"),
    [`POST ${d}/stickerpacks/{stickerpack_id}/stickers`]: on("/stickerpacks/{stickerpack_id}/stickers", "add a sticker to A's pack", { image_data_id: "img" }),
    [`GET ${d}/stickerpacks/{stickerpack_id}/stickers/{sticker_index}`]: on("/stickerpacks/{stickerpack_id}/stickers/{sticker_index}", "read A's sticker"),
    [`DELETE ${d}/stickerpacks/{stickerpack_id}/stickers/{sticker_index}`]: on("/stickerpacks/{stickerpack_id}/stickers/{sticker_index}", "delete A's sticker"),
  };
}

/** toKABOLA's single endpoint: one entry per `type` (and per `update.account`). */
export const TOKABOLA_CASES: Record<string, Cases> = {
  signup: ({ a }) => [refused("sign up under A's name", "none", { type: "signup", signup: { name: a.name } })],
  token: ({ a, b }) => [refused("A's id_user with B's key_user", "none", { type: "token", token: { id_user: a.id, key_user: b.key } })],
  update: ({ a }) => [
    own("B's own infos", "bearer", { type: "update", update: { account: "infos" }, infos: { description: "B" } }),
    refused("A's number profile", "bearer", { type: "update", update: { account: "number" }, number: { phone_number_id: a.phoneNumberId, about: "pirate" } }),
  ],
  account: () => [own("B's account", "bearer", { type: "account" })],
  add: ({ a }) => [refused("add A's number to B", "bearer", { type: "add", add: { cc: a.cc, phone_number: a.number, phone_name: "Pirate", language: "fr_FR" } })],
  number: ({ a }) => [
    refused("ask a code for A's number", "bearer", { type: "number", number: { method: "ask_code", phone_number_id: a.phoneNumberId } }),
    refused("verify A's number", "bearer", { type: "number", number: { method: "verify", phone_number_id: a.phoneNumberId, otp_code: "123456" } }),
  ],
  addfund: () => [own("B's own top-up", "bearer", { type: "addfund", addfund: { from: PAYER.completes, amount: "100", currency: "CDF" } })],
  verify: ({ a }) => [refused("verify A's deposit", "bearer", { type: "verify", verify: { deposit_id: a.depositId } })],
  solde: () => [own("B's balance", "bearer", { type: "solde" })],
  assistance: ({ a }) => [refused("text from A's number", "bearer", { type: "assistance", assistance: { to: a.customer, method: "text", body: "x", phone_number_id: a.phoneNumberId } })],
  auth: ({ a }) => [refused("OTP from A's number", "bearer", { type: "auth", auth: { to: a.customer, method: "otp", otp_code: "123456", phone_number_id: a.phoneNumberId } })],
  marketing: ({ a }) => [refused("template from A's number", "bearer", { type: "marketing", marketing: { to: a.customer, name: a.templateName, language: "fr", parameters: ["x"], phone_number_id: a.phoneNumberId } })],
  utility: ({ a }) => [refused("template from A's number", "bearer", { type: "utility", utility: { to: a.customer, name: a.templateName, language: "fr", parameters: ["x"], phone_number_id: a.phoneNumberId } })],
};
