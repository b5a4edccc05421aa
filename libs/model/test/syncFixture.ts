import type { AckFrame, ClientFrame, EntryFrame, EntryKind, ErrorFrame, RelayFrame, SyncedFrame, WelcomeFrame } from "@botschat/protocol";
import type { startPeer, TestPeer } from "./peers.js";

/** Options of a test peer (engine options, storage). */
export type PeerOptions = NonNullable<Parameters<typeof startPeer>[2]>;

/** A registered user and its first session token. */
export interface RegisteredUser {
  userId: string;
  token: string;
  email: string;
  password: string;
}

/** The user's whole stored log, as a new device reads it. */
export interface StoredLog {
  vault: Uint8Array | null;
  entries: EntryFrame[];
  head: number;
}

/** A raw protocol client (the relay kit's `SyncClient` or `MemorySyncClient`): no hello sent yet. */
export interface RawClient {
  /** Every frame received, in order. */
  readonly received: readonly RelayFrame[];
  hello(token: string, since?: number, label?: string): Promise<WelcomeFrame>;
  send(frame: ClientFrame): void;
  /** Waits for (and consumes) the oldest unconsumed frame that matches. */
  next<F extends RelayFrame = RelayFrame>(predicate?: (f: RelayFrame) => boolean, timeoutMs?: number): Promise<F>;
  collectUntilSynced(timeoutMs?: number): Promise<{ entries: EntryFrame[]; synced: SyncedFrame }>;
  /** Sends an append and waits for its `ack` or `error`. */
  append(a: { id: string; stream: Uint8Array; body: Uint8Array; kind?: EntryKind; covers?: number }): Promise<AckFrame | ErrorFrame>;
  waitClosed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  close(): unknown;
}

/**
 * What the engine tests need of a relay, whichever it is — the relay process (`relayFixture`) or
 * MemoryRelay (`memoryRelayFixture`) — so one scenario runs against both (`RELAYS`).
 */
export interface SyncFixture {
  /** Which relay, for test names. */
  readonly name: string;
  /** Starts a peer on this relay and stops it after the file. */
  peer(token: string, opts?: PeerOptions): Promise<TestPeer>;
  /** Keeps a peer started elsewhere (e.g. by `restart()`) for the final stop. */
  track(peer: TestPeer): TestPeer;
  register(): Promise<RegisteredUser>;
  login(email: string, password: string): Promise<{ userId: string; token: string }>;
  createPairingToken(sessionToken: string, label?: string): Promise<{ id: string; token: string }>;
  /** `DELETE /api/pairing-tokens/:id` with a session token; answers the HTTP status. */
  revokePairingToken(sessionToken: string, id: string): Promise<number>;
  /** A raw protocol client on this relay. */
  rawClient(): Promise<RawClient>;
  /** The user's whole stored log, read with a raw client as a new device would. */
  readLog(token: string): Promise<StoredLog>;
  /** Stops the relay; {@link SyncFixture.restart} starts it again. */
  stop(): Promise<unknown>;
  /** Stops the relay (if it runs) and starts it again on the same data. */
  restart(): Promise<unknown>;
}

/** Reads a user's whole log with a raw client (hello since 0, entries until `synced`), then closes it. */
export async function readLogWith(client: RawClient, token: string): Promise<StoredLog> {
  const welcome = await client.hello(token, 0);
  const { entries } = await client.collectUntilSynced();
  client.close();
  return { vault: welcome.vault, entries, head: welcome.head };
}
