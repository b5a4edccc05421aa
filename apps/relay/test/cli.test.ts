import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CloseCode } from "@botschat/protocol";
import {
  json,
  newAppendId,
  openSynced,
  randomBody,
  randomStream,
  register,
  type RelayProcess,
  runRelayCli,
  startRelay,
  SyncClient,
  tempDir,
} from "@botschat/relay-testkit";

/** Every flag of docs/specification.md section 1 and docs/protocol.md, with its env name and default. */
const FLAGS: Array<[flag: string, env: string, defaultValue: string]> = [
  ["--host", "BOTSCHAT_HOST", "127.0.0.1"],
  ["--port", "BOTSCHAT_PORT", "8787"],
  ["--data", "BOTSCHAT_DATA_DIR", "./data"],
  ["--web", "BOTSCHAT_WEB_DIR", "apps/web/dist"],
  ["--cors-origin", "BOTSCHAT_CORS_ORIGIN", "none"],
  ["--log-level", "BOTSCHAT_LOG_LEVEL", "info"],
  ["--trust-proxy", "BOTSCHAT_TRUST_PROXY", "off"],
  ["--registration", "BOTSCHAT_REGISTRATION", "open"],
  ["--frame-limit", "BOTSCHAT_FRAME_LIMIT", "16777216"],
  ["--hello-frame-limit", "BOTSCHAT_HELLO_FRAME_LIMIT", "4096"],
  ["--sockets-per-address", "BOTSCHAT_SOCKETS_PER_ADDRESS", "32"],
  ["--sockets-per-user", "BOTSCHAT_SOCKETS_PER_USER", "64"],
  ["--eph-buffer", "BOTSCHAT_EPH_BUFFER", "1048576"],
  ["--blob-limit", "BOTSCHAT_BLOB_LIMIT", "104857600"],
  ["--quota", "BOTSCHAT_QUOTA", "1073741824"],
  ["--append-rate", "BOTSCHAT_APPEND_RATE", "1000"],
  ["--append-burst", "BOTSCHAT_APPEND_BURST", "4000"],
  ["--eph-rate", "BOTSCHAT_EPH_RATE", "500"],
  ["--eph-burst", "BOTSCHAT_EPH_BURST", "1000"],
  ["--auth-rate", "BOTSCHAT_AUTH_RATE", "10"],
  ["--hello-timeout", "BOTSCHAT_HELLO_TIMEOUT", "10000"],
  ["--bad-frames", "BOTSCHAT_BAD_FRAMES", "20"],
];

/** The limits of docs/specification.md 3.3 ([E3]). */
const LIMIT_FLAGS =
  /^--(frame-limit|hello-frame-limit|sockets-per-address|sockets-per-user|eph-buffer|blob-limit|quota|append-rate|append-burst|eph-rate|eph-burst|auth-rate|hello-timeout|bad-frames)$/;

const started: RelayProcess[] = [];
async function relay(...a: Parameters<typeof startRelay>): Promise<RelayProcess> {
  const r = await startRelay(...a);
  started.push(r);
  return r;
}
afterAll(async () => {
  await Promise.all(started.map((r) => r.kill9()));
});

/** Combined output of a CLI run, as trimmed non-empty lines. */
const outputLines = (r: { stdout: string; stderr: string }) =>
  (r.stdout + r.stderr)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

