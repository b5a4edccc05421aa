// Browser-only parts of @botschat/model (`@botschat/model/dom`).
export { IndexedDbPeerStorage, type IndexedDbPeerStorageOptions } from "./storage/IndexedDbPeerStorage.dom.js";
