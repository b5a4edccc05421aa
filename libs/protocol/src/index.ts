export { PROTOCOL_VERSION } from "./version.js";
export { CBOR_SHAPE, DEFAULT_LIMITS, FIELD_LIMITS, type Limits } from "./limits.js";
export { ErrorCode, FRAME_ERROR_CODES, CloseCode, type FrameErrorCode } from "./codes.js";
export {
  type Brand,
  type UserId,
  type DeviceId,
  type StreamId,
  type Seq,
  type AppendId,
  type BlobHash,
  type EnvelopeDocId,
  parseBlobHash,
  parseUserId,
  parseDeviceId,
  parseStreamId,
  parseAppendId,
  parseSeq,
  parseEnvelopeDocId,
  streamHex,
} from "./ids.js";
export * from "./frames.js";
export { encodeCbor, decodeCbor } from "./cbor.js";
export { cborShapeProblem, type CborShapeLimits } from "./cborShapeProblem.js";
export { decodeFrame, decodeRelayFrame, type DecodeResult, type FrameError } from "./decodeFrame.js";
export { encodeFrame } from "./encodeFrame.js";
export * from "./rest.js";
export { PASSPHRASE_LINE, setupConfig, setupLines, shellQuote, type SetupInput } from "./setupLines.js";
