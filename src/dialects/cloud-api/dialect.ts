import type { Dialect } from "../dialect";
import { renderGraphError } from "./errors";
import "./message-routes";
import "./number-routes";
import "./template-routes";
import "./update-routes";
import { CLOUD_API_BASE, cloudApiRouter } from "./router";

/** Meta's Cloud API (Graph API paths under /graph): sending and templates; webhooks go out through webhook-format.ts. */
export const cloudApiDialect: Dialect = {
  name: "cloud-api",
  base: CLOUD_API_BASE,
  router: cloudApiRouter,
  renderError: renderGraphError,
};
