import { blobHashOf, decryptBlob, encryptBlob, fromBase64url, generateBlobKey, ready, toBase64url } from "@botschat/crypto";
import {
  type AgentStopFrame,
  archiveChannel,
  archiveSession,
  BlobDeleter,
  ConnectionState,
  chooseAction,
  createChannel,
  createSession,
  createTask,
  deleteChannel,
  deleteSession,
  deleteTask,
  DocType,
  EphType,
  type DeviceActor,
  type DeviceId,
  type DocumentId,
  type EphFrame,
  editTask,
  type Imm,
  markSessionRead,
  type MediaInput,
  noteCommandUse,
  type MessageId,
  renameChannel,
  retireGateways,
  renameSession,
  replyInThread,
  requestRun,
  retryMessage,
  regenerateReply,
  editMessage,
  ROOT_DOC_ID,
  sendMessage,
  setSessionModel,
  setTaskEnabled,
  updateSettings,
  updateGuide,
  type RunId,
  str,
  SyncEngine,
  type SyncLogEntry,
  type BlobHash,
  type SocketLike,
} from "@botschat/model";
import { IndexedDbPeerStorage } from "@botschat/model/dom";
import type { PeerInfo } from "@botschat/protocol";
import type { DocHandle } from "@automerge/automerge-repo";
import * as Comlink from "comlink";
import type { BlobDownload, OpenInput, OpResult, WorkspaceApi } from "../shared/WorkspaceApi.js";
import type { EngineStatus, GlobalUpdate, WatchTarget, WatchUpdate } from "../shared/views.js";
import { JobStreams } from "./JobStreams.js";
import { ViewWatch } from "./ViewWatch.js";
import { watchView } from "./watchViews.js";
import { deviceIdFor, forgetDevice, forgetPassphrase, rememberedPassphrase, rememberPassphrase, workspaceDbName } from "./deviceStore.js";
import { StreamTracker } from "./StreamTracker.js";
import { answerWithin } from "./answerWithin.js";

const LOG_KEEP = 500;
/**
 * How long a passphrase waits for the engine before the tab hears "still locked". Without the
 * vault on this device (a first unlock) the engine waits for the relay's welcome with no limit;
 * normally it comes in well under a second, plus the key derivation (~0.1–1 s).
 */
export const UNLOCK_ANSWER_MS = 15_000;
/**
 * Documents the engine keeps loaded at most (the least recently used idle ones are let go of first;
 * one a view listens to never is). A screen watches the root, one channel, the pages of one
 * session (a 10,000-message session has 20) and a thread, so 50 leaves room for the channels and
 * sessions visited last (going back to them is instant) while memory stops growing with every
 * session a long browsing session opens. See SyncEngineOptions.maxLoadedDocuments.
 */
export const MAX_LOADED_DOCUMENTS = 50;
/** libsodium starts loading with the worker, beside everything else the first open waits for. */
const sodiumReady = ready();
const CLOSED: EngineStatus = { state: ConnectionState.offline, progress: { applied: 0, head: 0, cursor: 0 }, pending: 0, opened: false };

interface Watch {
  client: number;
  target: WatchTarget;
  view: ViewWatch<WatchUpdate>;
  send: (u: WatchUpdate) => void;
}

/** Documents a view lets go of when nobody watches them any more (the big ones; a channel or the root stays loaded). */
const RELEASED_WHEN_UNWATCHED: ReadonlySet<string> = new Set([DocType.page, DocType.thread, DocType.jobs]);
/** How long an unwatched document stays loaded in case a view watches it again. */
const RELEASE_AFTER_MS = 2_000;

/**
 * The one place where the workspace lives in a browser: the sync engine over IndexedDB, the
 * crypto, and the operations, shared by every tab of the origin (one SharedWorker, or the tab
 * holding the `botschat-engine` lock). Tabs see plain views pushed through callbacks.
 */
