/**
 * The part of a WebSocket the engine uses: the browser's `WebSocket` and the `ws` package both fit.
 * Runtime-neutral on purpose; apps pass a factory.
 */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

/** The bytes of a binary message event, whatever the runtime hands out. */
export function messageBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data) && data.every((d) => d instanceof Uint8Array)) {
    const total = data.reduce((n: number, d: Uint8Array) => n + d.length, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const d of data as Uint8Array[]) {
      out.set(d, o);
      o += d.length;
    }
    return out;
  }
  return undefined;
}
