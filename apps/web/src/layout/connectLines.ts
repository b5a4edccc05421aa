import { setupLines, shellQuote } from "@botschat/protocol";

/**
 * What a person pastes on the machine that should join their workspace with a new pairing token.
 * The OpenClaw lines are `setupLines()` from @botschat/protocol, the same ones `botschat-setup
 * --print` gives. The passphrase is never part of any line: the OpenClaw lines ask for it without
 * echo, the demo agent asks for it when it starts. The demo agent asks for the pairing token too
 * (and keeps it), so the token never stands in a shell's history or in `ps`.
 */
export interface ConnectLines {
  /** Install the plugin, configure the channel, ask for the passphrase, restart, check. */
  openclaw: string[];
  /** Runs the built-in demo agent from a BotsChat checkout, named as the person named the gateway. */
  demo: string;
}

/** Where the OpenClaw lines expect the plugin package: the folder built by `build:openclaw`. */
export const OPENCLAW_PLUGIN_PATH = "./botschat-openclaw";

/**
 * The connect lines for a relay, a pairing token and the gateway's name.
 *
 * @example
 * connectLines({ relayUrl: location.origin, pairingToken: "bc_pat_…", name: "Home gateway" }).openclaw.join("\n");
 */
export function connectLines(input: { relayUrl: string; pairingToken: string; name: string }): ConnectLines {
  return {
    openclaw: setupLines({ ...input, plugin: OPENCLAW_PLUGIN_PATH }),
    demo: `pnpm agent:demo --relay ${shellQuote(input.relayUrl)} --name ${shellQuote(input.name)}`,
  };
}
