// Node-only parts of @botschat/model (`@botschat/model/node`).
export { FilePeerStorage, type FilePeerStorageOptions } from "./storage/FilePeerStorage.node.js";
