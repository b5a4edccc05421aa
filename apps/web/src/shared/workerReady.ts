/** The message a worker port sends once the workspace service listens on it. */
export const WORKER_READY = "botschat:ready";
