import type { GraphRequest } from "./graph-http";
import { done, type UpstreamResult, type UpstreamTemplate, type WhatsAppUpstream } from "./types";

/** A Graph call with the operator's token (metaUpstream's). */
type AuthorizedCall = <T>(method: string, path: string, init?: GraphRequest) => Promise<UpstreamResult<T>>;

type TemplateCalls = Pick<WhatsAppUpstream, "listTemplates" | "createTemplate" | "updateTemplate" | "deleteTemplates">;

/** Meta's template management on a WABA (reference §8). */
export function metaTemplateCalls(call: AuthorizedCall): TemplateCalls {
  return {
    async listTemplates(wabaId) {
      const r = await call<{ data: UpstreamTemplate[] }>("GET", `${wabaId}/message_templates`, {
        query: { fields: "id,name,language,status,category,components", limit: "250" },
      });
      return r.ok ? done(r.value.data) : r;
    },
    createTemplate: (wabaId, t) => call("POST", `${wabaId}/message_templates`, { json: t }),
    async updateTemplate(templateId, changes) {
      const r = await call("POST", templateId, { json: changes });
      return r.ok ? done(undefined) : r;
    },
    async deleteTemplates(wabaId, name, hsmId) {
      const r = await call("DELETE", `${wabaId}/message_templates`, { query: hsmId ? { name, hsm_id: hsmId } : { name } });
      return r.ok ? done(undefined) : r;
    },
  };
}
