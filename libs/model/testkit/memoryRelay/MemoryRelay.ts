import { ready } from "@botschat/crypto";
import { CloseCode, DEFAULT_LIMITS, type AppendFrame } from "@botschat/protocol";
import { MemoryAccounts, TokenKind, type MemoryAccount } from "./MemoryAccounts.js";
import { MemoryConnection, type ConnectionLimits } from "./MemoryConnection.js";
import { MemoryHub, type HubMember } from "./MemoryHub.js";
import { MemoryLine } from "./MemoryLine.js";
import type { AppendOutcome, StoredEntry } from "./MemoryLog.js";
import { MemoryNetwork } from "./MemoryNetwork.js";
import { MemoryRestApi } from "./MemoryRestApi.js";
import { MemorySocket } from "./MemorySocket.js";
import { MemoryWire } from "./MemoryWire.js";

/** The relay's limits and knobs; defaults are the real relay's. */
export interface MemoryRelayOptions extends Partial<ConnectionLimits> {
  /** Storage per user (entries and remembered append ids), in bytes. */
  quotaBytes?: number;
}

/** A registered user: what `POST /api/auth/register` answers, and the credentials. */
export interface MemoryUser {
  userId: string;
  token: string;
  email: string;
  password: string;
}

interface PendingAppend {
  from: HubMember;
  account: MemoryAccount;
  frame: AppendFrame;
  committed: (outcome: AppendOutcome) => void;
}

let relayCount = 0;
let emailCount = 0;

/**
 * An in-process relay behind the engine's socket seam: the protocol's real frames (CBOR through
 * libs/protocol, validated with `decodeFrame` on the way in), one log per user with per-user seqs,
 * appends group-committed and acked only once committed, idempotent append ids, fan-out to the
 * user's other sockets, catch-up from `since`, snapshots compacting older entries, eph, `peers`,
 * the REST calls the engine makes, tokens and their revocation. Devices reach it over
 * {@link MemoryLine}s, whose deliveries can be held, dropped or reordered; the relay itself can
 * be stopped and restarted, keeping what it committed, like a relay process on its data.
 *
 * Nothing here uses a socket, a process or a Node API: deliveries and commits run on
 * `setTimeout` and `queueMicrotask`.
 *
 * @example
 * const relay = new MemoryRelay();
 * const { token } = relay.register();
 * const line = relay.line("laptop");
 * const engine = new SyncEngine({ relayUrl: relay.url, token, storage, socket: line.socket, fetch: line.fetch });
 */
export class MemoryRelay {
  /** `http://relay-N.memory`: the engine's `relayUrl`. */
  readonly url: string;
  /** Where the engine's sockets go: `ws://relay-N.memory/api/sync`. */
  readonly wsUrl: string;
  private readonly accounts = new MemoryAccounts();
  private readonly hub = new MemoryHub();
  private readonly network = new MemoryNetwork();
  private readonly rest: MemoryRestApi;
  private readonly limits: ConnectionLimits;
  private readonly quotaBytes: number;
  private readonly wires = new Set<MemoryWire>();
  private readonly lines: MemoryLine[] = [];
  private running = true;
  private batch: PendingAppend[] = [];
  private commitScheduled = false;
  private commitsHeld = false;
  /** The line of {@link MemoryRelay.fetch}: always online. */
  private readonly direct: MemoryLine;

  constructor(options: MemoryRelayOptions = {}) {
    relayCount += 1;
    this.url = `http://relay-${relayCount}.memory`;
    this.wsUrl = `ws://relay-${relayCount}.memory/api/sync`;
    this.limits = {
      socketsPerUser: options.socketsPerUser ?? DEFAULT_LIMITS.socketsPerUser,
      helloTimeoutMs: options.helloTimeoutMs ?? DEFAULT_LIMITS.helloTimeoutMs,
      badFramesPerMinute: options.badFramesPerMinute ?? DEFAULT_LIMITS.badFramesPerMinute,
      pageEntries: options.pageEntries ?? 256,
    };
    this.quotaBytes = options.quotaBytes ?? DEFAULT_LIMITS.quotaBytes;
    this.rest = new MemoryRestApi(this.accounts, this.hub);
    this.direct = this.line("direct");
  }

