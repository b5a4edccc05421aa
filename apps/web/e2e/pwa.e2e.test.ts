import { describe, expect, it } from "vitest";
import { e2eForFile } from "./harness/e2eForFile.js";
import { PATIENCE_MS } from "./harness/person.js";

const fx = e2eForFile();

interface Manifest {
  name?: string;
  display?: string;
  start_url?: string;
  icons?: { src: string; sizes?: string }[];
}

describe("installable app", () => {
  it("the app links a web manifest with a name and 192 px and 512 px icons, and registers a service worker for the whole site", async () => {
    const { page } = await fx.device();
    await page.goto("/");
    const href = await page.locator("link[rel=manifest]").getAttribute("href");
    expect(href).toBeTruthy();
    const res = await page.request.get(new URL(href!, fx.relay.url).toString());
    expect(res.status()).toBe(200);
    const manifest = (await res.json()) as Manifest;
    expect(manifest.name).toBe("BotsChat");
    expect(manifest.display).toBe("standalone");
    const sizes = (manifest.icons ?? []).map((i) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    for (const icon of manifest.icons ?? []) {
      expect((await page.request.get(new URL(icon.src, new URL(href!, fx.relay.url)).toString())).status()).toBe(200);
    }
    const scope = await page.evaluate<string>("navigator.serviceWorker.ready.then((r) => r.scope)");
    expect(scope).toBe(`${fx.relay.url}/`);
  });

  it("after a first visit, the app opens with the network gone", async () => {
    const { context, page } = await fx.device();
    await page.goto("/");
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor({ timeout: PATIENCE_MS });
    await page.evaluate("navigator.serviceWorker.ready");
    await context.setOffline(true);
    await page.reload();
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor({ timeout: PATIENCE_MS });
    // The API is never answered from a cache: offline it fails.
    const api = await page.evaluate<string>("fetch('/api/health').then((r) => 'status ' + r.status, (e) => 'failed')");
    expect(api).toBe("failed");
  });
});
