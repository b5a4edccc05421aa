import { beforeAll, describe, expect, it } from "vitest";
import { ready } from "../src/ready.js";
import { buildVectors } from "./buildVectors.js";

beforeAll(ready);

describe("test-vectors/v1.json", () => {
  // The committed file is the source of truth. After a deliberate format change, rewrite it with
  // `pnpm exec vitest run libs/crypto/test/vectorsFile.test.ts -u` and review the diff.
  it("is exactly what this implementation builds from the vectors' fixed inputs", async () => {
    const text = `${JSON.stringify(buildVectors(), null, 2)}\n`;
    await expect(text).toMatchFileSnapshot("../test-vectors/v1.json");
  });
});
