/**
 * The shape of test-vectors/v1.json (described for other implementations in
 * test-vectors/README.md). Byte strings are lowercase hex.
 */
export interface VectorsV1 {
  format: "botschat-crypto-test-vectors";
  version: 1;
  vaults: VaultVector[];
  streamIds: {
    streamIdKey: string;
    root: string;
    documents: StreamIdVector[];
  };
  entries: { contentKey: string; streamIdKey: string; cases: EntryVector[] };
  eph: { contentKey: string; streamIdKey: string; cases: EphVector[] };
  blobs: { chunkBytes: number; cases: BlobVector[] };
}

export interface VaultVector {
  name: string;
  passphrase: string;
  /** UTF-8 of the NFC-normalised passphrase: the exact Argon2id password. */
  passwordBytes: string;
  salt: string;
  ops: number;
  mem: number;
  masterKey: string;
  checkKey: string;
  check: string;
  contentKey: string;
  streamIdKey: string;
  /** The CBOR vault, and its base64url form as the REST API carries it. */
  vault: string;
  vaultBase64url: string;
}

export interface StreamIdVector {
  documentId: string;
  /** The BLAKE2b input: UTF-8 of "doc:" + id, or of "root" for the root document. */
  input: string;
  streamId: string;
}

export interface EntryVector {
  name: string;
  doc: string;
  stream: string;
  kind: "update" | "snapshot";
  data?: string;
  deleted?: true;
  nonce: string;
  /** CBOR plaintext before padding. */
  plaintext: string;
  paddedLength: number;
  ad: string;
  body: string;
}

export interface EphVector {
  name: string;
  stream: string;
  payload: { doc: string; type: string; [field: string]: unknown };
  nonce: string;
  plaintext: string;
  paddedLength: number;
  ad: string;
  body: string;
}

export interface BlobVector {
  name: string;
  key: string;
  header: string;
  /** The plaintext in hex, or a rule to generate it (see README). */
  plaintext: string | { length: number; rule: "byte i = i mod 251" };
  chunks: { tag: "message" | "final"; length: number; ciphertext?: string }[];
  ciphertextLength: number;
  /** Present for small cases: header ‖ every chunk. */
  ciphertext?: string;
  /** SHA-256 of the whole ciphertext: the blob's name on the relay. */
  sha256: string;
}
