import { describe, expect, it } from "vitest";
import { logAsText, logFileName, timeWithMs } from "./logText.js";

const at = new Date(2024, 4, 1, 14, 3, 7, 41).getTime();

describe("log as text", () => {
  it("gives times to the millisecond", () => {
    expect(timeWithMs(at)).toBe("14:03:07.041");
  });

  it("writes one line per entry, with date, time and category", () => {
    expect(
      logAsText([
        { ts: at, cat: "WS", msg: "connecting" },
        { ts: at + 1, cat: "WRN", msg: "socket closed: 1006" },
      ]),
    ).toBe("2024-05-01 14:03:07.041 WS  connecting\n2024-05-01 14:03:07.042 WRN socket closed: 1006\n");
    expect(logAsText([])).toBe("");
  });

  it("names a saved file after the time it was saved", () => {
    expect(logFileName(at)).toBe("botschat-debug-log-2024-05-01-140307.txt");
  });
});
