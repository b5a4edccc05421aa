import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";

const HASHED = /[-.][0-9A-Za-z_-]{8,}\.(js|css|wasm|woff2?|png|svg|jpg|webp)$/;
const NO_CACHE = /(^|\/)(sw\.js|service-worker\.js|workbox-[^/]*\.js|registerSW\.js|index\.html|manifest\.webmanifest)$/;

function cacheControl(path: string): string {
  if (NO_CACHE.test(path)) return "no-cache";
  if (HASHED.test(path) || path.includes("/assets/")) return "public, max-age=31536000, immutable";
  return "public, max-age=3600";
}

/**
 * Serves the built web app (docs/specification.md section 1): hashed assets immutable, the service worker and
 * the shell `no-cache`, and index.html for any other GET outside /api (the SPA's own routes).
 */
export function mountWeb(app: Hono, webDir: string): void {
  app.use(
    "*",
    serveStatic({
      root: webDir,
      onFound: (path, c) => {
        c.header("Cache-Control", cacheControl(path));
      },
    }),
  );
  app.get(
    "*",
    serveStatic({
      path: "index.html",
      root: webDir,
      onFound: (_path, c) => {
        c.header("Cache-Control", "no-cache");
      },
    }),
  );
}
