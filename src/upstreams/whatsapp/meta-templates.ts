import type { Config } from "../../config/env";
import type { Logger } from "../../lib/log";
import { graphRequest, type GraphRequest } from "./graph-http";
import { done, fault, type UpstreamResult } from "./types";

/** Meta's template management on a WABA (reference §8). */
export interface MetaTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  components?: unknown[];
}

export function metaTemplates(config: Config, log: Logger) {
  const endpoint = { graphUrl: config.META_GRAPH_URL, version: config.META_API_VERSION, timeoutMs: config.META_TIMEOUT_MS };
  const call = <T>(method: string, path: string, init: GraphRequest = {}): Promise<UpstreamResult<T>> =>
    config.META_ACCESS_TOKEN
      ? graphRequest<T>(endpoint, log, method, path, { ...init, headers: { Authorization: `Bearer ${config.META_ACCESS_TOKEN}` } })
      : Promise.resolve(fault({ transient: false, message: "The Meta upstream is not configured (META_ACCESS_TOKEN)" }));
  return {
    async list(wabaId: string): Promise<UpstreamResult<MetaTemplate[]>> {
      const r = await call<{ data: MetaTemplate[] }>("GET", `${wabaId}/message_templates`, {
        query: { fields: "id,name,language,status,category,components", limit: "250" },
      });
      return r.ok ? done(r.value.data) : r;
    },
    async create(wabaId: string, t: { name: string; language: string; category: string; components: unknown[] }) {
      return call<{ id: string; status: string; category: string }>("POST", `${wabaId}/message_templates`, { json: t });
    },
    async update(templateId: string, changes: { category?: string; components?: unknown[] }): Promise<UpstreamResult<void>> {
      const r = await call("POST", templateId, { json: changes });
      return r.ok ? done(undefined) : r;
    },
    async deleteByName(wabaId: string, name: string): Promise<UpstreamResult<void>> {
      const r = await call("DELETE", `${wabaId}/message_templates`, { query: { name } });
      return r.ok ? done(undefined) : r;
    },
  };
}
