import type { Dialect } from "../dialect";
import "./deployment-routes";
import { renderVonageError } from "./errors";
import "./profile-routes";
import "./sticker-routes";
import { VONAGE_BASE, vonageRouter } from "./router";

/** Vonage's WhatsApp Manager (provisioning) API; route modules are imported above. */
export const vonageDialect: Dialect = {
  name: "vonage",
  base: VONAGE_BASE,
  router: vonageRouter,
  renderError: renderVonageError,
};
