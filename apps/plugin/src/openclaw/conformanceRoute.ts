import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AgentBackend, AgentRequest } from "../AgentBackend.js";
import type { HttpRoute } from "./openclawSdk.js";

/** The route's path on the gateway's HTTP port. */
export const CONFORMANCE_PATH = "/botschat/backend";

/** The largest request body the route reads (a request with its history and attachments' text). */
const MAX_ANSWER_BODY = 4 << 20;

/**
 * An opt-in HTTP bridge to the plugin's backend, for the conformance suite and for checking a
 * gateway by hand: only registered when `plugins.entries.botschat.config.backendRouteToken` is
 * set, and every call must carry that token (`authorization: Bearer <token>`).
 * `GET …/meta` answers agents, models and skills; `POST …/answer` takes an {@link AgentRequest}
 * without its signal and streams the events as NDJSON; closing the request aborts the turn.
 */
export function conformanceRoute(token: string, backend: () => AgentBackend): HttpRoute {
  return tokenRoute(CONFORMANCE_PATH, token, async (req, res) => {
    const b = backend();
    if (req.method === "GET" && req.url?.endsWith("/meta")) {
      const [agents, models, skills] = await Promise.all([b.listAgents(), b.listModels(), b.listSkills()]);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ agents, models, skills }));
      return true;
    }
    if (req.method !== "POST" || req.url?.endsWith("/answer") !== true) {
      res.writeHead(404).end();
      return true;
    }
    const raw = await readBody(req, MAX_ANSWER_BODY);
    if (raw === undefined) {
      res.writeHead(413, { connection: "close" }).end();
      return true;
    }
    const abort = new AbortController();
    res.on("close", () => abort.abort(new Error("the caller went away")));
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    try {
      const request = { ...(JSON.parse(raw) as Omit<AgentRequest, "signal">), signal: abort.signal };
      for await (const ev of b.answer(request)) res.write(JSON.stringify(ev) + "\n");
    } catch (e) {
      if (!abort.signal.aborted) res.write(JSON.stringify({ type: "error", message: e instanceof Error ? e.message : String(e) }) + "\n");
    }
    res.end();
    return true;
  });
}

/**
 * A test route under `path` (and below it) that answers 401 unless the request carries
 * `authorization: Bearer <token>`; `handle` answers the rest.
 */
export function tokenRoute(path: string, token: string, handle: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>): HttpRoute {
  return {
    path,
    auth: "plugin",
    match: "prefix",
    handler: async (req: IncomingMessage, res: ServerResponse) => {
      if (!bearerMatches(req, token)) {
        res.writeHead(401).end();
        return true;
      }
      return handle(req, res);
    },
  };
}

/** Whether the request carries `authorization: Bearer <token>` (compared in constant time). */
function bearerMatches(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? "");
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * The request's body as text, or undefined once it is (or says it will be) longer than `limit`
 * bytes; the rest is then left unread (answer 413 with `connection: close`).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"] ?? 0) > limit) {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      req.pause();
      resolve(undefined);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
