import { request } from "node:http";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type RelayProcess, startRelay, tempDir } from "@botschat/relay-testkit";
import { expectApiError } from "./support.js";

const INDEX = "<!doctype html><title>BotsChat</title><script type=module src=/assets/app-abc123.js></script>";
const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const SECRET = "this file is outside the web directory";

let web: string;
let relay: RelayProcess;
let corsRelay: RelayProcess;
const ALLOWED = "https://app.example.test";

beforeAll(async () => {
  const root = tempDir();
  writeFileSync(join(root, "secret.txt"), SECRET);
  web = join(root, "web");
  mkdirSync(join(web, "assets"), { recursive: true });
  writeFileSync(join(web, "index.html"), INDEX);
  writeFileSync(join(web, "sw.js"), "self.addEventListener('fetch', () => {});");
  writeFileSync(join(web, "assets", "app-abc123.js"), "console.log('app');");
  writeFileSync(join(web, "assets", "automerge_wasm_bg-4f5e6d7c.wasm"), WASM);
  writeFileSync(join(web, "manifest.webmanifest"), JSON.stringify({ name: "BotsChat" }));
  [relay, corsRelay] = await Promise.all([startRelay({ args: ["--web", web] }), startRelay({ args: ["--web", web, "--cors-origin", ALLOWED] })]);
});
afterAll(async () => {
  await Promise.all([relay.stop(), corsRelay.stop()]);
});

/** A GET with a raw, unnormalised path (fetch would resolve `..`). */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET" }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function expectSecurityHeaders(h: Headers): void {
  const csp = h.get("content-security-policy") ?? "";
  expect(csp).toMatch(/script-src[^;]*'self'/);
  expect(csp).toMatch(/script-src[^;]*'wasm-unsafe-eval'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toMatch(/frame-ancestors 'none'/);
  // What an agent's markdown may make the app load or reach: nothing beyond the relay itself
  // (a remote image in a reply is not fetched, so it cannot tell anyone the reply was read).
  const directive = (name: string): string[] => (new RegExp(`(?:^|; )${name} ([^;]*)`).exec(csp)?.[1] ?? "").split(" ");
  expect(directive("default-src")).toEqual(["'self'"]);
  expect(directive("img-src").sort()).toEqual(["'self'", "blob:", "data:"]);
  expect(directive("media-src").sort()).toEqual(["'self'", "blob:"]);
  expect(directive("connect-src")).toEqual(["'self'"]);
  expect(directive("object-src")).toEqual(["'none'"]);
  expect(directive("base-uri")).toEqual(["'none'"]);
  expect(h.get("x-frame-options")).toBe("DENY");
  expect(h.get("x-content-type-options")).toBe("nosniff");
  expect(h.get("referrer-policy")).toBe("no-referrer");
}

describe("static web app", () => {
  it("serves index.html at / as HTML with security headers", async () => {
    const res = await fetch(`${relay.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await res.text()).toBe(INDEX);
    expectSecurityHeaders(res.headers);
  });

  it("falls back to index.html for unknown non-API paths (SPA routes)", async () => {
    for (const path of ["/channels/general", "/settings", "/a/b/c?x=1"]) {
      const res = await fetch(`${relay.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await res.text()).toBe(INDEX);
      expectSecurityHeaders(res.headers);
    }
  });

  it("answers an unknown /api/ path with a JSON 404, not the app", async () => {
    const res = await json(relay.url, "/api/unknown");
    expectApiError(res, 404, "not_found");
    expect(res.text).not.toContain("<!doctype html>");
  });

  it("serves .wasm as application/wasm and .webmanifest as application/manifest+json", async () => {
    const wasm = await fetch(`${relay.url}/assets/automerge_wasm_bg-4f5e6d7c.wasm`);
    expect(wasm.status).toBe(200);
    expect(wasm.headers.get("content-type")).toBe("application/wasm");
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(WASM);
    const manifest = await fetch(`${relay.url}/manifest.webmanifest`);
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get("content-type")).toMatch(/^application\/manifest\+json/);
  });

  it("serves the service worker with Cache-Control: no-cache", async () => {
    const res = await fetch(`${relay.url}/sw.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    expect(res.headers.get("cache-control")).toMatch(/no-cache/);
  });

  it("serves hashed assets as immutable JavaScript", async () => {
    const res = await fetch(`${relay.url}/assets/app-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    expect(res.headers.get("cache-control")).toMatch(/immutable/);
    expect(await res.text()).toBe("console.log('app');");
  });

  it("never serves a file outside the web directory", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/assets/..%2f..%2fsecret.txt", "/%2e%2e%5csecret.txt"]) {
      const res = await rawGet(relay.port, path);
      expect(res.body).not.toContain(SECRET);
    }
  });

  it("sends no CORS headers when no --cors-origin is configured", async () => {
    const res = await fetch(`${relay.url}/api/health`, { headers: { origin: ALLOWED } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const pre = await fetch(`${relay.url}/api/auth/login`, {
      method: "OPTIONS",
      headers: { origin: ALLOWED, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("sends CORS headers only for the configured origin", async () => {
    const ok = await fetch(`${corsRelay.url}/api/health`, { headers: { origin: ALLOWED } });
    expect(ok.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    const pre = await fetch(`${corsRelay.url}/api/auth/login`, {
      method: "OPTIONS",
      headers: { origin: ALLOWED, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
    });
    expect(pre.status).toBeLessThan(300);
    expect(pre.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    const evil = await fetch(`${corsRelay.url}/api/health`, { headers: { origin: "https://evil.example.test" } });
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const evilPre = await fetch(`${corsRelay.url}/api/auth/login`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example.test", "access-control-request-method": "POST" },
    });
    expect(evilPre.headers.get("access-control-allow-origin")).toBeNull();
  });
});
