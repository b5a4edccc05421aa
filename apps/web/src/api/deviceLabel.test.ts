import { describe, expect, it } from "vitest";
import { labelOfUserAgent, sessionName } from "./deviceLabel.js";

const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";

describe("device labels", () => {
  it("name a browser and its system", () => {
    expect(labelOfUserAgent(CHROME_LINUX)).toBe("Chrome on Linux");
    expect(labelOfUserAgent(SAFARI_IPHONE)).toBe("Safari on iOS");
  });

  it("read a session's stored user agent, cut as the relay keeps it, and leave other names alone", () => {
    expect(sessionName(CHROME_LINUX.slice(0, 64))).toBe("Browser on Linux");
    expect(sessionName(SAFARI_IPHONE.slice(0, 64))).toBe("Browser on iOS");
    expect(sessionName("node")).toBe("node");
    expect(sessionName(" ")).toBe("Unnamed session");
  });
});
