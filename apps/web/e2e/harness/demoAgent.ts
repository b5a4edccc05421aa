import { spawnAgent, type AgentProcess } from "@botschat/agent-testkit";
import { tempDir } from "@botschat/relay-testkit";

/** Options of {@link startDemoAgent}. */
export interface DemoAgentOptions {
  relayUrl: string;
  /** A pairing token of the workspace's account (`bc_pat_…`). */
  token: string;
  passphrase: string;
  /** Pause between streamed tokens (ms); long enough that a person sees a reply grow. */
  delayMs?: number;
  name?: string;
}

/**
 * Starts `botschat-agent --demo` (the real bundle, in its own process, documents in a temp dir)
 * and resolves once it says it is live. The passphrase goes through the environment, as a person
 * would run it. Stop it with `stop()` (SIGTERM; it closes its storage and leaves).
 */
export async function startDemoAgent(opts: DemoAgentOptions): Promise<AgentProcess> {
  const agent = spawnAgent(
    [
      "--demo",
      "--relay",
      opts.relayUrl,
      "--token",
      opts.token,
      "--data",
      tempDir("botschat-e2e-agent-"),
      "--name",
      opts.name ?? "Demo agent",
      "--delay-ms",
      String(opts.delayMs ?? 15),
      "--connect-retries",
      "3",
    ],
    { BOTSCHAT_PASSPHRASE: opts.passphrase },
  );
  try {
    await agent.waitFor(/caught up — live/, 30_000);
  } catch (e) {
    await agent.kill9();
    throw e;
  }
  return agent;
}
