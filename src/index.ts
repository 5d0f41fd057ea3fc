import { handleFetch } from "./app/fetch";
import { createCoreContext } from "./config/create-context";
import type { Env } from "./config/env";
import { runCron } from "./app/cron";
import { consumeBatch, type QueueMessage } from "./app/queues";
import { createLogger } from "./lib/log";

export { Deployment } from "./durable/deployment";
export { SendWaves } from "./app/send-waves";

export default {
  fetch: handleFetch,

  async scheduled(controller, env, ctx) {
    const log = createLogger({ cron: controller.cron, scheduled_time: controller.scheduledTime });
    await runCron(createCoreContext(env, (p) => ctx.waitUntil(p), log));
  },

  async queue(batch, env, ctx) {
    const log = createLogger({ queue: batch.queue });
    await consumeBatch(createCoreContext(env, (p) => ctx.waitUntil(p), log), batch);
  },
} satisfies ExportedHandler<Env, QueueMessage>;
