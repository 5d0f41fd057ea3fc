import * as z from "zod";
import { simulateInbound } from "../../core/inbound/sandbox";
import { AppError, unwrap } from "../../lib/errors";
import { json } from "../../lib/http";
import { declareRoute } from "../../lib/openapi";
import { requireAccount } from "../bearer";
import { NativeErrorSchema } from "../native/errors";
import { sandboxRouter } from "./router";

const media = z.looseObject({ caption: z.string().max(1024).optional(), mime_type: z.string().optional(), id: z.string().optional() });

/** One of Meta's inbound types (reference §6.5), in Meta's shape; `text` may also be a plain string. */
const CONTENT = {
  text: z.union([z.string().min(1).max(4096).transform((body) => ({ body })), z.object({ body: z.string().min(1).max(4096) })]),
  image: media,
  video: media,
  audio: media.extend({ voice: z.boolean().optional() }),
  document: media.extend({ filename: z.string().optional() }),
  sticker: media.extend({ animated: z.boolean().optional() }),
  location: z.looseObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }),
  contacts: z.array(z.looseObject({ name: z.looseObject({ formatted_name: z.string() }) })).min(1),
  interactive: z.looseObject({ type: z.enum(["button_reply", "list_reply"]) }),
  button: z.object({ payload: z.string(), text: z.string() }),
  reaction: z.object({ message_id: z.string(), emoji: z.string() }),
  order: z.looseObject({ catalog_id: z.string(), product_items: z.array(z.looseObject({})) }),
  system: z.looseObject({ body: z.string() }),
  unsupported: z.looseObject({ type: z.string() }),
} as const;
type ContentType = keyof typeof CONTENT;
const TYPES = Object.keys(CONTENT) as ContentType[];

const SimulatedMessage = z
  .looseObject({
    phone_number_id: z.string().regex(/^\d{5,20}$/),
    from: z.string().transform((v) => v.replace(/[\s+()-]/g, "")).pipe(z.string().regex(/^\d{8,15}$/, "must be an international number")),
    name: z.string().max(200).optional(),
    context_message_id: z.string().optional().describe("The wamid of the business message this replies to"),
    ...Object.fromEntries(TYPES.map((t) => [t, CONTENT[t].optional()])),
  })
  .refine((b) => TYPES.filter((t) => b[t] !== undefined).length === 1, `must have exactly one of ${TYPES.join(", ")}`);

const Simulated = z.object({ wamid: z.string(), status: z.literal("stored") });

const inboundRoute = declareRoute({
  method: "post",
  path: "/sandbox/inbound",
  operationId: "simulateInboundMessage",
  tag: "Sandbox",
  summary: "A customer writes to one of your sandbox numbers (or to the shared sandbox sender)",
  description:
    "Builds the Meta webhook payload a real message would produce, signs it with the app secret and hands it to the same intake as /webhooks/meta: the message is recorded, opens the 24-hour window and reaches your webhooks. Give exactly one of text, image, video, audio, document, sticker, location, contacts, interactive, button, reaction, order, system, unsupported (Meta's shapes; media get an id).",
  security: "bearer",
  body: SimulatedMessage,
  responses: {
    202: { description: "Stored; processed and delivered from the queues", schema: Simulated },
    400: { description: "Invalid message", schema: NativeErrorSchema },
    403: { description: "Not a sandbox number", schema: NativeErrorSchema },
    404: { description: "Not a number of this account", schema: NativeErrorSchema },
  },
});
sandboxRouter.post("/inbound", async (request, rc) => {
  const accountId = await requireAccount(request, rc);
  const body = (await inboundRoute.read(request)).body as Record<string, unknown> & z.output<typeof SimulatedMessage>;
  const type = TYPES.find((t) => body[t] !== undefined);
  if (!type) throw new AppError("invalid_request", "No message content");
  const result = unwrap(
    await simulateInbound(rc.core, accountId, {
      phoneNumberId: body.phone_number_id,
      from: body.from,
      name: body.name ?? null,
      type,
      content: body[type],
      contextId: body.context_message_id,
    }),
  );
  return json({ wamid: result.wamid, status: "stored" }, 202);
});
