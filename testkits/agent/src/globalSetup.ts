import relaySetup, { buildOnce, setRunEnv } from "@botschat/relay-testkit/globalSetup";
import { agentDir } from "@botschat/relay-testkit";

/**
 * The relay's setup (its bundle, the per-run temp folder), then the `botschat-agent` bundle, run
 * from a private copy beside `dist/` so a concurrent rebuild cannot pull it away. Each is built
 * once per run, however many projects use this setup.
 */
export default function setup(): () => void {
  const relayTeardown = relaySetup();
  setRunEnv("BOTSCHAT_AGENT_MAIN", buildOnce(agentDir()));
  return relayTeardown;
}
