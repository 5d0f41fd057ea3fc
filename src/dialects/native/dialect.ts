import type { Dialect } from "../dialect";
import "./session-routes";
import "./account-routes";
import "./admin-routes";
import "./operator-account-routes";
import "./audit-routes";
import "./operator-money-routes";
import "./operator-directory-routes";
import "./deposit-routes";
import "./number-routes";
import "./number-profile-routes";
import "./operator-activity-routes";
import "./operator-lookup-routes";
import "./price-routes";
import "./template-routes";
import "./money-routes";
import "./dev-key-routes";
import "./number-key-routes";
import "./vonage-routes";
import "./vonage-account-routes";
import "./webhook-routes";
import "./delivery-routes";
import "./inbound-admin-routes";
import "./media-routes";
import "./number-webhook-routes";
import "./campaign-routes";
import "./message-routes";
import "./send-routes";
import "./cloud-api-routes";
import "./archive-routes";
import { renderNativeError } from "./errors";
import { nativeRouter } from "./router";

/** Tuma's own API, for what none of the four providers covers. Route modules are imported above. */
export const nativeDialect: Dialect = {
  name: "native",
  base: "/api/v1",
  router: nativeRouter,
  renderError: renderNativeError,
};
