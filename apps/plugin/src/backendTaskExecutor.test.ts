import { describe, expect, it } from "vitest";
import { summaryOf } from "./backendTaskExecutor.js";

describe("summaryOf", () => {
  it("takes the first line with words, without markdown marks", () => {
    expect(summaryOf("\n## Demo reply\n\n- one")).toBe("Demo reply");
    expect(summaryOf("**Bold** start of `code`")).toBe("Bold start of code");
    expect(summaryOf("x".repeat(200))).toHaveLength(120);
  });
});
