import { inject } from "vitest";
import { channelWithSession as channelOn, startDevice as startWorkspaceDevice, until as waitUntil, type Device } from "../test/workspace.js";
import { findRuntime } from "./runtime.js";
import { cli, homeIn, type OpenClawHome } from "./gateway.js";

export { FAST_VAULT, PASSPHRASE, repliesTo, streamedJobs, streamedReplies, type Device } from "../test/workspace.js";

/** The gateway id the plugin is configured with. */
export const GATEWAY_ID = "gw-openclaw";

/** What the global setup hands to the tests. */
export interface SuiteContext {
  root: string;
  port: number;
  relayUrl: string;
  /** POST `/relay/stop` or `/relay/start` here to stop the relay or start it again (same port and data). */
  relayControlUrl: string;
  /** The account's session token (a device signs in with it). */
  session: string;
  mockUrl: string;
  backendToken: string;
  tarball: string;
  /** The built plugin package (what was packed). */
  packageDir: string;
}

/** The suite's context and its OpenClaw home. */
export function suite(): SuiteContext & { home: OpenClawHome; cli: (args: string[]) => Promise<string> } {
  const ctx = inject("openclaw");
  const home = homeIn(ctx.root, findRuntime(), ctx.port);
  return { ...ctx, home, cli: (args) => cli(home, args) };
}

/** Waits until `cond` holds; the suite's default patience is longer (a real gateway). */
export const until = (cond: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> => waitUntil(cond, what, ms);

/** The person's device: another device of the suite's account, live, recording eph frames. */
export const startDevice = (): Promise<Device> => {
  const { relayUrl, session } = suite();
  return startWorkspaceDevice(relayUrl, { session });
};

/** Waits for the OpenClaw gateway to publish, then makes a channel on its `main` agent with one session. */
export const channelWithSession = (device: Device, title = "First") =>
  channelOn(device, { gateway: GATEWAY_ID, agentId: "main", name: `OpenClaw ${title}`, title, publishMs: 60_000 });

/** The requests the mock model has seen. */
export async function modelRequests(): Promise<import("./mockModel.js").MockRequest[]> {
  return (await (await fetch(`${suite().mockUrl}/__requests`)).json()) as import("./mockModel.js").MockRequest[];
}
