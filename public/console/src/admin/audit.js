// The audit log: every operator change, who, what, when, on what, before and after, and why.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get, rowsOf, withQuery } from "../api.js";
import { useLoad } from "../hooks.js";
import { formatDate, t } from "../i18n.js";
import { Loading, Screen, Table } from "../ui.js";

const compact = (v) => (v === null || v === undefined ? "—" : html`<code>${typeof v === "string" ? v : JSON.stringify(v)}</code>`);

export function Audit() {
  const first = useLoad(() => get("/api/v1/admin/audit"));
  const [pages, setPages] = useState([]);
  const last = pages.at(-1) ?? first.data;
  const more = async () => setPages([...pages, await get(withQuery("/api/v1/admin/audit", { cursor: last.next_cursor }))]);
  return html`<${Screen} title=${t("audit.title")}>
    <${Loading} state=${first} />
    <${Table} caption=${t("audit.title")} rows=${[first.data, ...pages].flatMap((p) => rowsOf(p, "entries"))} columns=${[
      { label: t("common.date"), render: (e) => formatDate(e.at) },
      { label: t("audit.actor"), render: (e) => e.actor },
      { label: t("audit.action"), render: (e) => e.action },
      { label: t("audit.target"), render: (e) => compact(e.target) },
      { label: t("audit.before"), render: (e) => compact(e.before) },
      { label: t("audit.after"), render: (e) => compact(e.after) },
      { label: t("accounts.reason"), render: (e) => e.reason ?? "—" },
    ]} />
    ${last?.next_cursor && html`<button type="button" class="secondary" onClick=${more}>${t("common.more")}</button>`}
  </${Screen}>`;
}