export class WorkspaceService implements WorkspaceApi {
  private engine: SyncEngine | undefined;
  /** Deletes the blobs no message refers to any more at the relay, whenever the engine is live. */
  private blobs: BlobDeleter | undefined;
  private storage: IndexedDbPeerStorage | undefined;
  private input: OpenInput | undefined;
  private actor: DeviceActor | undefined;
  private opening: Promise<EngineStatus> | undefined;
  private waiting = false;
  /** The engine has tried the relay since it opened (before that, "offline" only means "not yet"). */
  private contacted = false;
  private peers: PeerInfo[] = [];
  private readonly log: SyncLogEntry[] = [];
  private logPending: SyncLogEntry[] = [];
  private logTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly clients = new Map<number, (u: GlobalUpdate) => void>();
  private readonly watches = new Map<number, Watch>();
  /** A stream joined midway, or with a frame missed, asks its agent for a keyframe. */
  private readonly askKeyframe = (doc: DocumentId, frame: EphFrame): void => void this.engine?.sendEph(doc, frame);
  private readonly streams = new StreamTracker(Date.now, this.askKeyframe);
  private readonly jobStreams = new JobStreams(Date.now, this.askKeyframe);
  private nextId = 1;
  private rev = 0;
  private readonly offlineClients = new Set<number>();
  private releaseLock: (() => void) | undefined;
  /** A remembered passphrase is being applied (see {@link WorkspaceService.open}). */
  private unlocking = false;
  /** A passphrase is remembered on this device for the open account. */
  private remembered = false;
  private deferredUnlock: (() => void) | undefined;
  private unlockTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param exclusive When set (a dedicated worker per tab), the engine starts only while this
   *   returns holding the origin-wide lock; tabs without it wait.
   */
  constructor(
    private readonly exclusive?: (onWaiting: () => void) => Promise<() => void>,
    boot?: string,
  ) {
    if (boot !== undefined) this.addLog({ ts: Date.now(), cat: "INF", msg: boot });
  }

  async hello(onGlobal: (u: GlobalUpdate) => void): Promise<number> {
    const id = this.nextId++;
    this.clients.set(id, onGlobal);
    onGlobal({ kind: "status", status: this.status() });
    onGlobal({ kind: "peers", peers: this.peers });
    // Lines still waiting for the next batch come with it, not twice.
    onGlobal({ kind: "log", lines: this.log.slice(0, Math.max(0, this.log.length - this.logPending.length)) });
    return id;
  }

  async goodbye(client: number): Promise<void> {
    this.clients.delete(client);
    await this.setOnline(client, true);
    for (const [id, w] of this.watches) if (w.client === client) await this.unwatch(id);
  }

