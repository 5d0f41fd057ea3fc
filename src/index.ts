import { handleFetch } from "./app";
import { createCoreContext } from "./core/create-context";
import type { Env } from "./env";
import { runCron } from "./jobs/cron";
import { consumeBatch, type QueueMessage } from "./jobs/queues";
import { createLogger } from "./lib/log";

export { Deployment } from "./durable/deployment";

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
