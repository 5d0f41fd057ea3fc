import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { Config } from "../../config/env";
import type { Logger } from "../../lib/log";
import { graphRequest } from "./graph-http";
import { done, fault, type UpstreamResult } from "./types";

/**
 * Meta's Embedded Signup, redirect flow: the owner of an existing WhatsApp Business number logs
 * in to Meta and shares its WABA with our app; the callback gets a code, which is exchanged for a
 * business token, from which we learn the shared WABA (debug_token's granular scopes) and its
 * number. Meta has done the add and verify steps; registration is left to the Deployment.
 */
export interface SharedNumber {
  wabaId: string;
  phoneNumberId: string;
  cc: string;
  number: string;
  verifiedName: string;
}

export function embeddedSignupUrl(config: Config, redirectUri: string, state: string): string {
  const url = new URL(`https://www.facebook.com/${config.META_API_VERSION}/dialog/oauth`);
  url.searchParams.set("client_id", config.META_APP_ID!);
  url.searchParams.set("config_id", config.META_CONFIG_ID!);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("override_default_response_type", "true");
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("state", state);
  return url.toString();
}

export async function sharedNumberFromCode(config: Config, code: string, redirectUri: string, log: Logger): Promise<UpstreamResult<SharedNumber>> {
  const endpoint = { graphUrl: config.META_GRAPH_URL, version: config.META_API_VERSION, timeoutMs: config.META_TIMEOUT_MS };
  const graph = <T>(path: string, query: Record<string, string>, token?: string) =>
    graphRequest<T>(endpoint, log, "GET", path, { query, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const appToken = `${config.META_APP_ID}|${config.META_APP_SECRET}`;
  const exchanged = await graph<{ access_token: string }>("oauth/access_token", {
    client_id: config.META_APP_ID!,
    client_secret: config.META_APP_SECRET!,
    code,
    redirect_uri: redirectUri,
  });
  if (!exchanged.ok) return exchanged;
  const debug = await graph<{ data: { granular_scopes?: { scope: string; target_ids?: string[] }[] } }>("debug_token", {
    input_token: exchanged.value.access_token,
    access_token: appToken,
  });
  if (!debug.ok) return debug;
  const wabaId = debug.value.data.granular_scopes?.find((s) => s.scope === "whatsapp_business_management")?.target_ids?.[0];
  if (!wabaId) return fault({ kind: "invalid_input", message: "No WhatsApp Business Account was shared" });
  const numbers = await graph<{ data: { id: string; display_phone_number: string; verified_name: string }[] }>(
    `${wabaId}/phone_numbers`,
    { fields: "id,display_phone_number,verified_name" },
    exchanged.value.access_token,
  );
  if (!numbers.ok) return numbers;
  const first = numbers.value.data[0];
  const parsed = first ? parsePhoneNumberFromString(`+${first.display_phone_number.replace(/\D/g, "")}`) : undefined;
  if (!first || !parsed) return fault({ kind: "invalid_input", message: "The shared WhatsApp Business Account has no usable number" });
  return done({ wabaId, phoneNumberId: first.id, cc: parsed.countryCallingCode, number: parsed.nationalNumber, verifiedName: first.verified_name });
}
