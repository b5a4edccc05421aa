import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createTask,
  messageStatus,
  requestRun,
  retryMessage,
  sendMessage,
  str,
  winningRun,
  type ChannelDoc,
  type DocumentId,
  type JobLogDoc,
  type JobRecord,
  type MessageDoc,
  type TaskId,
} from "@botschat/model";
import { createPairingToken, json, register, tempDir } from "@botschat/relay-testkit";
import { relayForFile } from "./relayForFile.js";
import { ExitCode } from "../src/ExitCode.js";
import { spawnAgent, type AgentProcess } from "@botschat/agent-testkit";
import { channelWithSession, PASSPHRASE, repliesTo, startDevice, streamedJobs, streamedReplies, until, type Device } from "./workspace.js";

const fx = relayForFile();

function agent(token: string, opts: { dataDir?: string; passphrase?: string; args?: string[]; env?: Record<string, string> } = {}): AgentProcess {
  const p = spawnAgent(
    [
      "--demo",
      "--relay",
      fx.relay.url,
      "--data",
      opts.dataDir ?? tempDir("botschat-agent-"),
      "--gateway-id",
      "gw-cli",
      "--name",
      "CLI agent",
      ...(opts.args ?? []),
    ],
    { BOTSCHAT_PAIRING_TOKEN: token, BOTSCHAT_PASSPHRASE: opts.passphrase ?? PASSPHRASE, ...(opts.env ?? {}) },
  );
  fx.stops.push(() => p.stop());
  return p;
}

async function device(): Promise<Device> {
  const d = await startDevice(fx.relay.url);
  fx.stops.push(() => d.stop());
  return d;
}

/** Every job of a task the device holds, across its monthly logs. */
async function jobsOf(d: Device, channelDoc: DocumentId, task: TaskId): Promise<JobRecord[]> {
  const entry = (await d.engine.find<ChannelDoc>(channelDoc)).doc().tasks[task];
  const out: JobRecord[] = [];
  for (const doc of Object.values(entry?.jobLogs ?? {})) {
    if (d.engine.has(str(doc))) out.push(...Object.values((await d.engine.find<JobLogDoc>(str(doc))).doc().jobs));
  }
  return out;
}

