import { describe, expect, it } from "vitest";
import { ConfigError, helpText, parseArgs } from "./config.js";

const parse = (argv: string[], env: Record<string, string> = {}) => {
  const r = parseArgs(argv, env);
  if (r.help) throw new Error("unexpected help");
  return r.config;
};

describe("relay configuration", () => {
  it("[P3] uses the documented defaults", () => {
    const c = parse([]);
    expect(c.host).toBe("127.0.0.1");
    expect(c.port).toBe(8787);
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.frameLimit).toBe(16 * 1024 * 1024);
    expect(c.corsOrigins).toEqual([]);
  });

  it("[P3] lets flags win over the environment and the environment over defaults", () => {
    expect(parse([], { BOTSCHAT_PORT: "9000" }).port).toBe(9000);
    expect(parse(["--port", "0"], { BOTSCHAT_PORT: "9000" }).port).toBe(0);
    expect(parse(["--port=1234"]).port).toBe(1234);
    expect(parse(["--trust-proxy"]).trustProxy).toBe(1);
    expect(parse(["--trust-proxy", "2"]).trustProxy).toBe(2);
    expect(parse([]).trustProxy).toBe(0);
    expect(parse([], { BOTSCHAT_CORS_ORIGIN: "https://a.example, https://b.example" }).corsOrigins).toEqual(["https://a.example", "https://b.example"]);
  });

  it("[P3] refuses an unknown flag or a bad value with a one-line reason", () => {
    expect(() => parse(["--nope"])).toThrow(ConfigError);
    expect(() => parse(["--port", "70000"])).toThrow(/--port/);
    expect(() => parse(["--quota", "-1"])).toThrow(/positive whole number/);
    expect(() => parse(["--log-level", "loud"])).toThrow(/debug, info/);
    expect(() => parse([], { BOTSCHAT_FRAME_LIMIT: "lots" })).toThrow(/BOTSCHAT_FRAME_LIMIT/);
    expect(() => parse(["--data"])).toThrow(/needs a value/);
  });

  it("[N22] takes the registration mode from --registration or BOTSCHAT_REGISTRATION, open by default, and refuses any other", () => {
    expect(parse([]).registration).toBe("open");
    expect(parse(["--registration", "closed"]).registration).toBe("closed");
    expect(parse([], { BOTSCHAT_REGISTRATION: "invite" }).registration).toBe("invite");
    expect(parse(["--registration=open"], { BOTSCHAT_REGISTRATION: "closed" }).registration).toBe("open");
    expect(() => parse(["--registration", "invite-only"])).toThrow('--registration: expected one of open, closed, invite, got "invite-only"');
    expect(() => parse([], { BOTSCHAT_REGISTRATION: "Closed" })).toThrow(/BOTSCHAT_REGISTRATION: expected one of open, closed, invite/);
    expect(helpText()).toMatch(/--registration <value>\s+BOTSCHAT_REGISTRATION\s+default: open/);
  });

  it("[P3] lists every flag with its environment name and default in --help", () => {
    expect(parseArgs(["--help"], {})).toEqual({ help: true });
    const text = helpText();
    for (const [flag, env] of [
      ["--host", "BOTSCHAT_HOST"],
      ["--port", "BOTSCHAT_PORT"],
      ["--data", "BOTSCHAT_DATA_DIR"],
      ["--web", "BOTSCHAT_WEB_DIR"],
      ["--frame-limit", "BOTSCHAT_FRAME_LIMIT"],
      ["--quota", "BOTSCHAT_QUOTA"],
    ]) {
      expect(text).toContain(flag);
      expect(text).toContain(env);
    }
  });
});
