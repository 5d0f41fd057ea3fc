import { describe, expectTypeOf, it } from "vitest";
import type { ErrorDetails, ErrorReason, FieldIssue, FieldIssueKind } from "../../src/lib/errors";

// Checked by `npm run typecheck`: these assertions are types, not runtime values.
describe("error reasons and field-issue kinds are closed sets", () => {
  it("TypeScript refuses a reason it does not know", () => {
    expectTypeOf<ErrorDetails["reason"]>().toEqualTypeOf<ErrorReason | undefined>();
    expectTypeOf<"number_not_ready">().toExtend<ErrorReason>();
    expectTypeOf<"some_new_reason">().not.toExtend<ErrorReason>();
    expectTypeOf<string>().not.toExtend<ErrorReason>();
  });

  it("every field issue has a kind, and TypeScript refuses a kind it does not know", () => {
    expectTypeOf<FieldIssue["kind"]>().toEqualTypeOf<FieldIssueKind>();
    expectTypeOf<"required">().toExtend<FieldIssueKind>();
    expectTypeOf<"Unrecognized key">().not.toExtend<FieldIssueKind>();
    expectTypeOf<{ field: string; reason: string }>().not.toExtend<FieldIssue>();
  });
});
