// The small runtime surface every lib may use: present in browsers, Node and workers alike.
// Libs get no DOM and no Node typings, so `node:*` or DOM-only APIs fail to typecheck here.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
declare const console: { log(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void };
declare function setTimeout(cb: () => void, ms?: number): unknown;
declare function clearTimeout(id: unknown): void;
declare function setInterval(cb: () => void, ms?: number): unknown;
declare function clearInterval(id: unknown): void;
declare function queueMicrotask(cb: () => void): void;
/** Web Crypto's CSPRNG, in browsers, workers and Node alike. */
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };
/** The WHATWG fetch subset the libs use (browsers, workers, Node ≥ 18). */
interface RuntimeResponse {
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
}
declare function fetch(url: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: unknown }): Promise<RuntimeResponse>;
