import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { declaredRoutes } from "../../src/lib/openapi";

describe("the reference's request examples", () => {
  it("every example (the providers' own bodies) is accepted by its route's declared body schema", async () => {
    await exports.default.fetch("http://tuma.test/ping"); // the worker's modules, and so every declaration, are loaded
    const withExamples = declaredRoutes().filter((r) => r.body && r.examples);
    expect(withExamples.map((r) => r.operationId)).toEqual(
      expect.arrayContaining(["tokabola", "lamSendMessage", "engagelabSendMessage", "vonageProvisionDeployment"]),
    );
    for (const route of withExamples) {
      for (const [name, example] of Object.entries(route.examples!)) {
        const parsed = route.body!.safeParse(example.value);
        expect(parsed.success ? [] : parsed.error.issues, `${route.operationId} example ${name}`).toEqual([]);
      }
    }
  });
});
