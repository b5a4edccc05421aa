import { readFileSync } from "node:fs";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";
import { VitePWA } from "vite-plugin-pwa";

/** The relay `vite dev` forwards /api (REST and the sync WebSocket) to. */
const relay = process.env["BOTSCHAT_DEV_RELAY"] ?? "http://127.0.0.1:8787";

/** The app's version, shown in Settings › About. */
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

// The browser builds of automerge and automerge-repo import their wasm as an ES module, which
// needs a wasm plugin; the slim builds take the wasm from a URL instead (src/worker/initAutomerge.ts),
// which keeps the wasm a separate, cacheable file the service worker precaches.
const slimAutomerge = [
  { find: /^@automerge\/automerge$/, replacement: "@automerge/automerge/slim" },
  { find: /^@automerge\/automerge-repo$/, replacement: "@automerge/automerge-repo/slim" },
];

export default defineConfig({
  plugins: [
    solid(),
    VitePWA({
      registerType: "prompt",
      injectRegister: false,
      includeAssets: ["icon.svg"],
      manifest: {
        name: "BotsChat",
        short_name: "BotsChat",
        description: "An end-to-end-encrypted, local-first chat workspace for your agents.",
        theme_color: "#4f46e5",
        background_color: "#ffffff",
        display: "standalone",
        start_url: "/",
        icons: [
          { src: "icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "icon-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
          { src: "icon.svg", sizes: "any", type: "image/svg+xml" },
        ],
      },
      workbox: {
        globPatterns: ["**/*.{js,css,html,svg,png,wasm,webmanifest}"],
        // The passphrase strength dictionaries (~1.6 MB) serve only the step that creates a
        // workspace, which needs the relay anyway: fetched then, not installed with the app.
        globIgnores: ["**/passphrase-strength-*.js"],
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        navigateFallback: "index.html",
        // The API and blobs are never served from a cache: they are per user and per token.
        navigateFallbackDenylist: [/^\/api\//],
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  resolve: { alias: slimAutomerge },
  define: { __APP_VERSION__: JSON.stringify(version) },
  worker: { format: "es" },
  build: {
    target: "es2022",
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: { output: { manualChunks: (id: string) => (id.includes("@zxcvbn-ts") ? "passphrase-strength" : undefined) } },
  },
  server: { proxy: { "/api": { target: relay, ws: true, changeOrigin: true } } },
  preview: { proxy: { "/api": { target: relay, ws: true, changeOrigin: true } } },
});
