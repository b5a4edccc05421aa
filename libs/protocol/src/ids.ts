import { FIELD_LIMITS } from "./limits.js";

declare const brand: unique symbol;
/** A value of type `T` that has been checked to be a `Name`. */
export type Brand<T, Name extends string> = T & { readonly [brand]: Name };

export type UserId = Brand<string, "UserId">;
export type DeviceId = Brand<string, "DeviceId">;
export type StreamId = Brand<Uint8Array, "StreamId">;
export type Seq = Brand<number, "Seq">;
export type AppendId = Brand<string, "AppendId">;
export type BlobHash = Brand<string, "BlobHash">;
/**
 * The document id an envelope names (docs/specification.md [K4]): the peers' own document id,
 * except for the root, which has a fixed one. Peers turn their document ids into it in one place
 * (`@botschat/model`'s `envelopeDoc`); the relay never sees it.
 */
export type EnvelopeDocId = Brand<string, "EnvelopeDocId">;

const BLOB_HASH = /^[0-9a-f]{64}$/;
const USER_ID = /^u_[0-9A-Za-z]{16,64}$/;
const DEVICE_ID = /^d_[0-9A-Za-z]{16,64}$/;

export function parseBlobHash(s: string): BlobHash | undefined {
  return BLOB_HASH.test(s) ? (s as BlobHash) : undefined;
}
export function parseUserId(s: string): UserId | undefined {
  return USER_ID.test(s) ? (s as UserId) : undefined;
}
export function parseDeviceId(s: string): DeviceId | undefined {
  return DEVICE_ID.test(s) ? (s as DeviceId) : undefined;
}
export function parseStreamId(b: Uint8Array): StreamId | undefined {
  return b.length >= FIELD_LIMITS.streamMin && b.length <= FIELD_LIMITS.streamMax ? (b as StreamId) : undefined;
}
export function parseAppendId(s: string): AppendId | undefined {
  return s.length >= FIELD_LIMITS.appendIdMin && s.length <= FIELD_LIMITS.appendIdMax ? (s as AppendId) : undefined;
}
/** A seq is a non-negative safe integer. */
export function parseSeq(n: number): Seq | undefined {
  return Number.isSafeInteger(n) && n >= 0 ? (n as Seq) : undefined;
}
export function parseEnvelopeDocId(s: string): EnvelopeDocId | undefined {
  return s.length > 0 && s.length <= 128 ? (s as EnvelopeDocId) : undefined;
}

/** Hex form of a stream id, for logs and maps. */
export function streamHex(stream: Uint8Array): string {
  let out = "";
  for (const b of stream) out += b.toString(16).padStart(2, "0");
  return out;
}
