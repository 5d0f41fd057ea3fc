// The console's building blocks: a screen, a table, a labelled field, a form that shows its own
// error, a once-shown secret, a status badge, a timeline.
import { html } from "htm/preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { formatDate, t } from "./i18n.js";

/** False until the page's first screen is shown: a page just loaded keeps the browser's own focus order (skip link first). */
let screenChanged = false;

export function Screen({ title, children }) {
  const heading = useRef(null);
  // A new screen takes the focus on its heading, so keyboard and screen-reader users start from the top of it.
  useEffect(() => {
    if (screenChanged) heading.current?.focus({ preventScroll: true });
    screenChanged = true;
  }, [title]);
  useEffect(() => {
    document.title = `${title} — Tuma`;
  }, [title]);
  return html`<h1 tabindex="-1" ref=${heading}>${title}</h1>${children}`;
}

export function ErrorNotice({ error }) {
  if (!error) return null;
  const detail = error.issues?.length ? ` (${error.issues.map((i) => i.field).join(", ")})` : "";
  return html`<p role="alert">${error.message}${detail}</p>`;
}

export function Loading({ state }) {
  if (state.error) return html`<${ErrorNotice} error=${state.error} />`;
  if (state.loading && !state.data) return html`<p class="muted" aria-live="polite">${t("common.loading")}</p>`;
  return null;
}

/** columns: [{label, render(row) | key, num}] */
export function Table({ caption, columns, rows, empty }) {
  if (!rows?.length) return html`<p class="muted">${empty ?? t("common.empty")}</p>`;
  // Focusable, so a table wider than a phone can be scrolled with the keyboard.
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label=${caption ?? t("common.table")}><table>
    ${caption && html`<caption>${caption}</caption>`}
    <thead><tr>${columns.map((c) => html`<th scope="col" class=${c.num ? "num" : ""}>${c.label}</th>`)}</tr></thead>
    <tbody>${rows.map(
      (row, i) => html`<tr key=${row.id ?? i}>${columns.map(
        (c) => html`<td class=${c.num ? "num" : ""}>${c.render ? c.render(row) : (row[c.key] ?? "—")}</td>`,
      )}</tr>`,
    )}</tbody>
  </table></div>`;
}

/** A labelled input, select (options: [[value, label]]) or textarea; its hint describes it. */
export function Field({ label, type = "text", options, value, onInput, hint, ...rest }) {
  const id = useId();
  const set = (e) => onInput(e.currentTarget.type === "checkbox" ? e.currentTarget.checked : e.currentTarget.value);
  const described = hint ? { "aria-describedby": `${id}-hint` } : {};
  let control;
  if (options) control = html`<select id=${id} value=${value} onChange=${set} ...${described} ...${rest}>${options.map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select>`;
  else if (type === "textarea") control = html`<textarea id=${id} value=${value} onInput=${set} ...${described} ...${rest}></textarea>`;
  else control = html`<input id=${id} type=${type} value=${value} onInput=${set} ...${described} ...${rest} />`;
  return html`<div class="field"><label for=${id}>${label}</label>${control}${hint && html`<small id=${`${id}-hint`} class="muted">${hint}</small>`}</div>`;
}

/** A form whose submit runs `action`; shows "busy" meanwhile, and the error it threw. */
export function Form({ action, submit, children, inline, danger }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const onSubmit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class=${inline ? "inline" : "stack"} onSubmit=${onSubmit}>
    ${children}
    <div><button type="submit" class=${danger ? "danger" : ""} disabled=${busy}>${busy ? t("common.busy") : submit}</button></div>
    <${ErrorNotice} error=${error} />
  </form>`;
}

/** A button that runs `action` and shows its error beside it. */
export function ActionButton({ action, children, secondary, danger, label }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<span><button type="button" aria-label=${label} class=${danger ? "danger" : secondary ? "secondary" : ""} disabled=${busy} onClick=${run}>${children}</button>${error && html` <span role="alert">${error.message}</span>`}</span>`;
}

export function Secret({ label, value }) {
  if (!value) return null;
  return html`<div class="secret" role="status"><p><strong>${label}</strong> — ${t("common.shownOnce")}</p><code>${value}</code></div>`;
}

const TONES = { delivered: "good", read: "good", completed: "good", done: "good", READY: "good", APPROVED: "good", active: "good", failed: "bad", dead: "bad", rejected: "bad", REJECTED: "bad", cancelled: "bad", suspended: "bad", pending: "warn", paused: "warn", running: "warn" };
export function Badge({ value }) {
  if (value === null || value === undefined) return html`<span class="muted">—</span>`;
  return html`<span class=${`badge ${TONES[value] ?? ""}`}>${t(`status.${value}`) === `status.${value}` ? value : t(`status.${value}`)}</span>`;
}

export function Timeline({ events }) {
  if (!events?.length) return html`<p class="muted">${t("common.empty")}</p>`;
  return html`<ol class="timeline" aria-live="polite">${events.map(
    (e) => html`<li><${Badge} value=${e.status} /> <time datetime=${e.at}>${formatDate(e.at)}</time>${e.error && html` <span class="muted">${e.error.title ?? e.error.message ?? JSON.stringify(e.error)}</span>`}</li>`,
  )}</ol>`;
}

export function Stat({ label, value }) {
  return html`<div class="stat">${label}<strong>${value}</strong></div>`;
}
