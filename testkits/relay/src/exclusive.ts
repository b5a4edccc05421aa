import { createServer, request, type ClientRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** Where the run's locks are served (set by {@link serveLocks}, inherited by the test workers). */
const LOCKS_ENV = "BOTSCHAT_TEST_LOCKS";

interface Waiter {
  res: ServerResponse;
  granted: boolean;
}

/**
 * Named locks for the test files of one run, served from vitest's main process over loopback
 * HTTP. A worker holds a lock for as long as its request stays open: the answer's first line says
 * it is granted, and closing the request (or the worker dying) releases it.
 */
class LockServer {
  private readonly queues = new Map<string, Waiter[]>();
  readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const m = /^\/lock\/([\w.-]+)$/.exec(req.url ?? "");
    if (!m || req.method !== "POST") {
      res.writeHead(404).end();
      return;
    }
    const name = m[1]!;
    const queue = this.queues.get(name) ?? [];
    this.queues.set(name, queue);
    const waiter: Waiter = { res, granted: false };
    queue.push(waiter);
    res.once("close", () => {
      const i = queue.indexOf(waiter);
      if (i >= 0) queue.splice(i, 1);
      if (i === 0) this.grant(queue);
    });
    if (queue.length === 1) this.grant(queue);
  }

  private grant(queue: Waiter[]): void {
    const next = queue[0];
    if (next === undefined || next.granted) return;
    next.granted = true;
    next.res.writeHead(200, { "content-type": "text/plain" });
    next.res.write("granted\n");
  }
}

/**
 * Serves the run's locks (once per run) and names them to the workers in `BOTSCHAT_TEST_LOCKS`.
 * Call from a global setup; the answer stops serving (call it in the teardown).
 */
export async function serveLocks(): Promise<() => Promise<void>> {
  const g = globalThis as { [KEY]?: { server: LockServer; users: number } };
  let state = g[KEY];
  if (state === undefined) {
    const locks = new LockServer();
    await new Promise<void>((resolve) => locks.server.listen(0, "127.0.0.1", resolve));
    locks.server.unref();
    process.env[LOCKS_ENV] = `http://127.0.0.1:${(locks.server.address() as { port: number }).port}`;
    state = { server: locks, users: 0 };
    g[KEY] = state;
  }
  state.users += 1;
  const s = state;
  return async () => {
    s.users -= 1;
    if (s.users > 0) return;
    delete g[KEY];
    delete process.env[LOCKS_ENV];
    s.server.server.closeAllConnections();
    await new Promise<void>((resolve) => s.server.server.close(() => resolve()));
  };
}

const KEY = Symbol.for("botschat.testkit.locks");

/**
 * Waits for the run's lock `name` (see {@link serveLocks}); answers its release. Test files of a
 * project that must not run two at a time (one browser, one shared gateway) hold their project's
 * lock from before their first hook to after their last, while files of other projects run.
 */
export function acquireLock(name: string): Promise<() => void> {
  const base = process.env[LOCKS_ENV];
  if (base === undefined) return Promise.reject(new Error(`${LOCKS_ENV} is not set: the project's global setup serves the run's locks (serveLocks)`));
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined = undefined;
    req = request(`${base}/lock/${name}`, { method: "POST" }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`lock ${name}: status ${res.statusCode}`));
        req?.destroy();
        return;
      }
      res.once("data", () => resolve(() => req?.destroy()));
      res.once("error", () => undefined);
    });
    req.once("error", (e) => reject(e));
    req.end();
  });
}
