import {
  ConnectionState,
  createChannel,
  createSession,
  gatewaysOf,
  openRoot,
  str,
  type AgentId,
  type DeviceActor,
  type DeviceId,
  type DocumentId,
  type GatewayId,
  type MessageRecord,
  type SyncEngine,
} from "@botschat/model";
import { createPairingToken, register, uniqueEmail } from "@botschat/relay-testkit";
import { startBenchEngine, waitFor } from "@botschat/model/testkit";

/** The passphrase of seeded workspaces. */
export const PASSPHRASE = "e2e correct horse battery staple";
/** The account password of seeded workspaces. */
export const PASSWORD = "e2e account password 1";

/** An account with a workspace made by a Node device, which stays connected to watch it. */
export interface SeededWorkspace {
  email: string;
  password: string;
  passphrase: string;
  /** The account's session token (REST). */
  session: string;
  /** A Node device of the account (libs/model's engine, memory storage), live. */
  observer: SyncEngine;
  me: DeviceActor;
  /** A new pairing token of the account. */
  pairingToken(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Registers an account over REST and creates its vault from a Node device (libsodium's minimum
 * Argon2id cost, so unlocking in the browser takes milliseconds), the way a first device would.
 */
export async function seedWorkspace(relayUrl: string, tag = "e2e"): Promise<SeededWorkspace> {
  const email = uniqueEmail(tag);
  const { token } = await register(relayUrl, email, PASSWORD);
  const observer = await startBenchEngine(relayUrl, token, { debounceMs: 5 });
  await observer.unlock(PASSPHRASE);
  await waitFor([observer], () => observer.getStatus().state === ConnectionState.live, "the seeding device live", 20_000);
  return {
    email,
    password: PASSWORD,
    passphrase: PASSPHRASE,
    session: token,
    observer,
    me: { device: "d_e2eobserver0001" as DeviceId },
    pairingToken: async () => (await createPairingToken(relayUrl, token, "e2e demo agent")).token,
    stop: () => observer.stop(),
  };
}

/** Waits until a gateway has published itself in the workspace root; returns its id. */
export async function waitForGateway(ws: SeededWorkspace, timeoutMs = 20_000): Promise<GatewayId> {
  let found: GatewayId | undefined;
  await waitFor(
    [ws.observer],
    async () => {
      found = gatewaysOf((await openRoot(ws.observer)).doc())[0]?.id as GatewayId | undefined;
      return found !== undefined;
    },
    "a gateway in the workspace",
    timeoutMs,
  );
  return found!;
}

/** Creates a channel bound to the demo agent of `gateway`, with one session, from the Node device. */
export async function seedChannel(ws: SeededWorkspace, gateway: GatewayId, name: string, sessionTitle = "General"): Promise<void> {
  const channel = await createChannel(ws.observer, ws.me, { name, gateway, agentId: "demo" as AgentId });
  await createSession(ws.observer, ws.me, { channelDoc: channel.doc, title: sessionTitle });
  await ws.observer.whenIdle();
}

/** Every message the Node device holds, in every session page and thread. */
export async function allMessages(ws: SeededWorkspace): Promise<MessageRecord[]> {
  const out: MessageRecord[] = [];
  for (const id of ws.observer.documentIds() as DocumentId[]) {
    const doc = (await ws.observer.find<{ messages?: Record<string, MessageRecord> }>(id)).doc();
    if (doc?.messages !== undefined) out.push(...Object.values(doc.messages));
  }
  return out;
}

/** The agent replies to the person's message(s) with exactly this text, as the Node device sees them. */
export async function agentRepliesTo(ws: SeededWorkspace, text: string): Promise<{ asked: number; replies: number }> {
  const all = await allMessages(ws);
  const asked = all.filter((m) => str(m.role) === "user" && str(m.text) === text);
  const ids = new Set(asked.map((m) => str(m.id)));
  const replies = all.filter((m) => str(m.role) === "agent" && m.replyTo !== undefined && ids.has(str(m.replyTo)));
  return { asked: asked.length, replies: replies.length };
}
