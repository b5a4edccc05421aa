import * as A from "@automerge/automerge/slim";
import wasmUrl from "@automerge/automerge/automerge.wasm?url";

let ready: Promise<number> | undefined;

/**
 * Loads Automerge's wasm from its own hashed file (precached by the service worker), once, then
 * warms it up. Everything that touches Automerge is imported only after this resolves.
 *
 * The warm-up: V8 compiles wasm (and JS) functions on their first call, so the first document a
 * fresh worker loads paid ~35–50 ms here for code paths, not for its bytes (a root document of
 * 800 B took 56 ms, the next one of 1.2 kB 10 ms). Running those paths on a throw-away document
 * while the service's module is still loading moves that cost off the first real load.
 *
 * @returns how long the warm-up took, in ms
 */
export function initAutomerge(): Promise<number> {
  ready ??= A.initializeWasm(wasmUrl).then(warmUp);
  return ready;
}

function warmUp(): number {
  const t0 = performance.now();
  type Warm = { m: Record<string, { t: string; n: number; l: string[] }> };
  let doc = A.from<Warm>({ m: {} });
  for (let i = 0; i < 3; i++) {
    doc = A.change(doc, (d) => {
      d.m[`k${i}`] = { t: "warm", n: i, l: ["a"] };
    });
  }
  const loaded = A.loadIncremental(A.loadIncremental(A.init<Warm>(), A.save(doc)), A.saveIncremental(doc));
  A.diff(loaded, [], A.getHeads(doc));
  A.change(A.clone(loaded), (d) => {
    d.m["k0"]!.t = "warmer";
  });
  JSON.stringify(A.toJS(loaded));
  return performance.now() - t0;
}
