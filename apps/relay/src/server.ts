import type { AddressInfo } from "node:net";
import type { IncomingMessage, Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { hasWebBuild, type RelayConfig } from "./config.js";
import { clientAddress } from "./http/addressKey.js";
import { ApiError } from "./http/ApiError.js";
import { createApi } from "./http/api.js";
import { securityHeaders } from "./http/securityHeaders.js";
import { mountWeb } from "./http/staticWeb.js";
import type { Logger } from "./log.js";
import { openStore } from "./store/openStore.js";
import { Hub } from "./sync/Hub.js";
import { SyncServer } from "./sync/SyncServer.js";

export interface Relay {
  /** `http://host:port` with the real port. */
  url: string;
  port: number;
  /** Stops accepting, closes sockets with 1001, flushes the store ([P2]). */
  close(): Promise<void>;
}

const SWEEP_MS = 60 * 60 * 1000;
/** Append ids are remembered ([A3], N5) this long, and at most this many per user. */
const APPEND_IDS_KEEP_MS = 30 * 24 * 60 * 60 * 1000;
const APPEND_IDS_KEEP_PER_USER = 100_000;

/** Starts the relay: REST API, sync socket and web app on one port (docs/specification.md section 1). */
export async function startRelay(config: RelayConfig, log: Logger, version: string): Promise<Relay> {
  const { logStore: store, blobs } = await openStore(config.dataDir);
  const hub = new Hub(config);

  const app = new Hono();
  app.use("*", securityHeaders);
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      if (err.retryAfter !== undefined) c.header("Retry-After", String(err.retryAfter));
      return c.json({ error: { code: err.code, message: err.message }, ...err.extra }, err.status);
    }
    log.error("request failed", { method: c.req.method, path: c.req.path, error: err instanceof Error ? err.message : String(err) });
    return c.json({ error: { code: "internal", message: "Something went wrong on the relay." } }, 500);
  });
  app.route("/api", createApi({ config, store, blobs, hub, log, version }));
  if (hasWebBuild(config)) mountWeb(app, config.webDir);
  else {
    app.get("/", (c) => c.text("BotsChat relay is running. The web app is not built yet: run `pnpm build`, then restart.\n"));
  }
  app.notFound((c) => c.json({ error: { code: "not_found", message: "Not found." } }, 404));

  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const remoteOf = (req: IncomingMessage) => {
    const fwd = req.headers["x-forwarded-for"];
    return clientAddress(req.socket.remoteAddress, Array.isArray(fwd) ? fwd.join(",") : fwd, config.trustProxy);
  };
  const sync = new SyncServer(server, { config, store, hub, log }, remoteOf);

  const sweep = setInterval(() => {
    store
      .expireAppendIds(Date.now() - APPEND_IDS_KEEP_MS, APPEND_IDS_KEEP_PER_USER)
      .catch((e: unknown) => log.warn("append id sweep failed", { error: String(e) }));
    store.deleteIdleSessions(Date.now() - 30 * 24 * 60 * 60 * 1000).then(
      (gone) => gone.forEach((t) => hub.closeDevice(t.id, 4401, "session expired")),
      (e: unknown) => log.warn("idle session sweep failed", { error: String(e) }),
    );
  }, SWEEP_MS);
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweep);
        const stopped = new Promise<void>((r) => server.close(() => r()));
        await sync.close();
        server.closeIdleConnections?.();
        setTimeout(() => server.closeAllConnections?.(), 2000).unref();
        await stopped;
        await store.close();
      })()),
  };
}
