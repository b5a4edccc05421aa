/**
 * @botschat/crypto: what is inside an entry (docs/specification.md section 4, [K1]–[K7]). Pure functions
 * over `Uint8Array` on libsodium; await {@link ready} once before anything else.
 */
export { ready } from "./ready.js";
export * from "./sizes.js";
export type { TestOnlyNonceOption } from "./randomOrTestNonce.js";
export { toBase64url, fromBase64url } from "./base64url.js";

// Vault [K1] [K2]
export {
  VaultFailure,
  type VaultKeys,
  type VaultRecord,
  type OpenVaultResult,
  type DecodeVaultResult,
  type CreateVaultOptions,
  type CreatedVault,
} from "./Vault.js";
export { createVault } from "./createVault.js";
export { openVault } from "./openVault.js";
export { decodeVault } from "./decodeVault.js";

// Stream ids [K3]
export { streamIdFor, rootStreamId, ROOT_DOCUMENT_ID } from "./streamIdFor.js";

// Envelopes [K4] [K5] [K6]
export {
  EnvelopeFailure,
  type EnvelopeKind,
  type EntryContent,
  type SealEntryInput,
  type OpenEntryInput,
  type OpenEntryResult,
  type EphPayload,
  type OpenEphResult,
} from "./Envelope.js";
export { sealEntry } from "./sealEntry.js";
export { openEntry } from "./openEntry.js";
export { sealEph } from "./sealEph.js";
export { openEph } from "./openEph.js";

// Blobs [K7]
export { BlobFailure, BlobDecryptError, type BlobEncryptor, type BlobDecryptor, type DecryptBlobResult } from "./Blob.js";
export { createBlobEncryptor, generateBlobKey } from "./createBlobEncryptor.js";
export { createBlobDecryptor } from "./createBlobDecryptor.js";
export { encryptBlobStream } from "./encryptBlobStream.js";
export { decryptBlobStream } from "./decryptBlobStream.js";
export { encryptBlob } from "./encryptBlob.js";
export { decryptBlob } from "./decryptBlob.js";
export { sha256, createSha256, toBlobHash, blobHashOf, type Sha256 } from "./sha256.js";
