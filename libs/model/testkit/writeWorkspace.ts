import type { DeviceActor } from "../src/ops/Actor.js";
import { createChannel } from "../src/ops/channelOps.js";
import { sendMessage } from "../src/ops/messageOps.js";
import { createSession } from "../src/ops/sessionOps.js";
import type { AgentId, DeviceId, DocumentId, GatewayId } from "../src/docs/ids.js";
import type { SyncEngine } from "../src/sync/SyncEngine.js";
import { prng } from "../test/prng.js";

/** The shape of a benchmark workspace. */
export interface WorkspaceShape {
  channels: number;
  sessionsPerChannel: number;
  messagesPerSession: number;
  /** Messages written between two waits for the relay's acks, i.e. per update entry of a page. */
  messagesPerUpdate: number;
}

/** What was written. */
export interface WrittenWorkspace {
  /** Page documents, in the order their sessions were created (the last is the latest session's). */
  pages: DocumentId[];
  messages: number;
  /** Bytes of message text. */
  textBytes: number;
}

const WORDS = (
  "the relay keeps only ciphertext so every device derives the same key and merges changes " +
  "offline agent session thread task schedule reply model channel message build deploy test " +
  "review summary error retry document snapshot update budget latency memory storage"
).split(" ");

/**
 * Writes a workspace through the product's operations on `engine` (which must be live): channels,
 * sessions in them, and chat-length messages (4 to 60 words) in each session, waiting for the
 * relay's acks every `messagesPerUpdate` messages so each page reaches the relay as a series of
 * update entries, the way a conversation does.
 */
export async function writeWorkspace(engine: SyncEngine, shape: WorkspaceShape): Promise<WrittenWorkspace> {
  const me: DeviceActor = { device: "d_benchwriter0001" as DeviceId };
  const rnd = prng(42);
  const text = (): string => Array.from({ length: 4 + Math.floor(rnd() * 57) }, () => WORDS[Math.floor(rnd() * WORDS.length)]!).join(" ");
  const pages: DocumentId[] = [];
  let messages = 0;
  let textBytes = 0;
  for (let c = 0; c < shape.channels; c++) {
    const { doc: channelDoc } = await createChannel(engine, me, {
      name: `Channel ${c + 1}`,
      gateway: "gw-bench" as GatewayId,
      agentId: "main" as AgentId,
    });
    for (let s = 0; s < shape.sessionsPerChannel; s++) {
      const { session, page } = await createSession(engine, me, { channelDoc, title: `Session ${c + 1}.${s + 1}` });
      pages.push(page);
      for (let m = 0; m < shape.messagesPerSession; m++) {
        const t = text();
        await sendMessage(engine, me, { channelDoc, session, text: t });
        messages += 1;
        textBytes += t.length;
        if ((m + 1) % shape.messagesPerUpdate === 0) await engine.whenIdle();
      }
      await engine.whenIdle();
    }
  }
  return { pages, messages, textBytes };
}
