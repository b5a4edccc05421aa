import type { DeviceId, PeerInfo, UserId } from "@botschat/protocol";
import type { StoredEntry } from "../store/LogStore.js";
import { RateLimiter } from "../TokenBucket.js";

/** What the hub needs of a connection. */
export interface HubMember {
  readonly userId: UserId;
  readonly device: DeviceId;
  readonly peer: PeerInfo;
  /** Hand over a committed entry; the connection sends it now or picks it up in its catch-up. */
  offer(entry: StoredEntry): void;
  /** Send another socket's eph frame. */
  sendEph(stream: Uint8Array, body: Uint8Array): void;
  /** Tell this connection who is connected now. */
  sendPeers(peers: PeerInfo[]): void;
  close(code: number, reason: string): void;
}

interface UserRoom {
  members: Set<HubMember>;
}

export interface HubLimits {
  appendRate: number;
  appendBurst: number;
  ephRate: number;
  ephBurst: number;
}

/**
 * The connected sockets of each user: fan-out of committed entries and eph frames to a user's
 * other sockets only ([A2], [A4]), the peers list, per-user rate limits, and closing by device or
 * user (revocation, logout, account deletion).
 */
export class Hub {
  private readonly rooms = new Map<UserId, UserRoom>();
  private readonly byDevice = new Map<DeviceId, Set<HubMember>>();

  // Kept apart from the rooms so that reconnecting does not refill a user's buckets.
  private readonly appends: RateLimiter;
  private readonly ephs: RateLimiter;

  constructor(limits: HubLimits) {
    this.appends = new RateLimiter(limits.appendRate, limits.appendBurst);
    this.ephs = new RateLimiter(limits.ephRate, limits.ephBurst);
  }

  private room(userId: UserId): UserRoom {
    let r = this.rooms.get(userId);
    if (!r) this.rooms.set(userId, (r = { members: new Set() }));
    return r;
  }

  /** Adds a member; returns the members already on this device (for [H2] replacement). */
  join(m: HubMember): HubMember[] {
    const earlier = [...(this.byDevice.get(m.device) ?? [])];
    this.room(m.userId).members.add(m);
    let set = this.byDevice.get(m.device);
    if (!set) this.byDevice.set(m.device, (set = new Set()));
    set.add(m);
    return earlier;
  }

  leave(m: HubMember): void {
    const r = this.rooms.get(m.userId);
    if (!r?.members.delete(m)) return;
    const set = this.byDevice.get(m.device);
    set?.delete(m);
    if (set?.size === 0) this.byDevice.delete(m.device);
    if (r.members.size === 0) this.rooms.delete(m.userId);
    else this.announcePeers(m.userId);
  }

  /** How many sockets a user has open. */
  count(userId: UserId): number {
    return this.rooms.get(userId)?.members.size ?? 0;
  }

  peers(userId: UserId): PeerInfo[] {
    return [...(this.rooms.get(userId)?.members ?? [])].map((m) => m.peer);
  }

  /** Sends the current peers list to every member of the user. */
  announcePeers(userId: UserId): void {
    const peers = this.peers(userId);
    for (const m of this.rooms.get(userId)?.members ?? []) m.sendPeers(peers);
  }

  /** A committed entry goes to every other socket of its user ([A2]). */
  fanOut(from: HubMember, entry: StoredEntry): void {
    for (const m of this.rooms.get(from.userId)?.members ?? []) if (m !== from) m.offer(entry);
  }

  eph(from: HubMember, stream: Uint8Array, body: Uint8Array): void {
    for (const m of this.rooms.get(from.userId)?.members ?? []) if (m !== from) m.sendEph(stream, body);
  }

  takeAppend(userId: UserId) {
    return this.appends.take(userId);
  }
  takeEph(userId: UserId) {
    return this.ephs.take(userId);
  }

  isConnected(device: DeviceId): boolean {
    return (this.byDevice.get(device)?.size ?? 0) > 0;
  }

  closeDevice(device: DeviceId, code: number, reason: string): void {
    for (const m of [...(this.byDevice.get(device) ?? [])]) m.close(code, reason);
  }

  closeUser(userId: UserId, code: number, reason: string): void {
    for (const m of [...(this.rooms.get(userId)?.members ?? [])]) m.close(code, reason);
  }

  closeAll(code: number, reason: string): void {
    for (const r of [...this.rooms.values()]) for (const m of [...r.members]) m.close(code, reason);
  }

  get size(): number {
    let n = 0;
    for (const r of this.rooms.values()) n += r.members.size;
    return n;
  }
}