describe("botschat-agent --demo", () => {
  it("killed with SIGKILL mid-reply and restarted, it leaves the reply interrupted, never answered twice", async () => {
    const d = await device();
    const dataDir = tempDir("botschat-agent-");
    const token = await d.pairingToken();
    const first = agent(token, { dataDir, args: ["--delay-ms", "40"] });
    await first.waitFor(/caught up/);
    const { channel, session } = await channelWithSession(d, "gw-cli");
    const sent = await sendMessage(d.engine, d.me, { channelDoc: channel.doc, session, text: "tell me a long story" });
    await until(() => streamedReplies(d, sent.message).some((s) => s.text !== ""), "the reply to start streaming");
    await first.kill9();

    const second = agent(token, { dataDir, args: ["--delay-ms", "0"] });
    await second.waitFor(/caught up/);
    const message = async () => (await d.engine.find<MessageDoc>(sent.doc)).doc().messages[sent.message]!;
    await until(async () => messageStatus(await message()) === "interrupted", "the interrupted mark");
    expect(str(winningRun(await message())!.error)).toMatch(/stopped before it finished/);

    // The restarted agent works, and by the time it has answered a newer message it still has not
    // answered the cut-off one a second time.
    const next = await sendMessage(d.engine, d.me, { channelDoc: channel.doc, session, text: "hello again" });
    await until(async () => (await repliesTo(d, next.doc, next.message)).length > 0, "the next reply");
    expect(await repliesTo(d, sent.doc, sent.message)).toEqual([]);
    expect(Object.keys((await message()).runs ?? {})).toHaveLength(1);
    expect(second.lines.join("\n")).toMatch(/marked a reply cut off by a stop as interrupted/);
    expect(first.lines.join("\n")).toMatch(/answering in Demo › First with demo\/smart…/);

    // The person retries the cut-off message: a new attempt, answered once.
    expect(await retryMessage(d.engine, d.me, { doc: sent.doc, message: sent.message })).toBe(true);
    await until(async () => messageStatus(await message()) === "answered", "the retried message answered");
    expect(await repliesTo(d, sent.doc, sent.message)).toHaveLength(1);
  });

  it("writing to a log (not a terminal), it says conversations and tasks by id, never by the names the person gave them", async () => {
    const d = await device();
    const p = agent(await d.pairingToken(), { env: { BOTSCHAT_LOG_NAMES: "0" } });
    await p.waitFor(/caught up/);
    const { channel, session } = await channelWithSession(d, { gateway: "gw-cli", name: "Secret plans", title: "Birthday surprise" });
    const sent = await sendMessage(d.engine, d.me, { channelDoc: channel.doc, session, text: "hello" });
    await until(async () => (await repliesTo(d, sent.doc, sent.message)).length > 0, "the reply");
    await p.waitFor(/answered in/);
    const out = p.lines.join("\n");
    expect(out).toMatch(/answering in \S+ with demo\/smart…/);
    expect(out).not.toMatch(/Secret plans|Birthday surprise/);
  });

  it("a job cut off by SIGKILL is finished as interrupted by the restarted agent, while a second live instance left it alone", async () => {
    const d = await device();
    const dataDir = tempDir("botschat-agent-");
    const first = agent(await d.pairingToken(), { dataDir, args: ["--delay-ms", "40"] });
    await first.waitFor(/caught up/);
    const { channel } = await channelWithSession(d, "gw-cli");
    const { task, doc } = await createTask(d.engine, d.me, {
      channelDoc: channel.doc,
      name: "Long",
      schedule: "every 1h",
      timezone: "UTC",
      prompt: "tell me a long story",
    });
    await first.waitFor(/task “Long” scheduled/);
    await requestRun(d.engine, d.me, { taskDoc: doc });
    await until(() => streamedJobs(d).some((s) => s.text !== ""), "the job's output to stream");

    // Another instance of the same gateway starts meanwhile: by the time it has scheduled the
    // task it has swept for dead jobs, and the running one is not dead.
    const other = agent(await d.pairingToken(), { args: ["--delay-ms", "40"] });
    await other.waitFor(/task “Long” scheduled/);
    const jobs = () => jobsOf(d, channel.doc, task);
    expect((await jobs()).map((j) => str(j.status))).toEqual(["running"]);
    const running = (await jobs())[0]!;
    expect(str(running.instance)).toBeDefined();

    await first.kill9();
    const again = agent(await d.pairingToken(), { dataDir });
    await again.waitFor(/marked a run cut off by a stop as interrupted/);
    await until(async () => (await jobs()).some((j) => str(j.status) === "error"), "the job finished as an error");
    const [job, ...more] = await jobs();
    expect(more).toEqual([]);
    expect(str(job!.error)).toMatch(/^interrupted/);
    expect(other.lines.join("\n")).not.toMatch(/cut off/);
  });

  it("stopped with SIGTERM mid-reply, it marks the reply interrupted before it exits with 0", async () => {
    const d = await device();
    const p = agent(await d.pairingToken(), { args: ["--delay-ms", "40"] });
    await p.waitFor(/caught up/);
    const { channel, session } = await channelWithSession(d, "gw-cli");
    const sent = await sendMessage(d.engine, d.me, { channelDoc: channel.doc, session, text: "tell me a long story" });
    await until(() => streamedReplies(d, sent.message).length > 0, "the reply to start streaming");
    await p.stop();
    expect(await p.exited).toBe(ExitCode.ok);
    const message = async () => (await d.engine.find<MessageDoc>(sent.doc)).doc().messages[sent.message]!;
    await until(async () => messageStatus(await message()) === "interrupted", "the interrupted mark");
    expect(str(winningRun(await message())!.error)).toBe("The agent was stopped.");
  });

  it("exits with 2 and says so when the passphrase is wrong", async () => {
    const d = await device();
    const p = agent(await d.pairingToken(), { passphrase: "not the passphrase" });
    expect(await p.exited).toBe(ExitCode.wrongPassphrase);
    expect(p.lines.join("\n")).toMatch(/stderr: botschat-agent: The passphrase does not open/);
  });

  it("exits with 3 when its pairing token is revoked while it runs", async () => {
    const d = await device();
    const created = await createPairingToken(fx.relay.url, d.session);
    const p = agent(created.token);
    await p.waitFor(/caught up/);
    expect((await json(fx.relay.url, `/api/pairing-tokens/${created.id}`, { method: "DELETE", token: d.session })).status).toBe(204);
    expect(await p.exited).toBe(ExitCode.tokenRefused);
    expect(p.lines.join("\n")).toMatch(/stderr: botschat-agent: .*revoked/);
  });

  it("exits with 4 when the workspace has no vault yet", async () => {
    const { token } = await register(fx.relay.url);
    const p = agent((await createPairingToken(fx.relay.url, token)).token);
    expect(await p.exited).toBe(ExitCode.noVault);
    expect(p.lines.join("\n")).toMatch(/no vault yet/);
  });

  it("exits with 5 after its connection attempts when the relay cannot be reached, showing each retry", async () => {
    const p = spawnAgent(["--demo", "--relay", "http://127.0.0.1:9", "--data", tempDir("botschat-agent-"), "--connect-retries", "1"], {
      BOTSCHAT_PAIRING_TOKEN: "bc_pat_00000000000000000000000000000000",
      BOTSCHAT_PASSPHRASE: PASSPHRASE,
    });
    fx.stops.push(() => p.stop());
    expect(await p.exited).toBe(ExitCode.unreachable);
    expect(p.lines.join("\n")).toMatch(/relay unreachable \(attempt 1\), retrying/);
    expect(p.lines.join("\n")).toMatch(/cannot reach the relay at http:\/\/127\.0\.0\.1:9/);
  });

  it("asks for the passphrase on its terminal without echoing it, then works; Ctrl-C stops it with 0", async () => {
    const d = await device();
    const p = spawnAgent(
      ["--demo", "--relay", fx.relay.url, "--data", tempDir("botschat-agent-"), "--gateway-id", "gw-tty", "--name", "TTY agent"],
      { BOTSCHAT_PAIRING_TOKEN: await d.pairingToken(), BOTSCHAT_PASSPHRASE: "" },
      { terminal: true },
    );
    fx.stops.push(() => p.stop());
    await p.waitFor(/Workspace passphrase: $/);
    // A slip corrected with backspace, then the passphrase and Enter, as a person types it.
    p.type(`q\u007f${PASSPHRASE}\r`);
    await p.waitFor(/caught up/);
    const output = p.lines.join("\n");
    expect(output).not.toContain(PASSPHRASE);
    expect(output).not.toContain("plugin test");
    p.type("\u0003");
    expect(await p.exited).toBe(ExitCode.ok);
  });

  it("asks for the pairing token on its terminal without echo and keeps it (0600) in its data dir: the next start needs none, and a revoked one is forgotten", async () => {
    const d = await device();
    const created = await createPairingToken(fx.relay.url, d.session);
    const dataDir = tempDir("botschat-agent-");
    const args = ["--demo", "--relay", fx.relay.url, "--data", dataDir, "--gateway-id", "gw-kept", "--name", "Kept token"];
    const first = spawnAgent(args, { BOTSCHAT_PASSPHRASE: PASSPHRASE, BOTSCHAT_PAIRING_TOKEN: "" }, { terminal: true });
    fx.stops.push(() => first.stop());
    await first.waitFor(/Pairing token \(from the web app\): $/);
    first.type(`${created.token}\r`);
    await first.waitFor(/caught up/);
    expect(first.lines.join("\n")).not.toContain(created.token);
    first.type("\u0003");
    expect(await first.exited).toBe(ExitCode.ok);
    const kept = join(dataDir, "pairing-token");
    expect(readFileSync(kept, "utf8")).toBe(`${created.token}\n`);
    expect(statSync(kept).mode & 0o777).toBe(0o600);

    // No token given anywhere, no terminal: the kept one is used.
    const second = spawnAgent(args, { BOTSCHAT_PASSPHRASE: PASSPHRASE, BOTSCHAT_PAIRING_TOKEN: "" });
    fx.stops.push(() => second.stop());
    await second.waitFor(/caught up/);
    expect((await json(fx.relay.url, `/api/pairing-tokens/${created.id}`, { method: "DELETE", token: d.session })).status).toBe(204);
    expect(await second.exited).toBe(ExitCode.tokenRefused);
    expect(existsSync(kept)).toBe(false);
  });

  it("reads the pairing token from the first line of --token-file", async () => {
    const d = await device();
    const file = join(tempDir("botschat-token-"), "token");
    writeFileSync(file, `${await d.pairingToken()}\n`, { mode: 0o600 });
    const p = agent("", { args: ["--token-file", file] });
    await p.waitFor(/caught up/);
  });

  it("reads the passphrase from the first line of --passphrase-file", async () => {
    const d = await device();
    const file = join(tempDir("botschat-pass-"), "passphrase");
    writeFileSync(file, `${PASSPHRASE}\nignored second line\n`, { mode: 0o600 });
    const p = agent(await d.pairingToken(), { passphrase: "", args: ["--passphrase-file", file] });
    await p.waitFor(/caught up/);
  });

  it("without a terminal, a file or the variable, it says how to give the passphrase and exits with the usage code", async () => {
    const p = spawnAgent(["--demo", "--relay", fx.relay.url, "--data", tempDir("botschat-agent-")], {
      BOTSCHAT_PAIRING_TOKEN: "bc_pat_00000000000000000000000000000000",
      BOTSCHAT_PASSPHRASE: "",
    });
    expect(await p.exited).toBe(ExitCode.usage);
    expect(p.lines.join("\n")).toMatch(/--passphrase-file <path> or BOTSCHAT_PASSPHRASE, or run in a terminal/);
  });

  it("refuses a passphrase given as a flag", async () => {
    const p = spawnAgent(["--demo", "--passphrase", "secret"]);
    expect(await p.exited).toBe(ExitCode.usage);
    expect(p.lines.join("\n")).toMatch(/never a flag/);
  });
});
