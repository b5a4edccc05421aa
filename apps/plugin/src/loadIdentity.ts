import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseId, type GatewayId } from "@botschat/model";

/** Who this agent is: its gateway id in the workspace and its run-id prefix. */
export interface AgentIdentity {
  gateway: GatewayId;
  /** Unique to the data directory; see `AgentPeerOptions.instance`. */
  instance: string;
}

/**
 * The identity kept in `<dataDir>/agent.json`, made on first use. `gateway` overrides the stored
 * gateway id (and is stored), so the same agent keeps answering its channels across restarts.
 */
export async function loadIdentity(dataDir: string, gateway?: string): Promise<AgentIdentity> {
  // The agent's documents and identity are its owner's alone.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, "agent.json");
  let stored: Partial<AgentIdentity> = {};
  try {
    stored = JSON.parse(await readFile(file, "utf8")) as Partial<AgentIdentity>;
  } catch {
    // First start, or an unreadable file: a new identity.
  }
  const wanted = gateway ?? stored.gateway ?? `demo-${randomBytes(6).toString("hex")}`;
  const id = parseId<GatewayId>(wanted);
  if (id === undefined) throw new Error(`a gateway id is 1–128 printable characters without spaces, not “${wanted}”`);
  const identity: AgentIdentity = { gateway: id, instance: stored.instance ?? randomBytes(6).toString("hex") };
  if (identity.gateway !== stored.gateway || identity.instance !== stored.instance) {
    await writeFile(`${file}.tmp`, JSON.stringify(identity, null, 2) + "\n", { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }
  return identity;
}
