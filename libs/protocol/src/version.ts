/** Version of the relay protocol (docs/specification.md, v1). Bumped on any incompatible change. */
export const PROTOCOL_VERSION = 1;
