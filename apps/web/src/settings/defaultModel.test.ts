import type { ModelId } from "@botschat/model";
import { describe, expect, it } from "vitest";
import { effectiveDefaultModel } from "./defaultModel.js";

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
});
