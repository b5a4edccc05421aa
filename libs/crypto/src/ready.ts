import libsodium from "libsodium-wrappers-sumo";

let loaded = false;
let loading: Promise<void> | undefined;

/**
 * Resolves once libsodium (WebAssembly) is initialised. Await it once, before calling anything
 * else in this package; every other function is synchronous and throws if called earlier.
 *
 * @example
 * await ready();
 * const stream = rootStreamId(keys);
 */
export function ready(): Promise<void> {
  loading ??= libsodium.ready.then(() => {
    loaded = true;
  });
  return loading;
}

/** The initialised libsodium; calling it before {@link ready} resolved is a bug. */
export function sodium(): typeof libsodium {
  if (!loaded) throw new Error("@botschat/crypto: await ready() before using any other function");
  return libsodium;
}