  open(input: OpenInput): Promise<EngineStatus> {
    if (this.engine !== undefined && this.input?.userId === input.userId) return Promise.resolve(this.status());
    this.opening ??= this.start(input).finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async start(input: OpenInput): Promise<EngineStatus> {
    if (this.engine !== undefined) await this.stopEngine();
    if (this.exclusive !== undefined && this.releaseLock === undefined) {
      this.releaseLock = await this.exclusive(() => {
        this.waiting = true;
        this.broadcast({ kind: "status", status: this.status() });
      });
      this.waiting = false;
    }
    const t0 = performance.now();
    await sodiumReady;
    const tSodium = performance.now();
    this.input = input;
    this.actor = { device: (await deviceIdFor(input.userId)) as DeviceId };
    this.storage = await IndexedDbPeerStorage.open(workspaceDbName(input.userId));
    const tStorage = performance.now();
    const engine = new SyncEngine({
      relayUrl: input.relayUrl,
      token: input.token,
      storage: this.storage,
      socket: (url) => (this.networkUp() ? (new WebSocket(url) as unknown as SocketLike) : deadSocket()),
      // A chat wants a message on the other device quickly; 15 ms still batches a burst of changes.
      debounceMs: 15,
      maxLoadedDocuments: MAX_LOADED_DOCUMENTS,
      label: input.label,
    });
    this.engine = engine;
    this.contacted = false;
    this.blobs = new BlobDeleter(engine, { relayUrl: input.relayUrl, token: input.token, log: (line) => this.addLog(line) });
    engine.on("status", (status) => {
      if (status.state !== ConnectionState.offline && status.state !== ConnectionState.locked) this.contacted = true;
      // Who is connected is known only while this device is: without a connection the last list is stale.
      if (status.state !== ConnectionState.live && status.state !== ConnectionState.catchingUp && this.peers.length > 0) {
        this.peers = [];
        this.broadcast({ kind: "peers", peers: [] });
      }
      this.broadcast({ kind: "status", status: this.status() });
    });
    engine.on("peers", (peers) => {
      this.peers = peers;
      this.broadcast({ kind: "peers", peers });
    });
    engine.on("log", (line) => this.addLog(line));
    engine.on("remote", (doc) => this.docArrived(doc));
    engine.on("eph", ({ doc, payload }) => {
      const stream = this.streams.apply(doc, payload);
      if (stream !== undefined) {
        for (const w of this.watches.values()) if (w.target.kind === "messages" && w.target.doc === doc) w.send({ kind: "stream", stream });
        return;
      }
      const job = this.jobStreams.apply(doc, payload);
      if (job === undefined) return;
      for (const w of this.watches.values())
        if ((w.target.kind === "jobs" || w.target.kind === "job") && w.view.reads(doc)) w.send({ kind: "job-stream", stream: job });
    });
    // Known before the engine's first status goes out, so no tab is asked for a passphrase meanwhile.
    const remembered = await rememberedPassphrase(input.userId);
    this.remembered = remembered !== undefined;
    this.unlocking = remembered !== undefined;
    await engine.start();
    const tStart = performance.now();
    // What the first screen shows is loaded now: documents are readable without keys.
    const first = [ROOT_DOC_ID, ...((input.prefetch ?? []) as DocumentId[])].filter((id) => engine.has(id));
    await Promise.all(first.map((id) => engine.find(id).catch(() => undefined)));
    for (const w of this.watches.values()) w.view.retry();
    const ms = (a: number, b: number): number => Math.round(b - a);
    this.addLog({
      ts: Date.now(),
      cat: "INF",
      msg: `opened in ${ms(t0, performance.now())} ms: libsodium ${ms(t0, tSodium)}, storage ${ms(tSodium, tStorage)}, engine start ${ms(tStorage, tStart)}, first documents ${ms(tStart, performance.now())} (${first.length})`,
    });
    if (remembered !== undefined && engine.getStatus().state === ConnectionState.locked) {
      this.deferredUnlock = () => void this.applyRemembered(engine, input.userId, remembered);
      // Deriving keys blocks this worker for a moment: the first screen's views go out first
      // (the first messages watch lets it run), or after a short while at the latest.
      this.unlockTimer = setTimeout(() => this.runDeferredUnlock(), 400);
    } else this.unlocking = false;
    this.broadcast({ kind: "status", status: this.status() });
    return this.status();
  }

  private async applyRemembered(engine: SyncEngine, userId: string, passphrase: string): Promise<void> {
    const t0 = performance.now();
    try {
      const status = await this.unlockEngine(engine, passphrase);
      this.addLog({ ts: Date.now(), cat: "INF", msg: `remembered passphrase applied in ${Math.round(performance.now() - t0)} ms` });
      if (status.lock === "wrong-passphrase") {
        await forgetPassphrase(userId);
        this.remembered = false;
      }
    } catch (e) {
      this.addLog({ ts: Date.now(), cat: "WRN", msg: `the remembered passphrase could not be applied: ${messageOf(e)}` });
    } finally {
      // Never left "unlocking": that hides the passphrase step from every tab.
      this.unlocking = false;
    }
    await this.reattach();
    this.broadcast({ kind: "status", status: this.status() });
  }

  private runDeferredUnlock(): void {
    clearTimeout(this.unlockTimer);
    const run = this.deferredUnlock;
    this.deferredUnlock = undefined;
    run?.();
  }

  async unlock(passphrase: string, remember: boolean): Promise<EngineStatus> {
    const engine = this.engine;
    if (engine === undefined) return this.status();
    const opened = async (): Promise<void> => {
      if (engine.getStatus().state === ConnectionState.locked || this.input === undefined) return;
      if (remember) {
        await rememberPassphrase(this.input.userId, passphrase);
        this.remembered = true;
      }
      await this.reattach();
    };
    await this.unlockEngine(engine, passphrase, opened);
    await opened();
    return this.status();
  }

  async unlockRemembered(): Promise<EngineStatus> {
    if (this.engine === undefined || this.input === undefined) return this.status();
    // A deferred remembered unlock runs on its own (after the first views, 400 ms at the latest):
    // waiting for it here does not pull the key derivation in front of the first screen.
    if (this.unlocking) {
      await this.until(() => !this.unlocking);
      // Applied already (and answered, or out of time): trying it again would only wait again.
      return this.status();
    }
    if (this.engine.getStatus().state !== ConnectionState.locked) return this.status();
    const passphrase = await rememberedPassphrase(this.input.userId);
    if (passphrase === undefined) return this.status();
    const status = await this.unlockEngine(this.engine, passphrase);
    if (status.lock === "wrong-passphrase") await forgetPassphrase(this.input.userId);
    await this.reattach();
    return this.status();
  }

  /**
   * Gives the engine the passphrase and answers within {@link UNLOCK_ANSWER_MS}: when the relay
   * has not answered by then the status says "locked" (the tab shows the passphrase step and
   * "still locked"); the engine keeps the passphrase and opens when the welcome comes, and
   * `opened` and a status push follow then.
   */
  private async unlockEngine(engine: SyncEngine, passphrase: string, opened?: () => Promise<void>): Promise<EngineStatus> {
    const r = await answerWithin(engine.unlock(passphrase), UNLOCK_ANSWER_MS);
    if (!r.answered) {
      this.addLog({
        ts: Date.now(),
        cat: "WRN",
        msg: `no answer from the relay in ${UNLOCK_ANSWER_MS / 1000} s: still locked; it opens when the relay answers`,
      });
      void r.later.then(
        async () => {
          if (this.engine !== engine) return;
          await opened?.();
          await this.reattach();
          this.broadcast({ kind: "status", status: this.status() });
        },
        (e: unknown) => this.addLog({ ts: Date.now(), cat: "WRN", msg: `unlocking failed: ${messageOf(e)}` }),
      );
    }
    return this.status();
  }

  async lock(): Promise<EngineStatus> {
    await this.opening?.catch(() => undefined);
    this.remembered = false;
    this.engine?.lock();
    if (this.input !== undefined) await forgetPassphrase(this.input.userId);
    return this.status();
  }

  async signOut(userId: string, wipe: boolean): Promise<void> {
    // An open under way would otherwise finish after this, with an engine (maybe unlocked by the
    // remembered passphrase it read) that outlives the sign-out and greets the next sign-in.
    await this.opening?.catch(() => undefined);
    if (this.input === undefined || this.input.userId === userId) {
      await this.stopEngine();
      this.input = undefined;
    }
    // Signed out (here, or from another device): the next sign-in asks for the passphrase again.
    this.remembered = false;
    await forgetPassphrase(userId);
    if (wipe) {
      await forgetDevice(userId);
      await new Promise<void>((resolve) => {
        const req = indexedDB.deleteDatabase(workspaceDbName(userId));
        req.onsuccess = req.onerror = req.onblocked = () => resolve();
      });
    }
    this.addLog({ ts: Date.now(), cat: "INF", msg: wipe ? "signed out; this device's copy and keys deleted" : "signed out" });
    this.broadcast({ kind: "status", status: this.status() });
  }

  async reconnectNow(): Promise<void> {
    this.engine?.reconnectNow();
  }

  async setOnline(client: number, online: boolean): Promise<void> {
    const before = this.networkUp();
    this.offlineClients.delete(client);
    if (!online) this.offlineClients.add(client);
    const after = this.networkUp();
    if (before && !after) this.engine?.disconnect();
    else if (!before && after) this.engine?.reconnectNow();
  }

  /** False while any tab says the browser is offline (the worker's own socket may not notice for a while). */
  private networkUp(): boolean {
    return this.offlineClients.size === 0;
  }

  async watch(client: number, target: WatchTarget, onUpdate: (u: WatchUpdate) => void): Promise<number> {
    const id = this.nextId++;
    const { compute, partial } = watchView(target);
    const view = new ViewWatch<WatchUpdate>(() => this.engine, compute, onUpdate, { partial: partial === true });
    this.watches.set(id, { client, target, view, send: onUpdate });
    view.start();
    if (target.kind === "messages") {
      for (const stream of this.streams.of(target.doc)) onUpdate({ kind: "stream", stream });
      if (this.deferredUnlock !== undefined) setTimeout(() => this.runDeferredUnlock(), 0);
    } else if (target.kind === "job") {
      for (const stream of this.jobStreams.of(target.doc)) if (stream.job === target.job) onUpdate({ kind: "job-stream", stream });
    }
    return id;
  }

  async unwatch(watch: number): Promise<void> {
    const w = this.watches.get(watch);
    if (w === undefined) return;
    this.watches.delete(watch);
    const handles = w.view.close();
    // A moment later: a view that changes its window (or a tab going back) watches the same documents again at once.
    if (handles.length > 0) setTimeout(() => this.releaseUnwatched(handles), RELEASE_AFTER_MS);
  }

  /** Lets go of pages, threads and job logs nobody looks at any more, so a long browsing session stays small. */
  private releaseUnwatched(handles: DocHandle<unknown>[]): void {
    const engine = this.engine;
    if (engine === undefined) return;
    for (const handle of handles) {
      const doc = handle.documentId as DocumentId;
      if (!engine.isLoaded(doc) || [...this.watches.values()].some((o) => o.view.reads(doc))) continue;
      let type: string | undefined;
      try {
        type = str((handle.doc() as { type?: Imm } | undefined)?.type);
      } catch {
        continue; // let go of and loaded again meanwhile: another view's now
      }
      if (type !== undefined && RELEASED_WHEN_UNWATCHED.has(type)) void engine.release(doc);
    }
  }

  createChannel: WorkspaceApi["createChannel"] = (input) =>
    this.op(async (e, a) => {
      const made = await createChannel(e, a, input);
      return { channel: made.channel, doc: made.doc };
    });
  renameChannel: WorkspaceApi["renameChannel"] = (input) => this.op((e, a) => renameChannel(e, a, input));
  retireGateways: WorkspaceApi["retireGateways"] = (input) =>
    this.op(async (e, a) => {
      await retireGateways(e, a, input);
    });
  archiveChannel: WorkspaceApi["archiveChannel"] = (input) => this.op((e, a) => archiveChannel(e, a, input));
  deleteChannel: WorkspaceApi["deleteChannel"] = (input) =>
    this.op(async (e, a) => {
      await deleteChannel(e, a, input);
      this.blobs?.kick();
    });
  createSession: WorkspaceApi["createSession"] = (input) => this.op(async (e, a) => ({ session: (await createSession(e, a, input)).session }));
  renameSession: WorkspaceApi["renameSession"] = (input) => this.op((e, a) => renameSession(e, a, input));
  deleteSession: WorkspaceApi["deleteSession"] = (input) =>
    this.op(async (e, a) => {
      await deleteSession(e, a, input);
      this.blobs?.kick();
    });
  archiveSession: WorkspaceApi["archiveSession"] = (input) => this.op((e, a) => archiveSession(e, a, input));
  setSessionModel: WorkspaceApi["setSessionModel"] = (input) => this.op((e, a) => setSessionModel(e, a, input));
  setDefaultModel: WorkspaceApi["setDefaultModel"] = (input) => this.op((e, a) => updateSettings(e, a, { gatewayModel: input }));
  updateGuide: WorkspaceApi["updateGuide"] = (input) => this.op(async (e, a) => ({ recorded: await updateGuide(e, a, input) }));
  markRead: WorkspaceApi["markRead"] = (input) =>
    this.op(async (e, a) => {
      await markSessionRead(e, a, input);
    });
  sendMessage: WorkspaceApi["sendMessage"] = (input) =>
    this.op(async (e, a) => {
      const sent = await sendMessage(e, a, input);
      await this.countCommand(e, a, input.text);
      return { doc: sent.doc, message: sent.message };
    });
  replyInThread: WorkspaceApi["replyInThread"] = (input) =>
    this.op(async (e, a) => {
      const sent = await replyInThread(e, a, input);
      await this.countCommand(e, a, input.text);
      return { doc: sent.doc, message: sent.message };
    });
  chooseAction: WorkspaceApi["chooseAction"] = (input) =>
    this.op(async (e, a) => {
      await chooseAction(e, a, input);
    });
  retryMessage: WorkspaceApi["retryMessage"] = (input) =>
    this.op(async (e, a) => {
      await retryMessage(e, a, input);
    });
  regenerateReply: WorkspaceApi["regenerateReply"] = (input) => this.op(async (e, a) => ({ message: (await regenerateReply(e, a, input)).message }));
  editMessage: WorkspaceApi["editMessage"] = (input) => this.op(async (e, a) => ({ message: (await editMessage(e, a, input)).message }));
  createTask: WorkspaceApi["createTask"] = (input) => this.op((e, a) => createTask(e, a, input));
  editTask: WorkspaceApi["editTask"] = (input) => this.op((e, a) => editTask(e, a, input));
  setTaskEnabled: WorkspaceApi["setTaskEnabled"] = (input) => this.op((e, a) => setTaskEnabled(e, a, input));
  runTaskNow: WorkspaceApi["runTaskNow"] = (input) =>
    this.op(async (e, a) => {
      await requestRun(e, a, input);
    });
  deleteTask: WorkspaceApi["deleteTask"] = (input) => this.op((e, a) => deleteTask(e, a, input));

  async stopReply(input: { doc: DocumentId; message: string; run: string }): Promise<OpResult> {
    const sent =
      this.engine?.sendEph(input.doc, { type: EphType.agentStop, message: input.message as MessageId, run: input.run as RunId } satisfies AgentStopFrame) ??
      false;
    return sent ? { ok: true, value: undefined } : { ok: false, message: "Not connected: the agent could not be asked to stop." };
  }

  async uploadBlob(input: { name: string; mime: string; bytes: Uint8Array }): Promise<OpResult<MediaInput>> {
    await this.opening;
    if (this.input === undefined) return { ok: false, message: "Not signed in." };
    try {
      await ready();
      const key = generateBlobKey();
      const ciphertext = encryptBlob(key, input.bytes);
      const hash = blobHashOf(ciphertext);
      const res = await fetch(`${this.input.relayUrl}/api/blobs/${hash}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${this.input.token}`, "content-type": "application/octet-stream" },
        body: ciphertext as Uint8Array<ArrayBuffer>,
      });
      if (!res.ok) return { ok: false, message: await errorMessage(res, "The upload failed") };
      return { ok: true, value: { hash: hash as BlobHash, key: toBase64url(key), mime: input.mime, name: input.name, size: input.bytes.length } };
    } catch (e) {
      return { ok: false, message: `The upload failed: ${messageOf(e)}` };
    }
  }

  async downloadBlob(input: { hash: string; key: string }): Promise<BlobDownload> {
    // A cached screen may ask for its images before this tab's open has finished.
    await this.opening;
    if (this.input === undefined) return { ok: false, message: "Not signed in." };
    try {
      await ready();
      const res = await fetch(`${this.input.relayUrl}/api/blobs/${input.hash}`, {
        headers: { authorization: `Bearer ${this.input.token}` },
        cache: "no-store",
      });
      // Deleted with the last message that referred to it (or never uploaded): nothing to try again.
      if (res.status === 404) return { ok: false, gone: true, message: "This attachment was deleted." };
      if (!res.ok) return { ok: false, message: await errorMessage(res, "The download failed") };
      const key = fromBase64url(input.key);
      if (key === undefined) return { ok: false, message: "The file's key is malformed." };
      const out = decryptBlob(key, new Uint8Array(await res.arrayBuffer()));
      if (!out.ok) return { ok: false, message: "The file could not be decrypted." };
      return { ok: true, value: Comlink.transfer(out.plaintext, [out.plaintext.buffer]) };
    } catch (e) {
      return { ok: false, message: `The download failed: ${messageOf(e)}` };
    }
  }

  // ---------------------------------------------------------------- internals

  private status(): EngineStatus {
    this.rev += 1;
    if (this.engine === undefined) {
      // No engine yet (a tab is about to open one, or is opening it): on its way, like an engine
      // that has not tried the relay. (Signed out, nothing shows a status.)
      return { ...CLOSED, rev: this.rev, ...(this.waiting ? { waiting: true } : {}), ...(this.networkUp() ? { starting: true } : {}) };
    }
    return {
      rev: this.rev,
      ...this.engine.getStatus(),
      opened: true,
      ...(this.actor ? { device: this.actor.device } : {}),
      ...(this.unlocking ? { unlocking: true } : {}),
      ...(this.remembered ? { remembered: true } : {}),
      // Opened, and the first connection not tried yet: not offline, only not there yet.
      ...(!this.contacted && this.networkUp() ? { starting: true } : {}),
    };
  }

  private async op<T>(fn: (engine: SyncEngine, actor: DeviceActor) => Promise<T>): Promise<OpResult<T>> {
    const engine = this.engine;
    if (engine === undefined || this.actor === undefined) return { ok: false, message: "The workspace is not open." };
    try {
      const value = await fn(engine, this.actor);
      // Shown as sent (or queued) only once it is on this device's disk: a closed tab keeps it.
      await engine.saved();
      await this.reattach();
      return { ok: true, value };
    } catch (e) {
      return { ok: false, message: messageOf(e) };
    }
  }

  /** Counts a slash command just sent, for the command bar; the message went even if counting fails. */
  private async countCommand(engine: SyncEngine, actor: DeviceActor, text: string): Promise<void> {
    await noteCommandUse(engine, actor, { command: text }).catch((e: unknown) =>
      this.addLog({ ts: Date.now(), cat: "WRN", msg: `the use of a command could not be counted: ${messageOf(e)}` }),
    );
  }

  /** Documents created or received may now be here: every watch that waits for one tries again. */
  private async reattach(): Promise<void> {
    for (const w of this.watches.values()) w.view.retry();
  }

  private docArrived(doc: DocumentId): void {
    for (const w of this.watches.values()) w.view.arrived(doc);
  }

  private async stopEngine(): Promise<void> {
    clearTimeout(this.unlockTimer);
    this.deferredUnlock = undefined;
    this.unlocking = false;
    this.remembered = false;
    const engine = this.engine;
    this.engine = undefined;
    await this.blobs?.stop();
    this.blobs = undefined;
    for (const w of this.watches.values()) w.view.close();
    this.watches.clear();
    if (engine !== undefined) {
      engine.removeAllListeners();
      await engine.stop().catch(() => undefined);
    }
    this.storage = undefined;
    this.peers = [];
    this.releaseLock?.();
    this.releaseLock = undefined;
  }

  private until(cond: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (cond()) resolve();
        else setTimeout(check, 20);
      };
      check();
    });
  }

  private broadcast(u: GlobalUpdate): void {
    for (const send of this.clients.values()) send(u);
  }

  private addLog(line: SyncLogEntry): void {
    this.log.push(line);
    if (this.log.length > LOG_KEEP) this.log.splice(0, this.log.length - LOG_KEEP);
    this.logPending.push(line);
    this.logTimer ??= setTimeout(() => {
      this.logTimer = undefined;
      const lines = this.logPending;
      this.logPending = [];
      this.broadcast({ kind: "log", lines });
    }, 200);
  }
}

/** A socket that fails at once, as a real one does with the network down. */
function deadSocket(): SocketLike {
  const socket: SocketLike = {
    binaryType: "arraybuffer",
    readyState: 3,
    send: () => undefined,
    close: () => undefined,
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  setTimeout(() => {
    socket.onerror?.(new Error("offline"));
    socket.onclose?.({ code: 1006, reason: "the browser is offline" });
  }, 0);
  return socket;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function errorMessage(res: Response, fallback: string): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    return body.error?.message ?? `${fallback} (${res.status}).`;
  } catch {
    return `${fallback} (${res.status}).`;
  }
}
