import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { CloseCode } from "@botschat/protocol";
import { addressKey } from "../http/addressKey.js";
import { setFrameLimit } from "./frameLimit.js";
import { SyncConnection, type SyncDeps } from "./SyncConnection.js";

/** Sockets that miss a heartbeat this long are ended (dead peers behind NAT, sleeping laptops). */
const HEARTBEAT_MS = 30_000;

/**
 * The `/api/sync` WebSocket endpoint: upgrades on that path only, at most `socketsPerAddress`
 * sockets from one address (more are answered 429 before any upgrade), one `SyncConnection` per
 * socket, and a heartbeat. Until its hello is accepted a socket's frames may be at most
 * `helloFrameLimit` bytes; after it, frames above twice the frame limit are not buffered at all
 * (close 1009), and those between the limit and that are refused with `too_large` and the socket
 * stays open.
 */
export class SyncServer {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<SyncConnection>();
  private readonly heartbeat: NodeJS.Timeout;
  /** Open sockets per address key. */
  private readonly perAddress = new Map<string, number>();

  constructor(
    server: Server,
    private readonly deps: SyncDeps,
    remoteOf: (req: IncomingMessage) => string,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: deps.config.frameLimit * 2, perMessageDeflate: false });
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? "").split("?")[0];
      if (path !== "/api/sync") {
        socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      const remote = remoteOf(req);
      const key = addressKey(remote);
      const open = this.perAddress.get(key) ?? 0;
      if (open >= deps.config.socketsPerAddress) {
        socket.end("HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nRetry-After: 10\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      this.perAddress.set(key, open + 1);
      let counted = true;
      const uncount = (): void => {
        if (!counted) return;
        counted = false;
        const n = (this.perAddress.get(key) ?? 1) - 1;
        if (n <= 0) this.perAddress.delete(key);
        else this.perAddress.set(key, n);
      };
      socket.once("close", uncount);
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        setFrameLimit(ws, deps.config.helloFrameLimit);
        const conn = new SyncConnection(ws, deps, remote);
        this.connections.add(conn);
        ws.on("close", () => {
          this.connections.delete(conn);
          uncount();
        });
      });
    });
    this.heartbeat = setInterval(() => {
      for (const c of this.connections) {
        if (!c.alive) c.terminate();
        else c.alive = false;
      }
      for (const ws of this.wss.clients) ws.ping();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.connections.size;
  }

  /** Closes every socket with 1001 ([P2]) and waits until they are gone. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const c of this.connections) c.close(CloseCode.goingAway, "relay shutting down");
    const deadline = Date.now() + 2000;
    while (this.wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }
}
