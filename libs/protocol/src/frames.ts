import type { FrameErrorCode } from "./codes.js";

/** Kinds of stored entries. */
export const EntryKind = { update: "update", snapshot: "snapshot" } as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

/** Kinds of connected peers: a session token is a `browser`, a pairing token a `plugin` ([H2]). */
export const PeerKind = { browser: "browser", plugin: "plugin" } as const;
export type PeerKind = (typeof PeerKind)[keyof typeof PeerKind];

// ---- client → relay ----

/** First frame of every socket ([H1]). */
export interface HelloFrame {
  t: "hello";
  token: string;
  /** Highest seq this peer has applied; 0 for a new device. */
  since: number;
  label?: string;
}
/** Store one entry ([A1]–[A3], [S1]–[S4]). */
export interface AppendFrame {
  t: "append";
  id: string;
  stream: Uint8Array;
  kind: EntryKind;
  body: Uint8Array;
  covers?: number;
}
/** Relay to this user's other sockets now; never stored. */
export interface EphFrame {
  t: "eph";
  stream: Uint8Array;
  body: Uint8Array;
}
export interface PingFrame {
  t: "ping";
}
export type ClientFrame = HelloFrame | AppendFrame | EphFrame | PingFrame;

// ---- relay → client ----

export interface WelcomeFrame {
  t: "welcome";
  userId: string;
  head: number;
  vault: Uint8Array | null;
  device: string;
}
export interface EntryFrame {
  t: "entry";
  seq: number;
  stream: Uint8Array;
  kind: EntryKind;
  body: Uint8Array;
  ts: number;
}
export interface SyncedFrame {
  t: "synced";
  head: number;
}
export interface AckFrame {
  t: "ack";
  id: string;
  seq: number;
}
export interface PeerInfo {
  device: string;
  kind: PeerKind;
  label: string;
  /** When this peer connected, in ms since the epoch. */
  since: number;
}
export interface PeersFrame {
  t: "peers";
  peers: PeerInfo[];
}
export interface PongFrame {
  t: "pong";
}
export interface ErrorFrame {
  t: "error";
  code: FrameErrorCode;
  message: string;
  id?: string;
}
/** The relay's eph frame has the same shape as the client's. */
export type RelayEphFrame = EphFrame;
export type RelayFrame = WelcomeFrame | EntryFrame | SyncedFrame | AckFrame | RelayEphFrame | PeersFrame | PongFrame | ErrorFrame;

export type Frame = ClientFrame | RelayFrame;

export const isHello = (f: ClientFrame): f is HelloFrame => f.t === "hello";
export const isAppend = (f: ClientFrame): f is AppendFrame => f.t === "append";
export const isEph = (f: Frame): f is EphFrame => f.t === "eph";
export const isPing = (f: ClientFrame): f is PingFrame => f.t === "ping";
export const isWelcome = (f: RelayFrame): f is WelcomeFrame => f.t === "welcome";
export const isEntry = (f: RelayFrame): f is EntryFrame => f.t === "entry";
export const isSynced = (f: RelayFrame): f is SyncedFrame => f.t === "synced";
export const isAck = (f: RelayFrame): f is AckFrame => f.t === "ack";
export const isPeers = (f: RelayFrame): f is PeersFrame => f.t === "peers";
export const isPong = (f: RelayFrame): f is PongFrame => f.t === "pong";
export const isError = (f: RelayFrame): f is ErrorFrame => f.t === "error";
