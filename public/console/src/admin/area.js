// The operator's console at /console/admin: its navigation, screens and login (ADMIN_TOKEN).
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { t } from "../i18n.js";
import { SignIn } from "../signin.js";
import { Field } from "../ui.js";
import { AccountDetail } from "./account-detail.js";
import { Accounts } from "./accounts.js";
import { Audit } from "./audit.js";
import { AdminCampaigns } from "./campaigns.js";
import { AdminDeliveries } from "./deliveries.js";
import { AdminDeposits } from "./deposits.js";
import { AdminMessageDetail, AdminMessages } from "./messages.js";
import { AdminNumberDetail, AdminNumbers } from "./numbers.js";
import { Overview } from "./overview.js";
import { PlansAndPrices } from "./plans.js";

const B = "/console/admin";

function Login({ onSignedIn }) {
  const [token, setToken] = useState("");
  const fields = html`<${Field} label=${t("login.adminToken")} name="token" type="password" value=${token} onInput=${setToken} required autocomplete="current-password" />`;
  return html`<${SignIn} title=${t("login.admin")} intro=${t("login.adminIntro")} body=${() => ({ role: "admin", token: token.trim() })} fields=${fields} onSignedIn=${onSignedIn} />`;
}

export const adminArea = {
  role: "admin",
  base: B,
  title: "area.admin",
  Login,
  nav: [
    [B, "nav.overview"],
    [`${B}/accounts`, "nav.accounts"],
    [`${B}/numbers`, "nav.numbers"],
    [`${B}/messages`, "nav.messages"],
    [`${B}/deliveries`, "nav.deliveries"],
    [`${B}/campaigns`, "nav.campaigns"],
    [`${B}/deposits`, "nav.deposits"],
    [`${B}/plans`, "nav.plans"],
    [`${B}/audit`, "nav.audit"],
  ],
  routes: [
    [B, Overview],
    [`${B}/accounts`, Accounts],
    [`${B}/accounts/:id`, AccountDetail],
    [`${B}/numbers`, AdminNumbers],
    [`${B}/numbers/:id`, AdminNumberDetail],
    [`${B}/messages`, AdminMessages],
    [`${B}/messages/:id`, AdminMessageDetail],
    [`${B}/deliveries`, AdminDeliveries],
    [`${B}/campaigns`, AdminCampaigns],
    [`${B}/deposits`, AdminDeposits],
    [`${B}/plans`, PlansAndPrices],
    [`${B}/audit`, Audit],
  ],
};
