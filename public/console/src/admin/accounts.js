// Accounts: search by name, id_user or id; each row leads to the account's detail.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get, rowsOf, withQuery } from "../api.js";
import { useLoad } from "../hooks.js";
import { formatDate, formatMoney, t } from "../i18n.js";
import { Link } from "../router.js";
import { Badge, Field, Form, Loading, Screen, Table } from "../ui.js";

export const planOf = (p) => (p && typeof p === "object" ? p.code : p) ?? "—";

export function Accounts({ query }) {
  const [q, setQ] = useState(query.get("q") ?? "");
  const [search, setSearch] = useState(q);
  const [pages, setPages] = useState([]);
  const accounts = useLoad(async () => {
    setPages([]);
    return get(withQuery("/api/v1/admin/accounts", { q: search }));
  }, [search]);
  const more = async () => {
    const last = pages.at(-1) ?? accounts.data;
    const next = await get(withQuery("/api/v1/admin/accounts", { q: search, cursor: last.next_cursor }));
    setPages([...pages, next]);
  };
  const rows = [accounts.data, ...pages].flatMap((p) => rowsOf(p, "accounts"));
  const cursor = (pages.at(-1) ?? accounts.data)?.next_cursor;
  return html`<${Screen} title=${t("accounts.title")}>
    <${Form} action=${() => setSearch(q.trim())} submit=${t("common.search")} inline>
      <${Field} label=${t("accounts.search")} name="q" type="search" value=${q} onInput=${setQ} />
    </${Form}>
    <${Loading} state=${accounts} />
    <${Table} caption=${t("accounts.title")} rows=${rows} columns=${[
      { label: t("accounts.name"), render: (a) => html`<${Link} href=${`/console/admin/accounts/${encodeURIComponent(a.id)}`}>${a.name || a.id}</${Link}>` },
      { label: "id_user", key: "id_user" },
      { label: t("accounts.plan"), render: (a) => planOf(a.plan) },
      { label: t("accounts.balance"), num: true, render: (a) => formatMoney(a.balance ?? {}) },
      { label: t("common.state"), render: (a) => html`<${Badge} value=${a.suspended ? "suspended" : "active"} />` },
      { label: t("common.created"), render: (a) => formatDate(a.created_at) },
    ]} />
    ${cursor && html`<button type="button" class="secondary" onClick=${more}>${t("common.more")}</button>`}
  </${Screen}>`;
}
