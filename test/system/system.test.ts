import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../helpers";

const get = (path: string) => exports.default.fetch(`${BASE}${path}`);

describe("system routes", () => {
  it("GET / lists the mounted dialects and where the reference is", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body).toMatchObject({ name: "Tuma", version: "0.1.0", openapi: "/openapi.json", docs: "/docs" });
    expect(body.dialects).toContainEqual({ name: "toKABOLA", base: "/tokabola/v1/" });
  });

  it("GET /health answers 200 when D1 and KV answer", async () => {
    const res = await get("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", checks: { d1: "ok", kv: "ok" } });
  });

  it("GET /openapi.json is OpenAPI 3.1 generated from the zod schemas", async () => {
    const doc = await (await get("/openapi.json")).json<any>();
    expect(doc.openapi).toBe("3.1.0");
    const tokabola = doc.paths["/tokabola/v1"].post;
    const variants = tokabola.requestBody.content["application/json"].schema.anyOf;
    const signup = variants.find((v: any) => v.properties.type.enum[0] === "signup");
    expect(signup.properties.signup.required).toEqual(["name"]);
    expect(signup.properties.signup.properties.name.maxLength).toBe(100);
    expect(doc.paths["/api/v1/account/rotate-key"].post.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(doc.paths["/health"].get.responses["200"]).toBeDefined();
  });

  it("GET /openapi.json documents the money routes and toKABOLA's money actions", async () => {
    const doc = await (await get("/openapi.json")).json<any>();
    expect(doc.paths["/api/v1/wallets"].get.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(doc.paths["/api/v1/ledger"].get.responses["200"]).toBeDefined();
    expect(doc.paths["/api/v1/plans"].get).toBeDefined();
    expect(doc.paths["/api/v1/admin/plans"].get.security).toEqual([{ admin: [] }, { session: [] }]);
    expect(doc.paths["/api/v1/admin/plans/{code}"].put.requestBody).toBeDefined();
    expect(doc.paths["/webhooks/pawapay"].post.security).toEqual([]);
    const variants = doc.paths["/tokabola/v1"].post.requestBody.content["application/json"].schema.anyOf;
    const types = variants.map((v: any) => v.properties.type.enum[0]);
    expect(types).toEqual(expect.arrayContaining(["addfund", "verify", "solde"]));
    const addfund = variants.find((v: any) => v.properties.type.enum[0] === "addfund");
    expect(addfund.properties.addfund.required).toEqual(["from", "amount", "currency"]);
    expect(doc.paths["/tokabola/v1"].post.description).toContain("`renew`");
  });

  it("answers unknown paths with a native 404 carrying the request id", async () => {
    const res = await get("/nowhere");
    expect(res.status).toBe(404);
    expect((await res.json<any>()).error).toMatchObject({ code: "not_found", request_id: res.headers.get("X-Request-Id") });
  });
});
