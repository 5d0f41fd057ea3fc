import { randomBytes, toHex } from "../../lib/crypto";
import { done, fault, type BusinessProfile, type WhatsAppUpstream } from "./types";

/**
 * The default upstream: every step succeeds unless the input is one of the documented failure
 * triggers (README, "Sandbox behaviours"). Deterministic on its inputs; profiles are kept by the
 * Deployment object itself, so reads here return nothing new.
 */
export const SANDBOX_TRIGGERS = {
  invalidCertificate: "invalid", // vname_certificate → permanent ERROR "Invalid vname certificate"
  rejectedSuffix: "0000", // a number ending so → permanent ERROR at CREATING_CLUSTER
  outageSuffix: "5030", // a number ending so → transient outage on every try (retries, then ERROR)
  wrongPin: "000000", // PIN → permanent ERROR at FINALIZING
  notOnWhatsAppSuffix: "0000", // a message recipient ending so → accepted, then a failed status (131026)
} as const;

/** The error of a failed status to a recipient the sandbox says is not on WhatsApp (Meta's code for it). */
export const NOT_ON_WHATSAPP = { code: 131026, title: "Message undeliverable: the recipient is not on WhatsApp" } as const;

/** A `wamid.`-style id: base64 of the recipient and random bytes, as Meta's look. */
export function sandboxWamid(to: string): string {
  const bytes = new Uint8Array([...new TextEncoder().encode(to), ...crypto.getRandomValues(new Uint8Array(12))]);
  return `wamid.HBgM${btoa(String.fromCharCode(...bytes)).replace(/=+$/, "")}`;
}

/** A stable 15-digit phone_number_id for a number, so the same number always gets the same id. */
function sandboxPhoneNumberId(cc: string, number: string): string {
  return `1${`${cc}${number}`.padStart(14, "0").slice(-14)}`;
}

export function sandboxUpstream(otpCode: string): WhatsAppUpstream {
  return {
    async addNumber({ cc, number, vnameCertificate }) {
      if (vnameCertificate?.trim().toLowerCase() === SANDBOX_TRIGGERS.invalidCertificate) {
        return fault({ kind: "invalid_input", message: "Invalid vname certificate", code: "sandbox" });
      }
      if (number.endsWith(SANDBOX_TRIGGERS.rejectedSuffix)) {
        return fault({ kind: "invalid_input", message: "WhatsApp refused this number", code: "sandbox" });
      }
      if (number.endsWith(SANDBOX_TRIGGERS.outageSuffix)) {
        return fault({ kind: "transient", message: "WhatsApp is temporarily unavailable", code: "sandbox" });
      }
      return done({ phoneNumberId: sandboxPhoneNumberId(cc, number) });
    },
    requestCode: async () => done(undefined),
    verifyCode: async (_id, code) => done(code === otpCode),
    async register(_id, pin) {
      return pin === SANDBOX_TRIGGERS.wrongPin
        ? fault({ kind: "invalid_input", message: "Two-step verification PIN mismatch", code: "sandbox" })
        : done(undefined);
    },
    subscribeApp: async () => done(undefined),
    getProfile: async () => done({ profile: {} as BusinessProfile, photoUrl: null }),
    updateProfile: async () => done(undefined),
    async setProfilePhoto(_id, imageUrl) {
      return /\.(png|jpe?g)$/i.test(new URL(imageUrl).pathname)
        ? done(undefined)
        : fault({ kind: "invalid_input", message: "The image must be a .png or .jpg", code: "sandbox" });
    },
    deregister: async () => done(undefined),
    sendMessage: async (_id, message) => done({ wamid: sandboxWamid(message.to) }),
    markRead: async () => done(undefined),
    uploadMedia: async () => done({ id: String(BigInt(`0x${toHex(randomBytes(7))}`)) }),
    // Tuma's template table is the sandbox's only store: a template is approved when created.
    listTemplates: async () => done([]),
    createTemplate: async (_wabaId, t) => done({ id: `tpl_${toHex(randomBytes(12))}`, status: "APPROVED", category: t.category }),
    updateTemplate: async () => done(undefined),
    deleteTemplates: async () => done(undefined),
  };
}
