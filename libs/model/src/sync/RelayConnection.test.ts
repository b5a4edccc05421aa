import { CloseCode, decodeFrame, encodeFrame, type ClientFrame } from "@botschat/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Backoff } from "./Backoff.js";
import { RelayConnection, type RelayConnectionHooks } from "./RelayConnection.js";
import type { SocketLike } from "./SocketLike.js";
import { LogCategory } from "./SyncLog.js";

const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
/** With `random() = 1` the backoff hands out its ceiling: 100, 200, 400, 800, 1000, 1000… */
const BASE_DELAY = 100;

/** A socket the test drives by hand: it opens, receives and closes when told to. */
class FakeSocket implements SocketLike {
  binaryType = "blob";
  readyState = 0;
  readonly sent: Uint8Array[] = [];
  readonly closeCalls: [number | undefined, string | undefined][] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: Uint8Array): void {
    if (this.readyState !== 1) throw new Error("send on a socket that is not open");
    this.sent.push(data);
  }

  /** Like a real socket: closing starts now, `onclose` comes later (see {@link FakeSocket.closed}). */
  close(code?: number, reason?: string): void {
    this.closeCalls.push([code, reason]);
    this.readyState = 2;
  }

  /** The handshake finished. */
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(data: unknown): void {
    this.onmessage?.({ data });
  }

  /** The socket is closed (by the relay, the network, or at last after {@link FakeSocket.close}). */
  closed(code: number, reason = ""): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** The frames sent on this socket, decoded. */
  frames(): ClientFrame[] {
    return this.sent.map((b) => {
      const r = decodeFrame(b);
      if (!r.ok) throw new Error(`sent an undecodable frame: ${r.error.message}`);
      return r.frame;
    });
  }
}

type Event =
  ["connecting", string] | ["opened"] | ["message", Uint8Array] | ["closed", number, string] | ["refused", string, boolean] | ["reconnecting", string, number];

interface Setup {
  conn: RelayConnection;
  sockets: FakeSocket[];
  /** The newest socket. */
  last(): FakeSocket;
  events: Event[];
  logs: [string, string][];
  /** What `shouldReconnect()` answers. */
  reconnect: { value: boolean; asked: number };
  /** When set, the socket factory throws this instead of opening a socket. */
  factoryError: { value: unknown };
  backoff: Backoff;
}