describe("botschat-relay command line", () => {
  it("[P1] prints the listening line at every log level, even warn, error and silent", async () => {
    for (const level of ["warn", "error", "silent"]) {
      const r = await startRelay({ args: ["--log-level", level] });
      try {
        expect(r.logs.filter((l) => l.includes(`listening on http://127.0.0.1:${r.port}`))).toHaveLength(1);
      } finally {
        await r.stop();
      }
    }
  });

  it("[P1] prints one JSON log line containing listening on http://HOST:PORT with the real port", async () => {
    const r = await relay();
    expect(r.port).toBeGreaterThan(0);
    expect(r.port).not.toBe(8787);
    const line = r.logs.find((l) => l.includes("listening on http://"));
    expect(line).toContain(`listening on http://127.0.0.1:${r.port}`);
    expect(r.logs.filter((l) => l.includes("listening on http://"))).toHaveLength(1);
    const parsed = JSON.parse(line!) as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: "info" });
    expect(typeof parsed["ts"]).toBe("string");
    const health = await json(r.url, "/api/health");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true });
    expect(typeof health.body.version).toBe("string");
  });

  it("[P2] SIGTERM closes open sockets with 1001 and exits 0, keeping every acked entry", async () => {
    const dataDir = tempDir();
    const r = await relay({ dataDir });
    const user = await register(r.url);
    const { client } = await openSynced(r.wsUrl, user.token);
    const idle = await SyncClient.connect(r.wsUrl); // not yet helloed: also closed
    const stream = randomStream();
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) seqs.push(await client.appendAck({ id: newAppendId(), stream, body: randomBody() }));
    const exit = await r.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect((await client.waitClosed(1_000)).code).toBe(CloseCode.goingAway);
    expect((await idle.waitClosed(1_000)).code).toBe(CloseCode.goingAway);

    const again = await relay({ dataDir });
    const { entries } = await openSynced(again.wsUrl, user.token);
    expect(entries.map((e) => e.seq)).toEqual(seqs);
  });

  it("[P2] SIGINT exits 0 as well", async () => {
    const r = await relay();
    const user = await register(r.url);
    const { client } = await openSynced(r.wsUrl, user.token);
    r.proc.kill("SIGINT");
    expect(await r.exited).toEqual({ code: 0, signal: null });
    expect((await client.waitClosed(1_000)).code).toBe(CloseCode.goingAway);
  });

  it("[P3] --help lists every flag with its env name and default, and exits 0", async () => {
    const out = await runRelayCli(["--help"]);
    expect(out.code).toBe(0);
    const help = out.stdout + out.stderr;
    for (const [i, [flag, env, def]] of FLAGS.entries()) {
      const start = help.indexOf(flag);
      expect(start, `${flag} is listed`).toBeGreaterThanOrEqual(0);
      // The part of the help between this flag and the next describes it.
      const nextFlag = FLAGS[i + 1]?.[0];
      const end = nextFlag === undefined ? help.length : help.indexOf(nextFlag, start + flag.length);
      const section = help.slice(start, end > start ? end : help.length);
      expect(section, `${flag} names ${env}`).toContain(env);
      expect(section, `${flag} shows its default`).toContain(def);
    }
  });

  it.each([
    [["--no-such-flag"], "--no-such-flag"],
    [["--port", "eighty"], "--port"],
    [["--port", "70000"], "--port"],
    [["--frame-limit", "-5"], "--frame-limit"],
    [["--log-level", "loud"], "--log-level"],
    [["--append-rate", "1.5"], "--append-rate"],
    [["--registration", "invite-only"], "--registration"],
  ])("[P3] %j exits 2 with a one-line reason naming the flag", async (args, named) => {
    const out = await runRelayCli([...args, "--data", tempDir()]);
    expect(out.code).toBe(2);
    const lines = outputLines(out);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(named);
  });

  it("[E3] docs/protocol.md documents every limit with its flag, env name and default", () => {
    const doc = readFileSync(fileURLToPath(new URL("../../../docs/protocol.md", import.meta.url)), "utf8");
    for (const [flag, env] of FLAGS.filter(([f]) => LIMIT_FLAGS.test(f))) {
      expect(doc, flag).toContain(`\`${flag}\``);
      // The burst variables are written as `_BURST` next to their rate.
      expect(doc.includes(env) || (env.endsWith("_BURST") && doc.includes("`_BURST`")), env).toBe(true);
    }
    for (const def of ["16 MiB", "100 MiB", "1 GiB", "1000 / 4000", "500 / 1000", "10 000 ms"]) expect(doc).toContain(def);
  });

  it("[P3] a bad value in the environment exits 2 with a one-line reason naming the variable", async () => {
    const out = await runRelayCli(["--port", "0", "--data", tempDir()], { BOTSCHAT_QUOTA: "lots" });
    expect(out.code).toBe(2);
    const lines = outputLines(out);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("BOTSCHAT_QUOTA");
  });

  it("[P3] limits are read from the environment", async () => {
    const r = await relay({ env: { BOTSCHAT_FRAME_LIMIT: "1024", BOTSCHAT_HELLO_TIMEOUT: "300" } });
    const user = await register(r.url);
    const { client } = await openSynced(r.wsUrl, user.token);
    const id = newAppendId();
    const answer = await client.append({ id, stream: randomStream(), body: randomBody(1500) });
    expect(answer).toMatchObject({ t: "error", code: "too_large", id });
    const silent = await SyncClient.connect(r.wsUrl);
    expect((await silent.waitClosed(3_000)).code).toBe(CloseCode.helloTimeout);
  });

  it("[P3] a flag wins over its environment variable", async () => {
    const r = await relay({
      env: { BOTSCHAT_FRAME_LIMIT: "1024", BOTSCHAT_HOST: "203.0.113.1" },
      args: ["--frame-limit", "1000000", "--host", "127.0.0.1"],
    });
    const user = await register(r.url);
    const { client } = await openSynced(r.wsUrl, user.token);
    const answer = await client.append({ id: newAppendId(), stream: randomStream(), body: randomBody(1500) });
    expect(answer.t).toBe("ack");
  });
});

describe("pnpm start", () => {
  it("[P1] passes its flags through to the relay, which prints the port it listens on", async () => {
    const root = fileURLToPath(new URL("../../..", import.meta.url));
    const data = tempDir();
    const proc = spawn("pnpm", ["start", "--port", "0", "--data", data], { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`no listening line in:\n${out}`)), 60_000);
        proc.stdout!.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
        proc.once("exit", () => reject(new Error(`pnpm start exited:\n${out}`)));
      });
      expect((await json(url, "/api/health")).body).toMatchObject({ ok: true });
      expect(readdirSync(data)).toContain("relay.db");
    } finally {
      process.kill(-proc.pid!, "SIGTERM");
    }
  });
});