  // ---------------------------------------------------------------- devices

  /** A new line: one device's network connection to this relay. */
  line(name = `line-${this.lines.length}`): MemoryLine {
    const line = new MemoryLine(
      name,
      {
        connect: (l, url) => this.connect(l, url),
        request: (l, input, init) => this.request(l, input, init),
      },
      () => this.network.schedule(),
    );
    this.lines.push(line);
    return line;
  }

  /** The REST API, reached from no particular line (while the relay runs). */
  readonly fetch: typeof fetch = (input, init) => this.request(this.direct, input, init);

  /**
   * Interleaves deliveries of different lines (devices), and commits of appends from different
   * sockets that arrive together, in the order `random` picks (a seeded generator replays it);
   * undefined: in the order they were sent. What one line carries one way keeps its order.
   */
  reorder(random: (() => number) | undefined): void {
    this.network.reorder(random);
  }

  // ---------------------------------------------------------------- process

  /** Whether the relay is running (not stopped). */
  get isRunning(): boolean {
    return this.running;
  }

  /**
   * Stops the relay. Gracefully by default ([P2]): every socket is closed with 1001 after what was
   * already sent to it, and appends received but not yet committed are committed (unacked, as the
   * sockets are gone). With `crash`, as `kill -9`: sockets break (1006) and uncommitted appends are
   * lost; what was committed stays ([A1]). Until {@link MemoryRelay.start}, sockets and requests
   * are refused.
   */
  stop(options: { crash?: boolean } = {}): void {
    if (!this.running) return;
    this.running = false;
    for (const wire of this.wires) {
      if (options.crash) wire.cut();
      else wire.connection?.close(CloseCode.goingAway, "relay shutting down");
    }
    this.wires.clear();
    if (options.crash) this.batch = [];
    else this.commit(true);
  }

  /** Starts a stopped relay on what it committed. */
  start(): void {
    this.running = true;
  }

  /** {@link MemoryRelay.stop} then {@link MemoryRelay.start}. */
  restart(options: { crash?: boolean } = {}): void {
    this.stop(options);
    this.start();
  }

  /** Commits wait (no ack goes out) until {@link MemoryRelay.releaseCommits}: a slow disk. */
  holdCommits(): void {
    this.commitsHeld = true;
  }

  releaseCommits(): void {
    this.commitsHeld = false;
    this.scheduleCommit();
  }

  /** Resolves once nothing is on the way that can be delivered, and nothing waits for a commit that can run. */
  async whenIdle(): Promise<void> {
    for (;;) {
      await this.network.whenIdle();
      if (this.batch.length === 0 || this.commitsHeld || !this.running) {
        if (this.network.idle) return;
        continue;
      }
      await new Promise<void>((resolve) => queueMicrotask(resolve));
    }
  }

  // ---------------------------------------------------------------- accounts

  /** Registers a user (a unique email unless given); returns its first session token. */
  register(options: { email?: string; password?: string; label?: string } = {}): MemoryUser {
    emailCount += 1;
    const email = options.email ?? `user-${emailCount}@relay-memory.test`;
    const password = options.password ?? "correct horse battery";
    const r = this.accounts.register(email, password, Date.now());
    if (!r) throw new Error(`register ${email}: the email is taken`);
    if (options.label) r.session.record.label = options.label;
    return { userId: r.account.id, token: r.session.token, email, password };
  }

  /** A new session token for a user; fails on a wrong email or password. */
  login(email: string, password: string): { userId: string; token: string } {
    const r = this.accounts.login(email, password, Date.now());
    if (!r) throw new Error(`login ${email}: the email or password is wrong`);
    return { userId: r.account.id, token: r.session.token };
  }

  /** A pairing token of the user of `sessionToken` ([H2]: its sockets are plugins). */
  createPairingToken(sessionToken: string, label = "test plugin"): { id: string; token: string; label: string; createdAt: number } {
    const auth = this.accounts.authenticate(sessionToken);
    if (auth?.token.kind !== TokenKind.session) throw new Error("createPairingToken needs a valid session token");
    const issued = this.accounts.issue(auth.account.id, TokenKind.pairing, label, Date.now());
    return { id: issued.record.id, token: issued.token, label, createdAt: issued.record.createdAt };
  }

