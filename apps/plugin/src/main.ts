import { ConnectionState, type SyncStatus } from "@botschat/model";
import type { AgentPeer } from "./AgentPeer.js";
import { describeActivity } from "./describeActivity.js";
import { ExitCode } from "./ExitCode.js";
import { agentHelpText, parseAgentArgs } from "./parseAgentArgs.js";
import { forgetPairingToken, readPairingToken } from "./pairingToken.js";
import { readPassphrase } from "./readPassphrase.js";
import { startDemoAgent } from "./startDemoAgent.js";

const say = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const fail = (message: string, code: ExitCode): never => {
  process.stderr.write(`botschat-agent: ${message}\n`);
  process.exit(code);
};

/**
 * `botschat-agent --demo`: one line per thing a person wants to know (connected, caught up,
 * answering, reconnecting), a clear message and exit code for what it cannot fix by itself.
 * Unreachable relay: while it has never been reached, `--connect-retries` failed attempts end the
 * program (a wrong URL should fail fast); once connected, it reconnects for as long as it runs.
 */
async function main(): Promise<void> {
  const parsed = parseAgentArgs(process.argv.slice(2), process.env);
  if (!parsed.ok) return fail(`${parsed.message}\n\n${agentHelpText()}`, ExitCode.usage);
  const args = parsed.args;
  if (args.help) {
    process.stdout.write(agentHelpText());
    return;
  }
  if (!args.demo) return fail("only the demo agent runs on its own (--demo); the OpenClaw plugin runs inside OpenClaw", ExitCode.usage);
  const token = await readPairingToken({ given: args.token, file: args.tokenFile, dataDir: args.dataDir, tty: process.stdin.isTTY === true });
  if (!token.ok) return fail(token.message, ExitCode.usage);
  const pass = await readPassphrase(args.passphraseFile, process.env);
  if (!pass.ok) return fail(pass.message, ExitCode.usage);

  let everOpened = false;
  let failedAttempts = 0;
  // Set once the peer exists; a failed connection attempt may ask to shut down before that.
  const started: { peer?: AgentPeer } = {};
  let stopping = false;
  const shutdown = async (code: ExitCode): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await started.peer?.stop().catch(() => undefined);
    process.exit(code);
  };

  say(`connecting to ${args.relayUrl} as “${args.name}”`);
  const peer = await startDemoAgent({
    relayUrl: args.relayUrl,
    token: token.token,
    passphrase: pass.passphrase,
    dataDir: args.dataDir,
    name: args.name,
    delayMs: args.delayMs,
    ...(args.gatewayId === undefined ? {} : { gatewayId: args.gatewayId }),
    onSocket: (ws) => {
      let opened = false;
      ws.on("open", () => {
        opened = true;
        everOpened = true;
        failedAttempts = 0;
      });
      ws.on("close", () => {
        if (opened || stopping) return;
        failedAttempts += 1;
        if (!everOpened && failedAttempts > args.connectRetries) {
          process.stderr.write(`botschat-agent: cannot reach the relay at ${args.relayUrl} (${failedAttempts} attempts)\n`);
          void shutdown(ExitCode.unreachable);
        } else say(`relay unreachable (attempt ${failedAttempts}), retrying…`);
      });
    },
  });
  started.peer = peer;
  say(`gateway ${peer.gateway}, documents in ${args.dataDir}`);
  let last: SyncStatus["state"] | undefined;
  peer.on("status", (s) => {
    if (s.state === last) return;
    const was = last;
    last = s.state;
    if (s.state === ConnectionState.catchingUp) say("connected, catching up…");
    else if (s.state === ConnectionState.live) say("caught up — live, waiting for messages");
    else if (s.state === ConnectionState.offline && was !== undefined && was !== ConnectionState.connecting) {
      say(`connection lost${s.error ? ` (${s.error})` : ""} — reconnecting…`);
    }
  });
  // Channel and task names are the person's words: said on a terminal, not written into a kept log.
  const names = process.env["BOTSCHAT_LOG_NAMES"] === undefined ? process.stdout.isTTY === true : process.env["BOTSCHAT_LOG_NAMES"] === "1";
  peer.on("activity", (a) => {
    // A scheduled run says one line when it ends; a run asked for says when it starts too.
    if (a.type === "job-started" && a.trigger === "scheduled") return;
    say(describeActivity(a, names));
  });
  peer.on("failed", (f) => {
    process.stderr.write(`botschat-agent: ${f.message}\n`);
    const code = f.reason === "wrong-passphrase" ? ExitCode.wrongPassphrase : f.reason === "refused" ? ExitCode.tokenRefused : ExitCode.noVault;
    // A revoked token is of no more use: the next start asks for a new one.
    const revoked = f.reason === "refused" && peer.engine.getStatus().signedOut === true;
    void (revoked ? forgetPairingToken(args.dataDir) : Promise.resolve()).finally(() => void shutdown(code));
  });
  process.on("SIGINT", () => void shutdown(ExitCode.ok));
  process.on("SIGTERM", () => void shutdown(ExitCode.ok));
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e), ExitCode.internal));
