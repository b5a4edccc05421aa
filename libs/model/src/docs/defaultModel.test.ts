import { describe, expect, it } from "vitest";
import { effectiveDefaultModel } from "./defaultModel.js";
import type { ModelId } from "./ids.js";

const fast = "demo/fast" as ModelId;
const smart = "demo/smart" as ModelId;

describe("the default model a session answers with", () => {
  it("is the person's choice while the gateway offers it, else the gateway's own", () => {
    const gateway = { models: [{ id: fast }, { id: smart }], defaultModel: smart };
    expect(effectiveDefaultModel(gateway, fast)).toBe(fast);
    expect(effectiveDefaultModel(gateway, undefined)).toBe(smart);
    expect(effectiveDefaultModel(gateway, "demo/gone" as ModelId)).toBe(smart);
    expect(effectiveDefaultModel(undefined, fast)).toBeUndefined();
  });

  it("is none for a gateway that names no default of its own and offers nothing chosen", () => {
    expect(effectiveDefaultModel({ models: [{ id: smart }] }, fast)).toBeUndefined();
    expect(effectiveDefaultModel({ models: [] }, undefined)).toBeUndefined();
  });
});
