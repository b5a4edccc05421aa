import type { DeviceId, PeerInfo, UserId } from "@botschat/protocol";
import type { StoredEntry } from "./MemoryLog.js";

/** What the hub needs of a relay-side connection. */
export interface HubMember {
  readonly userId: UserId;
  readonly device: DeviceId;
  readonly peer: PeerInfo;
  /** Hands over a committed entry: the connection sends it now or reads it in its catch-up. */
  offer(entry: StoredEntry): void;
  /** Sends another socket's eph frame. */
  sendEph(stream: Uint8Array, body: Uint8Array): void;
  /** Tells this connection who is connected now. */
  sendPeers(peers: PeerInfo[]): void;
  close(code: number, reason: string): void;
}

/**
 * The authenticated connections of each user, as the relay's `Hub` keeps them: fan-out of
 * committed entries and eph frames to a user's other sockets only ([A2], [A4]), the peers list
 * (N9), and closing by device (revocation, [H2] replacement). No rate limits.
 */
export class MemoryHub {
  private readonly rooms = new Map<UserId, Set<HubMember>>();

  /** Adds a member; returns the members already on its device (for [H2] replacement). */
  join(m: HubMember): HubMember[] {
    const earlier = this.onDevice(m.device);
    let room = this.rooms.get(m.userId);
    if (!room) this.rooms.set(m.userId, (room = new Set()));
    room.add(m);
    return earlier;
  }

  leave(m: HubMember): void {
    const room = this.rooms.get(m.userId);
    if (!room?.delete(m)) return;
    if (room.size === 0) this.rooms.delete(m.userId);
    else this.announcePeers(m.userId);
  }

  /** How many sockets a user has open. */
  count(userId: UserId): number {
    return this.rooms.get(userId)?.size ?? 0;
  }

  peers(userId: UserId): PeerInfo[] {
    return [...(this.rooms.get(userId) ?? [])].map((m) => m.peer);
  }

  /** Sends the current peers list to every member of the user. */
  announcePeers(userId: UserId): void {
    const peers = this.peers(userId);
    for (const m of this.rooms.get(userId) ?? []) m.sendPeers(peers);
  }

  /** A committed entry goes to every other socket of its user ([A2]). */
  fanOut(from: HubMember, entry: StoredEntry): void {
    for (const m of this.rooms.get(from.userId) ?? []) if (m !== from) m.offer(entry);
  }

  eph(from: HubMember, stream: Uint8Array, body: Uint8Array): void {
    for (const m of this.rooms.get(from.userId) ?? []) if (m !== from) m.sendEph(stream, body);
  }

  isConnected(device: DeviceId): boolean {
    return this.onDevice(device).length > 0;
  }

  closeDevice(device: DeviceId, code: number, reason: string): void {
    for (const m of this.onDevice(device)) m.close(code, reason);
  }

  closeAll(code: number, reason: string): void {
    for (const room of [...this.rooms.values()]) for (const m of [...room]) m.close(code, reason);
  }

  private onDevice(device: DeviceId): HubMember[] {
    const out: HubMember[] = [];
    for (const room of this.rooms.values()) for (const m of room) if (m.device === device) out.push(m);
    return out;
  }
}
