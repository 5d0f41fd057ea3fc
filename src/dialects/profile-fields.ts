import * as z from "zod";
import { clientUrl, withKind } from "../lib/validation";

/** WhatsApp's business-profile limits (Vonage's profile and Meta's), shared by the dialects that edit it. */
const website = z.string().trim().max(256, "must be at most 256 characters").regex(/^https?:\/\//, "must start with http:// or https://");

export const profileFields = {
  about: z.string().trim().min(1, "must not be empty").max(139, "must be at most 139 characters"),
  address: z.string().trim().min(1, "must not be empty").max(256, "must be at most 256 characters"),
  description: z.string().trim().min(1, "must not be empty").max(256, "must be at most 256 characters"),
  email: z.email("must be an email address").max(128, "must be at most 128 characters"),
  websites: z.array(website).min(1, "must hold one or two websites").max(2, "must hold at most two websites"),
  /** Meta's vertical codes (its OpenAPI `BusinessProfile.vertical`). */
  vertical: z.enum([
    "UNDEFINED", "OTHER", "AUTO", "BEAUTY", "APPAREL", "EDU", "ENTERTAIN", "EVENT_PLAN", "FINANCE", "GROCERY",
    "GOVT", "HOTEL", "HEALTH", "NONPROFIT", "PROF_SERVICES", "RETAIL", "TRAVEL", "RESTAURANT", "NOT_A_BIZ",
  ]),
};

/** A profile photo: a .png or .jpg URL (zod runs this check even after the URL check failed, so it must not throw). */
export const photoUrl = (production: boolean) =>
  clientUrl(production).refine((u) => URL.canParse(u) && /\.(png|jpe?g)$/i.test(new URL(u).pathname), { message: "must point to a .png or .jpg image", params: withKind("invalid_format") });

export { website };
