/**
 * Meta's `message_template_status_update` webhook changes (a template approved, rejected, paused,
 * disabled, flagged, reinstated…), read loosely from a payload whose signature was checked: one
 * per change with the fields routing needs (the WABA and the template's id).
 */
export interface TemplateStatusUpdate {
  wabaId: string;
  templateId: string;
  name: string | null;
  language: string | null;
  /** Meta's event: APPROVED, REJECTED, PENDING, PAUSED, DISABLED, FLAGGED, REINSTATED, PENDING_DELETION… */
  event: string;
  reason: string | null;
  /** When Meta says it happened (ms), if it says. */
  at: number | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isObject) : []);
const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

export function templateStatusUpdates(payload: unknown): TemplateStatusUpdate[] {
  if (!isObject(payload)) return [];
  const updates: TemplateStatusUpdate[] = [];
  for (const entry of list(payload.entry)) {
    const wabaId = text(entry.id);
    for (const change of list(entry.changes)) {
      const v = change.value;
      if (change.field !== "message_template_status_update" || !wabaId || !isObject(v)) continue;
      const templateId = typeof v.message_template_id === "number" ? String(v.message_template_id) : text(v.message_template_id);
      const event = text(v.event);
      if (!templateId || !event) continue;
      const time = typeof entry.time === "number" ? entry.time * 1000 : null;
      updates.push({ wabaId, templateId, name: text(v.message_template_name), language: text(v.message_template_language), event, reason: text(v.reason), at: time });
    }
  }
  return updates;
}
