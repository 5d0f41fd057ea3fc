import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

/**
 * One object per WhatsApp number (keyed by deployment id): the source of truth for its
 * provisioning state machine and its send pacing, in its own SQLite storage. The numbers issue
 * fills in the state machine; for now it keeps only the state it is given.
 */
export class Deployment extends DurableObject<Env> {
  /** The stored state, or null before the number is provisioned. */
  async state(): Promise<string | null> {
    return this.ctx.storage.kv.get<string>("state") ?? null;
  }
}