  /** Revokes a token (signed out, pairing token deleted): it stops working and its sockets close with 4401. */
  revoke(token: string): void {
    const auth = this.accounts.authenticate(token);
    if (!auth) return;
    this.accounts.revoke(auth.account.id, auth.token.id);
    this.hub.closeDevice(auth.token.id, CloseCode.unauthorized, "signed out");
  }

  /** What the relay holds for the user of `token`: committed entries in seq order, the head, the vault. */
  logOf(token: string): { entries: StoredEntry[]; head: number; vault: Uint8Array | null; usedBytes: number } {
    const auth = this.accounts.authenticate(token);
    if (!auth) throw new Error("logOf needs a valid token");
    const { log, vault } = auth.account;
    return { entries: log.readAfter(0), head: log.head, vault, usedBytes: log.usedBytes };
  }

  // ---------------------------------------------------------------- internals

  private connect(line: MemoryLine, url: string): MemorySocket {
    const socket = new MemorySocket();
    const wire = new MemoryWire(this.network, socket, line);
    if (!this.running || !line.reachable || url !== this.wsUrl) {
      wire.refuse();
      return socket;
    }
    for (const set of [line.wires, this.wires]) {
      for (const w of set) if (w.over) set.delete(w);
      set.add(wire);
    }
    const connection = new MemoryConnection(wire.relayEnd, {
      accounts: this.accounts,
      hub: this.hub,
      limits: this.limits,
      append: (account, frame, committed) => this.append({ from: connection, account, frame, committed }),
    });
    wire.accept(connection);
    return socket;
  }

  private async request(line: MemoryLine, input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1]): Promise<Response> {
    // A request takes a trip over the network, like any other (and vaults travel as base64url, from libsodium).
    await Promise.all([new Promise((resolve) => setTimeout(resolve, 0)), ready()]);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!this.running || !line.reachable || !url.startsWith(`${this.url}/`)) throw new TypeError("fetch failed");
    const headers = new Headers(init?.headers);
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
    let body: unknown;
    if (typeof init?.body === "string" && init.body !== "") {
      try {
        body = JSON.parse(init.body);
      } catch {
        return json(400, { error: { code: "bad_request", message: "The body is not JSON." } });
      }
    }
    const answer = this.rest.handle({
      method: (init?.method ?? "GET").toUpperCase(),
      path: url.slice(this.url.length).split("?")[0]!,
      token: bearer?.[1],
      body,
    });
    return json(answer.status, answer.body);
  }

  private append(p: PendingAppend): void {
    this.batch.push(p);
    this.scheduleCommit();
  }

  private scheduleCommit(): void {
    if (this.commitScheduled || this.commitsHeld || this.batch.length === 0) return;
    this.commitScheduled = true;
    queueMicrotask(() => {
      this.commitScheduled = false;
      this.commit(false);
    });
  }

  /**
   * Commits every append received since the last commit as one group ([A1], N6): only then are
   * they acked and fanned out, in commit order. `stopping` commits even while commits are held.
   */
  private commit(stopping: boolean): void {
    if (!stopping && (this.commitsHeld || !this.running)) return;
    const group = this.interleave(this.batch.splice(0));
    const now = Date.now();
    const outcomes = group.map((p) => p.account.log.append(p.frame, now, this.quotaBytes));
    group.forEach((p, i) => p.committed(outcomes[i]!));
  }

  /** The commit order: arrival order, or with {@link MemoryRelay.reorder} a random merge that keeps each socket's own order. */
  private interleave(batch: PendingAppend[]): PendingAppend[] {
    const random = this.network.shuffle;
    if (!random || batch.length < 2) return batch;
    const queues = new Map<HubMember, PendingAppend[]>();
    for (const p of batch) {
      const q = queues.get(p.from);
      if (q) q.push(p);
      else queues.set(p.from, [p]);
    }
    const out: PendingAppend[] = [];
    const open = [...queues.values()];
    while (open.length > 0) {
      const i = Math.floor(random() * open.length);
      out.push(open[i]!.shift()!);
      if (open[i]!.length === 0) open.splice(i, 1);
    }
    return out;
  }
}

function json(status: number, body: unknown): Response {
  if (status === 204 || body === undefined) return new Response(null, { status });
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
