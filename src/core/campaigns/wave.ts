import { whatsappUpstream, type UpstreamKind } from "../../upstreams/whatsapp";
import { fault, type OutboundMessage, type UpstreamResult } from "../../upstreams/whatsapp/types";
import type { CoreContext } from "../../config/context";

/**
 * One wave of a campaign's sends: at most as many as an invocation may have waiting for Meta at
 * once (6, lib/connection-cap.ts), each at its permit's instant. The chunk's consumer hands each
 * wave to a new invocation of the Worker (the SendWaves entrypoint), so a number's throughput is
 * not bound by one invocation's connections: at 200 ms per send, 6 connections carry ~30 sends/s.
 * A wave only calls the upstream; claiming and recording stay with the consumer, a group of
 * waves per D1 batch.
 */
export interface Wave {
  upstream: UpstreamKind;
  phoneNumberId: string;
  campaignId: string;
  sends: { seq: number; at: number; message: OutboundMessage }[];
}

export type SendResult = UpstreamResult<{ wamid: string }>;

export async function sendWave(ctx: CoreContext, wave: Wave): Promise<{ seq: number; result: SendResult }[]> {
  const upstream = whatsappUpstream(wave.upstream, ctx.env, ctx.log, ctx.outbound);
  return Promise.all(
    wave.sends.map(async ({ seq, at, message }) => {
      await sleep(at - Date.now());
      try {
        return { seq, result: await upstream.sendMessage(wave.phoneNumberId, message, { retry: false }) };
      } catch (e) {
        ctx.log.log("error", "campaign_send_threw", { campaign_id: wave.campaignId, seq, error_message: String(e) });
        return { seq, result: fault({ kind: "transient", message: "The upstream call failed unexpectedly" }) };
      }
    }),
  );
}

export const sleep = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
