import type { Dialect } from "../dialect";
import { renderVonageMessagesError } from "./errors";
import "./media-routes";
import "./message-routes";
import { VONAGE_MESSAGES_BASE, vonageMessagesRouter } from "./router";

/** Vonage's Messages API (WhatsApp channel): sending; statuses and inbound messages go out through webhook-format.ts. */
export const vonageMessagesDialect: Dialect = {
  name: "vonage-messages",
  base: VONAGE_MESSAGES_BASE,
  router: vonageMessagesRouter,
  renderError: renderVonageMessagesError,
};
