import { postJson, type Formatter } from "./types";

/** Native endpoints receive the canonical event (src/core/webhooks/events.ts) as JSON. */
export const nativeFormat: Formatter = (event, target) => postJson(target, event);
