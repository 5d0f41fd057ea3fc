// A READY number's WhatsApp business profile: what customers see under its name. Fields left empty
// keep their value (WhatsApp has no "clear"); websites are one per line.
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { get, put } from "../api.js";
import { useLoad } from "../hooks.js";
import { t } from "../i18n.js";
import { Field, Form, Loading } from "../ui.js";

const VERTICALS = ["UNDEFINED", "OTHER", "AUTO", "BEAUTY", "APPAREL", "EDU", "ENTERTAIN", "EVENT_PLAN", "FINANCE", "GROCERY", "GOVT", "HOTEL", "HEALTH", "NONPROFIT", "PROF_SERVICES", "RETAIL", "TRAVEL", "RESTAURANT", "NOT_A_BIZ"];
const TEXTS = ["about", "address", "description", "email"];

const formOf = (p) => ({ ...Object.fromEntries(TEXTS.map((k) => [k, p?.[k] ?? ""])), websites: (p?.websites ?? []).join("\n"), vertical: p?.vertical ?? "" });

export function NumberProfile({ number, onClose }) {
  const path = `/api/v1/numbers/${encodeURIComponent(number.phone_number_id)}/profile`;
  const profile = useLoad(() => get(path), [path]);
  const [form, setForm] = useState(formOf(null));
  const [saved, setSaved] = useState(false);
  useEffect(() => setForm(formOf(profile.data)), [profile.data]);
  const set = (key) => (value) => {
    setSaved(false);
    setForm({ ...form, [key]: value });
  };
  const save = async () => {
    const websites = form.websites.split(/\s+/).filter(Boolean);
    const body = Object.fromEntries(TEXTS.map((k) => [k, form[k].trim()]).filter(([, v]) => v));
    if (websites.length) body.websites = websites;
    if (form.vertical) body.vertical = form.vertical;
    setForm(formOf(await put(path, body)));
    setSaved(true);
  };
  const title = t("profile.title", { number: number.display_number });
  return html`<section class="card" aria-labelledby="number-profile">
    <h2 id="number-profile">${title}</h2>
    <${Loading} state=${profile} />
    ${profile.data && html`<${Form} action=${save} submit=${t("common.save")}>
      <${Field} label=${t("profile.about")} name="about" value=${form.about} onInput=${set("about")} maxlength="139" hint=${t("profile.aboutHint")} />
      <${Field} label=${t("profile.description")} name="description" type="textarea" value=${form.description} onInput=${set("description")} maxlength="256" />
      <${Field} label=${t("profile.address")} name="address" value=${form.address} onInput=${set("address")} maxlength="256" />
      <${Field} label=${t("profile.email")} name="email" type="email" value=${form.email} onInput=${set("email")} maxlength="128" />
      <${Field} label=${t("profile.websites")} name="websites" type="textarea" value=${form.websites} onInput=${set("websites")} hint=${t("profile.websitesHint")} />
      <${Field} label=${t("profile.vertical")} name="vertical" value=${form.vertical} onInput=${set("vertical")} options=${[["", "—"], ...VERTICALS.map((v) => [v, v])]} />
    </${Form}>`}
    ${saved && html`<p role="status">${t("profile.saved")}</p>`}
    <button type="button" class="secondary" onClick=${onClose}>${t("profile.close")}</button>
  </section>`;
}
