// The customer's console at /console: its navigation, screens and login.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { SignIn } from "../signin.js";
import { t } from "../i18n.js";
import { Field } from "../ui.js";
import { CampaignDetail, Campaigns } from "./campaigns.js";
import { Home } from "./home.js";
import { Keys } from "./keys.js";
import { Conversation, MessageDetail, Messages } from "./messages.js";
import { Numbers } from "./numbers.js";
import { Templates } from "./templates.js";
import { Webhooks } from "./webhooks.js";

const B = "/console";

function Login({ onSignedIn }) {
  const [how, setHow] = useState("keys");
  const [idUser, setIdUser] = useState("");
  const [keyUser, setKeyUser] = useState("");
  const [token, setToken] = useState("");
  const body = () => (how === "keys" ? { role: "account", id_user: idUser.trim(), key_user: keyUser.trim() } : { role: "account", token: token.trim() });
  const fields = html`<fieldset><legend>${t("login.how")}</legend>
      <label class="check"><input type="radio" name="how" checked=${how === "keys"} onChange=${() => setHow("keys")} /> ${t("login.withKeys")}</label>
      <label class="check"><input type="radio" name="how" checked=${how === "token"} onChange=${() => setHow("token")} /> ${t("login.withToken")}</label>
    </fieldset>
    ${how === "keys"
      ? html`<${Field} label="id_user" name="id_user" value=${idUser} onInput=${setIdUser} required autocomplete="username" />
          <${Field} label="key_user" name="key_user" type="password" value=${keyUser} onInput=${setKeyUser} required autocomplete="current-password" />`
      : html`<${Field} label=${t("login.token")} name="token" type="password" value=${token} onInput=${setToken} required />`}`;
  return html`<${SignIn} title=${t("login.account")} intro=${t("login.accountIntro")} body=${body} fields=${fields} onSignedIn=${onSignedIn} />`;
}

export const accountArea = {
  role: "account",
  base: B,
  title: "area.account",
  Login,
  nav: [
    [B, "nav.balance"],
    [`${B}/numbers`, "nav.numbers"],
    [`${B}/messages`, "nav.messages"],
    [`${B}/templates`, "nav.templates"],
    [`${B}/campaigns`, "nav.campaigns"],
    [`${B}/webhooks`, "nav.webhooks"],
    [`${B}/keys`, "nav.keys"],
  ],
  routes: [
    [B, Home],
    [`${B}/numbers`, Numbers],
    [`${B}/messages`, Messages],
    [`${B}/messages/:id`, MessageDetail],
    [`${B}/conversations/:wa_id`, Conversation],
    [`${B}/templates`, Templates],
    [`${B}/campaigns`, Campaigns],
    [`${B}/campaigns/:id`, CampaignDetail],
    [`${B}/webhooks`, Webhooks],
    [`${B}/keys`, Keys],
  ],
};
