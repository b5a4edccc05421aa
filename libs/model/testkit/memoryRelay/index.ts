export { MemoryRelay, type MemoryRelayOptions, type MemoryUser } from "./MemoryRelay.js";
export { MemoryLine, type HoldDirection } from "./MemoryLine.js";
export { MemorySyncClient, type Close } from "./MemorySyncClient.js";
export { Direction } from "./MemoryNetwork.js";
export { APPEND_ID_BYTES, type StoredEntry } from "./MemoryLog.js";