function setup(relayUrl = "http://relay.test:8080", { start = true } = {}): Setup {
  const sockets: FakeSocket[] = [];
  const events: Event[] = [];
  const logs: [string, string][] = [];
  const reconnect = { value: true, asked: 0 };
  const factoryError: { value: unknown } = { value: undefined };
  const backoff = new Backoff(BASE_DELAY, 1000, () => 1);
  const hooks: RelayConnectionHooks = {
    connecting: (url) => events.push(["connecting", url]),
    opened: () => events.push(["opened"]),
    message: (bytes) => events.push(["message", bytes]),
    closed: (code, reason) => events.push(["closed", code, reason]),
    refused: (error, signedOut) => events.push(["refused", error, signedOut]),
    shouldReconnect: () => {
      reconnect.asked++;
      return reconnect.value;
    },
    reconnecting: (why, delay) => events.push(["reconnecting", why, delay]),
    log: (cat, msg) => logs.push([cat, msg]),
  };
  const conn = new RelayConnection(
    {
      relayUrl,
      backoff,
      socket: (url) => {
        if (factoryError.value !== undefined) throw factoryError.value;
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
    },
    hooks,
  );
  if (start) conn.start();
  const last = () => {
    const s = sockets.at(-1);
    if (!s) throw new Error("no socket was opened");
    return s;
  };
  return { conn, sockets, last, events, logs, reconnect, factoryError, backoff };
}

/** Connects and opens the socket; the events so far are dropped. */
function connected(relayUrl?: string): Setup {
  const t = setup(relayUrl);
  t.conn.connect();
  t.last().open();
  t.events.length = 0;
  return t;
}

const names = (events: Event[]) => events.map((e) => e[0]);
const reconnectDelays = (events: Event[]) => events.filter((e) => e[0] === "reconnecting").map((e) => e[2]);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("RelayConnection: connecting", () => {
  it("opens ws://…/api/sync for an http relay and wss://…/api/sync for an https one, as arraybuffer", () => {
    const plain = setup("http://relay.test:8080");
    plain.conn.connect();
    expect(plain.last().url).toBe("ws://relay.test:8080/api/sync");
    expect(plain.last().binaryType).toBe("arraybuffer");
    expect(plain.events).toEqual([["connecting", "ws://relay.test:8080/api/sync"]]);

    const tls = setup("https://relay.example.com");
    tls.conn.connect();
    expect(tls.last().url).toBe("wss://relay.example.com/api/sync");
  });

  it("opens nothing before start()", () => {
    const t = setup(undefined, { start: false });
    t.conn.connect();
    expect(t.sockets).toHaveLength(0);
    expect(t.events).toEqual([]);
    expect(t.conn.active).toBe(false);
    t.conn.start();
    t.conn.connect();
    expect(t.sockets).toHaveLength(1);
  });

  it("opens one socket at a time: connect() while a socket is opening or open does nothing", () => {
    const t = setup();
    t.conn.connect();
    expect(t.conn.active).toBe(true);
    t.conn.connect();
    expect(t.sockets).toHaveLength(1);
    t.last().open();
    t.conn.connect();
    expect(t.sockets).toHaveLength(1);
    expect(names(t.events)).toEqual(["connecting", "opened"]);
  });

  it("reports connecting, opened, message and closed in that order", () => {
    const t = setup();
    t.conn.connect();
    const s = t.last();
    expect(names(t.events)).toEqual(["connecting"]);
    s.open();
    const bytes = encodeFrame({ t: "pong" });
    s.receive(bytes);
    s.closed(CloseCode.goingAway, "relay restarting");
    expect(t.events.slice(0, 4)).toEqual([
      ["connecting", "ws://relay.test:8080/api/sync"],
      ["opened"],
      ["message", bytes],
      ["closed", CloseCode.goingAway, "relay restarting"],
    ]);
    expect(t.conn.active).toBe(false);
  });

  it("hands binary frames over as bytes, whatever their runtime type, and ignores text frames", () => {
    const t = connected();
    const bytes = Uint8Array.from([1, 2, 3, 4]);
    t.last().receive(bytes.slice().buffer);
    t.last().receive([Uint8Array.from([1, 2]), Uint8Array.from([3, 4])]);
    t.last().receive("a text frame");
    expect(t.events).toEqual([
      ["message", bytes],
      ["message", bytes],
    ]);
    expect(t.logs).toContainEqual([LogCategory.warn, "ignored a text frame from the relay"]);
  });

  it("survives a socket factory that throws: no exception, and a new attempt after the backoff", () => {
    const t = setup();
    t.factoryError.value = new Error("boom");
    expect(() => t.conn.connect()).not.toThrow();
    expect(t.conn.active).toBe(false);
    expect(t.events).toEqual([
      ["connecting", "ws://relay.test:8080/api/sync"],
      ["reconnecting", "cannot open a socket: boom", BASE_DELAY],
    ]);
    t.factoryError.value = undefined;
    vi.advanceTimersByTime(BASE_DELAY - 1);
    expect(t.sockets).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(t.sockets).toHaveLength(1);
    expect(t.conn.active).toBe(true);
  });

  it("keeps retrying with growing delays while the socket factory throws (non-Error values too)", () => {
    const t = setup();
    t.factoryError.value = "no network";
    t.conn.connect();
    vi.advanceTimersByTime(BASE_DELAY);
    vi.advanceTimersByTime(2 * BASE_DELAY);
    expect(t.events.filter((e) => e[0] === "reconnecting")).toEqual([
      ["reconnecting", "cannot open a socket: no network", BASE_DELAY],
      ["reconnecting", "cannot open a socket: no network", 2 * BASE_DELAY],
      ["reconnecting", "cannot open a socket: no network", 4 * BASE_DELAY],
    ]);
    expect(t.sockets).toHaveLength(0);
  });
});

describe("RelayConnection: sending", () => {
  it("refuses sends (false) without an open socket", () => {
    const t = setup();
    expect(t.conn.send({ t: "ping" })).toBe(false);
    t.conn.connect();
    // Opening, not open yet.
    expect(t.conn.send({ t: "ping" })).toBe(false);
    expect(t.last().sent).toHaveLength(0);
  });

  it("sends encoded frames on the open socket", () => {
    const t = connected();
    const hello: ClientFrame = { t: "hello", token: "tok", since: 7 };
    expect(t.conn.send(hello)).toBe(true);
    expect(t.last().frames()).toEqual([hello]);
    expect(t.logs).toContainEqual([LogCategory.wsTraffic, "→ hello"]);
  });

  it("refuses sends once the socket is closing or closed", () => {
    const t = connected();
    const s = t.last();
    s.readyState = 2;
    expect(t.conn.send({ t: "ping" })).toBe(false);
    s.closed(CloseCode.normal);
    expect(t.conn.send({ t: "ping" })).toBe(false);
    expect(s.sent).toHaveLength(0);
  });
});

describe("RelayConnection: keep-alive", () => {
  it("pings every 25 s, and a pong within 10 s keeps the socket open", () => {
    const t = connected();
    const s = t.last();
    vi.advanceTimersByTime(PING_EVERY_MS - 1);
    expect(s.sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(s.frames()).toEqual([{ t: "ping" }]);
    vi.advanceTimersByTime(PONG_WITHIN_MS - 1);
    t.conn.pong();
    vi.advanceTimersByTime(PING_EVERY_MS - PONG_WITHIN_MS + 1);
    expect(s.frames()).toEqual([{ t: "ping" }, { t: "ping" }]);
    for (let i = 0; i < 5; i++) {
      t.conn.pong();
      vi.advanceTimersByTime(PING_EVERY_MS);
    }
    expect(s.frames()).toHaveLength(7);
    expect(s.closeCalls).toEqual([]);
    expect(t.events).toEqual([]);
    expect(t.conn.active).toBe(true);
  });

  it("closes the socket with 4000 when no pong comes within 10 s of a ping, then reconnects", () => {
    const t = connected();
    const s = t.last();
    vi.advanceTimersByTime(PING_EVERY_MS + PONG_WITHIN_MS - 1);
    expect(s.closeCalls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(s.closeCalls).toEqual([[4000, "no pong"]]);
    expect(t.conn.active).toBe(false);
    expect(t.events).toEqual([
      ["closed", 4000, "no pong"],
      ["reconnecting", "no pong", BASE_DELAY],
    ]);
    vi.advanceTimersByTime(BASE_DELAY);
    expect(t.sockets).toHaveLength(2);
  });

  it("does not ping before the socket is open, nor after it closed", () => {
    const t = setup();
    t.conn.connect();
    const s = t.last();
    vi.advanceTimersByTime(PING_EVERY_MS);
    expect(s.sent).toHaveLength(0);
    s.open();
    vi.advanceTimersByTime(PING_EVERY_MS);
    expect(s.frames()).toEqual([{ t: "ping" }]);
    // Closed while a pong is awaited: neither that pong timer nor the pings outlive the socket.
    t.reconnect.value = false;
    s.closed(1006);
    vi.advanceTimersByTime(10 * PING_EVERY_MS);
    expect(s.sent).toHaveLength(1);
    expect(s.closeCalls).toEqual([]);
    expect(names(t.events).filter((n) => n === "closed")).toHaveLength(1);
  });
});

describe("RelayConnection: closes", () => {
  it("4401 (revoked token, signed out) calls refused with signedOut and never reconnects", () => {
    const t = connected();
    t.last().closed(CloseCode.unauthorized, "unauthorized");
    expect(t.events).toEqual([
      ["closed", CloseCode.unauthorized, "unauthorized"],
      ["refused", "This device was signed out or its token was revoked.", true],
    ]);
    expect(t.reconnect.asked).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(1);
  });

  it("4409 (replaced by another connection) calls refused without signedOut and never reconnects", () => {
    const t = connected();
    t.last().closed(CloseCode.replaced, "replaced");
    expect(t.events).toEqual([
      ["closed", CloseCode.replaced, "replaced"],
      ["refused", "Another connection with the same pairing token took over.", false],
    ]);
    expect(t.reconnect.asked).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(1);
  });

  it("treats a refusal code given to close() like one from the relay", () => {
    const t = connected();
    t.conn.close(CloseCode.unauthorized, "logged out");
    expect(t.events).toEqual([
      ["closed", CloseCode.unauthorized, "logged out"],
      ["refused", "This device was signed out or its token was revoked.", true],
    ]);
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(1);
  });

  it.each([
    [CloseCode.normal, "bye"],
    [CloseCode.goingAway, ""],
    [1006, ""],
    [CloseCode.badFrame, "bad frame"],
    [CloseCode.helloTimeout, "hello timeout"],
    [CloseCode.tooManySockets, "too many sockets"],
  ])("reconnects after the backoff delay after a close with %i when shouldReconnect() says so", (code, reason) => {
    const t = connected();
    t.last().closed(code, reason);
    expect(t.reconnect.asked).toBe(1);
    expect(t.events).toEqual([
      ["closed", code, reason],
      ["reconnecting", reason || `closed with ${code}`, BASE_DELAY],
    ]);
    vi.advanceTimersByTime(BASE_DELAY - 1);
    expect(t.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(t.sockets).toHaveLength(2);
    expect(t.events.at(-1)).toEqual(["connecting", "ws://relay.test:8080/api/sync"]);
    expect(names(t.events)).not.toContain("refused");
  });

  it("does not reconnect when shouldReconnect() says no", () => {
    const t = connected();
    t.reconnect.value = false;
    t.last().closed(1006);
    expect(t.reconnect.asked).toBe(1);
    expect(t.events).toEqual([["closed", 1006, ""]]);
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(1);
  });

  it("grows the delay with each failure", () => {
    const t = connected();
    for (let i = 0; i < 4; i++) {
      t.last().closed(1006);
      vi.advanceTimersByTime(reconnectDelays(t.events).at(-1) ?? 0);
    }
    expect(reconnectDelays(t.events)).toEqual([100, 200, 400, 800]);
    expect(t.sockets).toHaveLength(5);
  });

  it("close() closes the socket with its code, reports closed once and ignores that socket's late events", () => {
    const t = connected();
    t.reconnect.value = false;
    const s = t.last();
    t.conn.close(CloseCode.normal, "locked");
    expect(s.closeCalls).toEqual([[CloseCode.normal, "locked"]]);
    expect(t.events).toEqual([["closed", CloseCode.normal, "locked"]]);
    expect(t.conn.active).toBe(false);
    // What the old socket says after it was given up goes nowhere.
    s.receive(Uint8Array.from([1]));
    s.closed(CloseCode.normal, "locked");
    expect(t.events).toEqual([["closed", CloseCode.normal, "locked"]]);
    // Nothing to close any more.
    t.conn.close(CloseCode.normal, "again");
    expect(s.closeCalls).toHaveLength(1);
    expect(t.events).toHaveLength(1);
  });

  it("a socket given up before it opened does not report opened, even under a new socket", () => {
    const t = setup();
    t.conn.connect();
    const first = t.last();
    t.conn.close(CloseCode.normal, "retry");
    vi.advanceTimersByTime(BASE_DELAY);
    expect(t.sockets).toHaveLength(2);
    first.open();
    first.receive(Uint8Array.from([9]));
    first.closed(1006);
    expect(names(t.events)).toEqual(["connecting", "closed", "reconnecting", "connecting"]);
    expect(t.conn.active).toBe(true);
  });

  it("survives a socket whose close() throws", () => {
    const t = connected();
    t.reconnect.value = false;
    t.last().close = () => {
      throw new Error("already closing");
    };
    expect(() => t.conn.close(CloseCode.normal, "bye")).not.toThrow();
    expect(t.events).toEqual([["closed", CloseCode.normal, "bye"]]);
    expect(t.conn.active).toBe(false);
  });
});

describe("RelayConnection: stop, reconnectNow, resetBackoff", () => {
  it("stop() cancels a scheduled reconnect", () => {
    const t = connected();
    t.last().closed(1006);
    expect(names(t.events)).toEqual(["closed", "reconnecting"]);
    t.conn.stop();
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(1);
    t.conn.connect();
    expect(t.sockets).toHaveLength(1);
  });

  it("after stop() the socket stays, and its close reports closed but neither refused nor a reconnect", () => {
    const t = connected();
    t.conn.stop();
    expect(t.conn.active).toBe(true);
    expect(t.last().closeCalls).toEqual([]);
    t.last().closed(1006);
    expect(t.events).toEqual([["closed", 1006, ""]]);
    expect(t.reconnect.asked).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(1);
  });

  it("logs a connection lost while it should last as a warning, and a normal or stopped close as plain WS", () => {
    const t = connected();
    t.last().closed(1006, "gone");
    expect(t.logs).toContainEqual([LogCategory.warn, "socket closed: 1006 gone"]);
    vi.advanceTimersByTime(BASE_DELAY);
    t.last().open();
    t.last().closed(CloseCode.normal);
    expect(t.logs).toContainEqual([LogCategory.ws, "socket closed: 1000"]);
    vi.advanceTimersByTime(60_000);
    t.last().open();
    t.conn.stop();
    t.last().closed(1006);
    expect(t.logs.at(-1)).toEqual([LogCategory.ws, "socket closed: 1006"]);
  });

  it("stop() then start() does not revive the reconnect that was scheduled", () => {
    const t = connected();
    t.last().closed(1006);
    t.conn.stop();
    t.conn.start();
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(1);
  });

  it("connect() during a scheduled reconnect replaces it", () => {
    const t = connected();
    t.last().closed(1006);
    t.conn.connect();
    expect(t.sockets).toHaveLength(2);
    // That socket fails at once, and this time no reconnect is wanted: the old timer must not fire.
    t.reconnect.value = false;
    t.last().closed(1006);
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(2);
  });

  it("stop() stops a throwing socket factory from being retried", () => {
    const t = setup();
    t.factoryError.value = new Error("boom");
    t.conn.connect();
    t.conn.stop();
    t.factoryError.value = undefined;
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(0);
  });

  it("start() after stop() allows connecting again", () => {
    const t = connected();
    t.conn.stop();
    t.last().closed(1006);
    t.conn.start();
    t.conn.connect();
    expect(t.sockets).toHaveLength(2);
  });

  it("reconnectNow() skips the wait, resets the backoff and leaves no second attempt behind", () => {
    const t = connected();
    t.last().closed(1006);
    vi.advanceTimersByTime(BASE_DELAY);
    t.last().closed(1006);
    expect(reconnectDelays(t.events)).toEqual([100, 200]);
    t.conn.reconnectNow();
    expect(t.sockets).toHaveLength(3);
    // The timer of the reconnect it replaced does not open a fourth socket.
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(3);
    // The backoff starts over.
    t.last().closed(1006);
    expect(reconnectDelays(t.events)).toEqual([100, 200, 100]);
  });

  it("reconnectNow() does nothing while a socket is active or once stopped", () => {
    const t = setup();
    t.conn.connect();
    t.last().closed(1006);
    vi.advanceTimersByTime(BASE_DELAY);
    t.conn.reconnectNow();
    expect(t.sockets).toHaveLength(2);
    t.last().open();
    t.conn.reconnectNow();
    expect(t.sockets).toHaveLength(2);
    // Nor did it reset the backoff.
    t.last().closed(1006);
    expect(reconnectDelays(t.events)).toEqual([100, 200]);
    vi.advanceTimersByTime(2 * BASE_DELAY);
    expect(t.sockets).toHaveLength(3);

    t.last().closed(1006);
    t.conn.stop();
    t.conn.reconnectNow();
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(3);
  });

  it("resetBackoff() makes the next failure wait the shortest delay again", () => {
    const t = connected();
    t.last().closed(1006);
    vi.advanceTimersByTime(BASE_DELAY);
    t.last().closed(1006);
    vi.advanceTimersByTime(2 * BASE_DELAY);
    t.last().open();
    t.conn.resetBackoff();
    t.last().closed(1006);
    expect(reconnectDelays(t.events)).toEqual([100, 200, 100]);
  });

  it("without resetBackoff() the delays keep growing across successful opens", () => {
    const t = connected();
    t.last().closed(1006);
    vi.advanceTimersByTime(BASE_DELAY);
    t.last().open();
    t.last().closed(1006);
    expect(reconnectDelays(t.events)).toEqual([100, 200]);
  });
});
