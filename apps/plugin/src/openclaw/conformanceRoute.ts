import type { IncomingMessage, ServerResponse } from "node:http";
import type { AgentBackend, AgentRequest } from "../AgentBackend.js";
import type { HttpRoute } from "./openclawSdk.js";

/** The route's path on the gateway's HTTP port. */
export const CONFORMANCE_PATH = "/botschat/backend";

/**
 * An opt-in HTTP bridge to the plugin's backend, for the conformance suite and for checking a
 * gateway by hand: only registered when `plugins.entries.botschat.config.backendRouteToken` is
 * set, and every call must carry that token (`authorization: Bearer <token>`).
 * `GET …/meta` answers agents, models and skills; `POST …/answer` takes an {@link AgentRequest}
 * without its signal and streams the events as NDJSON; closing the request aborts the turn.
 */
export function conformanceRoute(token: string, backend: () => AgentBackend): HttpRoute {
  return {
    path: CONFORMANCE_PATH,
    auth: "plugin",
    match: "prefix",
    handler: async (req: IncomingMessage, res: ServerResponse) => {
      if (req.headers.authorization !== `Bearer ${token}`) {
        res.writeHead(401).end();
        return true;
      }
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
      let raw = "";
      for await (const chunk of req) raw += String(chunk);
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
    },
  };
}
