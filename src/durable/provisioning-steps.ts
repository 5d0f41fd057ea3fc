import type { UpstreamResult, WhatsAppUpstream } from "../upstreams/whatsapp/types";
import { done } from "../upstreams/whatsapp/types";
import type { DeploymentRecord, DeploymentState } from "./deployment-model";

/**
 * The work due in a state, and where its success leads. A state never advances unless its step
 * succeeded upstream; a step may run twice (after an eviction mid-step), so each is safe to repeat.
 */
export interface Step {
  next: DeploymentState;
  detail(r: DeploymentRecord): string;
  run(r: DeploymentRecord, upstream: WhatsAppUpstream, save: (patch: Partial<DeploymentRecord>) => void): Promise<UpstreamResult<Partial<DeploymentRecord>>>;
  /** Where a permanent failure leads (ERROR unless said otherwise). */
  onPermanentFault?: DeploymentState;
}

const nothing = async () => done({});

export function dueStep(r: DeploymentRecord, now: number): Step | null {
  switch (r.state) {
    case "INITIALIZING":
      return { next: "CREATING_CLUSTER", detail: () => "Adding the number to the WhatsApp Business Account", run: nothing };
    case "CREATING_CLUSTER":
      return {
        next: "CLUSTER_CREATED",
        detail: (x) => (x.autoRequestCode ? "Number added; sending the verification code" : "Number added; waiting for a verification code request"),
        async run(x, up) {
          const added = await up.addNumber(x);
          return added.ok ? done({ phoneNumberId: added.value.phoneNumberId }) : added;
        },
      };
    case "CLUSTER_CREATED":
      if (!r.autoRequestCode || r.otp.sentAt !== null) return null;
      return {
        next: "CODE_SENT",
        detail: (x) => `Verification code sent by ${x.method}`,
        async run(x, up) {
          const sent = await up.requestCode(x.phoneNumberId!, x.method, x.language);
          return sent.ok ? done({ otp: { sentAt: now, wrongAttempts: 0 } }) : sent;
        },
      };
    case "CODE_VERIFIED":
      return { next: "FINALIZING", detail: () => "Registering the number", run: nothing };
    case "FINALIZING":
      return {
        next: "READY",
        detail: () => "Deployment ready",
        async run(x, up, save) {
          if (!x.registered) {
            const registered = await up.register(x.phoneNumberId!, x.pin);
            if (!registered.ok) return registered;
            // Kept at once: Meta allows 10 registrations per 72 h, a retry must not spend another.
            save({ registered: true });
          }
          const subscribed = await up.subscribeApp(x.wabaId);
          return subscribed.ok ? done({}) : subscribed;
        },
      };
    case "DELETING":
      return {
        next: "DELETED",
        detail: () => "Deployment deleted",
        onPermanentFault: "DELETED",
        async run(x, up) {
          if (!x.registered || !x.phoneNumberId) return done({});
          const gone = await up.deregister(x.phoneNumberId);
          return gone.ok ? done({ registered: false }) : gone;
        },
      };
    default:
      return null;
  }
}
