import { postJson, type Formatter } from "../../core/client-webhooks/format";

/** Native endpoints receive the canonical event (src/core/webhooks/events.ts) as JSON. */
export const nativeFormat: Formatter = (event, target) => postJson(target, event);
