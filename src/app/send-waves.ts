import { WorkerEntrypoint } from "cloudflare:workers";
import { createCoreContext } from "../config/create-context";
import type { Env } from "../config/env";
import { sendWave, type SendResult, type Wave } from "../core/campaigns/wave";
import { createLogger } from "../lib/log";

/**
 * Campaign waves, each in its own invocation of the Worker (bound to itself as SEND_WAVES in
 * wrangler.toml): a chunk's consumer calls `send` once per wave, so every wave has its own
 * connection budget, as production's cap of 6 per invocation requires.
 */
export class SendWaves extends WorkerEntrypoint<Env> {
  async send(wave: Wave): Promise<{ seq: number; result: SendResult }[]> {
    const log = createLogger({ wave_of: wave.campaignId });
    return sendWave(createCoreContext(this.env, (p) => this.ctx.waitUntil(p), log), wave);
  }
}
