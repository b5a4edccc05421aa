/**
 * Default limits of the relay (docs/specification.md 3.3, [E3]). Every one is configurable on the relay;
 * docs/protocol.md lists them with their flags.
 */
export const DEFAULT_LIMITS = {
  /** Largest accepted WebSocket frame, in bytes. */
  frameBytes: 16 * 1024 * 1024,
  /** Frames above this are not even buffered: the socket is closed with 1009. */
  hardFrameBytes: 32 * 1024 * 1024,
  /** Largest blob, in bytes. */
  blobBytes: 100 * 1024 * 1024,
  /** Per-user storage quota (entries + blobs), in bytes. */
  quotaBytes: 1024 * 1024 * 1024,
  /** Sustained appends per second per user, and the burst allowed above it. */
  appendsPerSecond: 1000,
  appendBurst: 4000,
  /** Sustained eph frames per second per user, and the burst. */
  ephPerSecond: 500,
  ephBurst: 1000,
  /** `bad_frame` errors tolerated per socket in one minute before closing with 4400. */
  badFramesPerMinute: 20,
  /** Time allowed between opening the socket and `hello`, in ms. */
  helloTimeoutMs: 10_000,
  /** Login/register attempts per address and per email per minute. */
  authAttemptsPerMinute: 10,
  /** Largest vault, in bytes (before base64url). */
  vaultBytes: 1024,
  /** Largest frame before a socket's `hello` is accepted: a stranger's frames stay small. */
  helloFrameBytes: 4096,
  /** Sync sockets open at once from one address (IPv6: one /64), authenticated or not. */
  socketsPerAddress: 32,
  /** Sync sockets open at once for one user. */
  socketsPerUser: 64,
  /** Eph frames to a socket with more than this many bytes waiting to be sent are dropped. */
  ephBufferBytes: 1024 * 1024,
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

/** Bounds on frame fields (docs/specification.md section 3). */
export const FIELD_LIMITS = {
  appendIdMin: 1,
  appendIdMax: 64,
  streamMin: 16,
  streamMax: 64,
  labelMax: 64,
} as const;

/**
 * The shape a frame may have before it is decoded (`cborShapeProblem`): a peer's frames are small
 * maps of scalars and byte strings; the relay's `peers` frame holds a list of small maps.
 */
export const CBOR_SHAPE = {
  clientFrame: { maxItems: 32, maxDepth: 2 },
  relayFrame: { maxItems: 8192, maxDepth: 3 },
} as const;
