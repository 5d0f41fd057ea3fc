import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createTumaClient } from "../../clients/typescript/src";
import { BASE, uniqueName } from "../helpers";
import { sinkKey, sinkLog } from "../inbound/harness";
import { recipient } from "../messages/helpers";

/** The generated client, talking to this worker: every call is typed from clients/typescript/openapi.json. */
const clientFor = (token?: string) => createTumaClient({ baseUrl: BASE, token, fetch: (request: Request) => exports.default.fetch(request) });

describe("the generated TypeScript client (clients/typescript)", () => {
  it("signs up, gets a token, sends a sandbox text and reads the message back with its statuses, all through typed calls", async () => {
    const anonymous = clientFor();
    const created = await anonymous.POST("/tokabola/v1", { body: { type: "signup", signup: { name: uniqueName("Client") } } });
    expect(created.response.status).toBe(201);
    const account = created.data!.data as { id_user: string; key_user: string };

    const issued = await anonymous.POST("/tokabola/v1", { body: { type: "token", token: { id_user: account.id_user, key_user: account.key_user } } });
    expect(issued.error).toBeUndefined();
    const client = clientFor((issued.data!.data as { token: string }).token);

    const key = sinkKey();
    const endpoint = await client.POST("/api/v1/webhooks", { body: { url: `https://hooks.sink.test/${key}/ok` } });
    expect(endpoint.data?.format).toBe("native");

    const to = recipient();
    const sent = await client.POST("/tokabola/v1", { body: { type: "assistance", assistance: { method: "text", server: "SANDBOX", to, body: "Bonjour" } } });
    expect(sent.error).toBeUndefined();
    const message = sent.data!.data as { message_id: string; status: string };
    expect(message).toMatchObject({ message_id: expect.stringMatching(/^wamid\./), status: "accepted" });

    // The sandbox reports sent, delivered, read as Meta would; each reaches the endpoint as a webhook delivery.
    const statuses = await vi.waitFor(
      async () => {
        const page = await client.GET("/api/v1/deliveries", { params: { query: { endpoint_id: endpoint.data!.id, limit: 50 } } });
        const found: string[] = [];
        for (const d of page.data!.deliveries.filter((d) => d.event_type === "message.status")) {
          const one = await client.GET("/api/v1/deliveries/{id}", { params: { path: { id: d.id } } });
          const status = one.data!.event.status as { wamid: string; status: string };
          if (status.wamid === message.message_id) found.push(status.status);
        }
        if (!found.includes("read")) throw new Error(`statuses so far: ${found.join(", ")}`);
        return found;
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(statuses.sort()).toEqual(["delivered", "read", "sent"]);
    expect((await sinkLog(key)).length).toBeGreaterThanOrEqual(3);

    // The message itself, read back by its wamid: its status and timeline.
    const read = await client.GET("/api/v1/messages/{id}", { params: { path: { id: message.message_id } } });
    expect(read.error).toBeUndefined();
    expect(read.data).toMatchObject({ wamid: message.message_id, direction: "outbound", status: "read" });
    expect(read.data!.timeline.map((t) => t.status)).toEqual(expect.arrayContaining(["sent", "delivered", "read"]));
  });

  it("answers a wrong input with the dialect's error, typed as that route's error schema", async () => {
    const { error, response } = await clientFor().POST("/tokabola/v1", { body: { type: "token", token: { id_user: "0", key_user: "wrong" } } });
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ status: "error", code: 1004 });
  });
});
