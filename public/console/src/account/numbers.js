// The account's WhatsApp numbers: add one, have the code sent (SMS or voice), verify it, and see
// each number's state (refreshed while provisioning moves on its own); a READY number's business profile.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { get, post, rowsOf } from "../api.js";
import { useLoad, usePoll } from "../hooks.js";
import { formatDate, t } from "../i18n.js";
import { Badge, Field, Form, Loading, Screen, Secret, Table } from "../ui.js";
import { NumberProfile } from "./number-profile.js";

const MOVING = ["INITIALIZING", "CREATING_CLUSTER", "CODE_VERIFIED", "FINALIZING", "DELETING"];
const CODE_REQUESTABLE = ["CLUSTER_CREATED", "CODE_SENT", "WRONG_CODE"];
const VERIFIABLE = ["CODE_SENT", "WRONG_CODE"];
const path = (n, tail) => `/api/v1/numbers/${encodeURIComponent(n.phone_number_id)}/${tail}`;

export function Numbers() {
  const numbers = useLoad(() => get("/api/v1/numbers"));
  const rows = rowsOf(numbers.data, "numbers");
  usePoll(numbers.reload, 2000, rows.some((n) => MOVING.includes(n.state)));
  const [cc, setCc] = useState("243");
  const [number, setNumber] = useState("");
  const [name, setName] = useState("");
  const [apiKey, setApiKey] = useState(null);
  const [profileOf, setProfileOf] = useState(null);
  const add = async () => {
    const added = await post("/api/v1/numbers", { cc: cc.replace(/\D/g, ""), phone_number: number.replace(/\D/g, ""), phone_name: name.trim() });
    setApiKey(added.api_key);
    setNumber("");
    await numbers.reload();
  };
  return html`<${Screen} title=${t("numbers.title")}>
    <section class="card" aria-labelledby="add-number">
      <h2 id="add-number">${t("numbers.add")}</h2>
      <${Form} action=${add} submit=${t("numbers.addSubmit")} inline>
        <${Field} label=${t("numbers.cc")} name="cc" inputmode="numeric" size="4" value=${cc} onInput=${setCc} required />
        <${Field} label=${t("numbers.national")} name="phone_number" type="tel" value=${number} onInput=${setNumber} required hint=${t("numbers.numberHint")} />
        <${Field} label=${t("numbers.name")} name="phone_name" value=${name} onInput=${setName} required minlength="2" maxlength="75" hint=${t("numbers.nameHint")} />
      </${Form}>
      <${Secret} label=${t("keys.numberKeys")} value=${apiKey} />
    </section>
    <${Loading} state=${numbers} />
    <${Table} caption=${t("numbers.title")} rows=${rows} columns=${[
      { label: t("numbers.number"), render: (n) => n.display_number ?? n.phone_number_id },
      { label: "phone_number_id", render: (n) => html`<code>${n.phone_number_id ?? "—"}</code>` },
      { label: t("common.state"), render: (n) => html`<${Badge} value=${n.state} />` },
      { label: t("numbers.detail"), render: (n) => n.detail || "—" },
      { label: t("common.created"), render: (n) => formatDate(n.created_at) },
      { label: t("common.actions"), render: (n) => n.phone_number_id && html`<${NumberActions} n=${n} onChange=${numbers.reload} onProfile=${() => setProfileOf(n)} />` },
    ]} />
    ${profileOf && html`<${NumberProfile} key=${profileOf.phone_number_id} number=${profileOf} onClose=${() => setProfileOf(null)} />`}
  </${Screen}>`;
}

function NumberActions({ n, onChange, onProfile }) {
  const [method, setMethod] = useState("SMS");
  const [code, setCode] = useState("");
  const sendCode = async () => {
    await post(path(n, "code"), { method });
    await onChange();
  };
  const verify = async () => {
    await post(path(n, "verify"), { code: code.trim() });
    setCode("");
    await onChange();
  };
  return html`<div>
    ${CODE_REQUESTABLE.includes(n.state) && html`<${Form} action=${sendCode} submit=${t("numbers.sendCode")} inline>
      <${Field} label=${t("numbers.method")} value=${method} onInput=${setMethod} options=${[["SMS", "SMS"], ["VOICE", t("numbers.voice")]]} />
    </${Form}>`}
    ${VERIFIABLE.includes(n.state) && html`<${Form} action=${verify} submit=${t("numbers.verify")} inline>
      <${Field} label=${t("numbers.code")} name="code" inputmode="numeric" autocomplete="one-time-code" value=${code} onInput=${setCode} required />
    </${Form}>`}
    ${n.state === "READY" && html`<button type="button" class="secondary" aria-label=${t("profile.open", { number: n.display_number })} onClick=${onProfile}>${t("profile.button")}</button>`}
  </div>`;
}
