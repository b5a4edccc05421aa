import type { ChannelView, DocumentId, GatewayView, MessageView, SessionView } from "@botschat/model";
import { createEffect, createMemo, createSignal, ErrorBoundary, For, type JSX, lazy, Match, on, onCleanup, Show, Suspense, Switch } from "solid-js";
import { unwrap } from "solid-js/store";
import { type CachedView, viewCache } from "../bridge/viewCache.js";
import type { MessageDocView } from "../shared/views.js";
import type { Account } from "../api/relayApi.js";
import { createTasksView } from "../bridge/createTaskViews.js";
import { createChannelView, createRootView } from "../bridge/createViews.js";
import type { WorkspaceClient } from "../bridge/WorkspaceClient.js";
import { ChatView } from "../chat/ChatView.js";
import { DEBUG_PANEL_ID, DebugPanel } from "../debug/DebugPanel.js";
import { isDebugShortcut } from "../debug/debugShortcut.js";
import { storedOpen, storeOpen } from "../debug/panelPrefs.js";
import { closeTopDialog, ConfirmDialog } from "../ui/Dialog.js";
import { Icon } from "../ui/Icon.js";
import { NewChannelDialog, PairingDialog, RenameDialog, SignOutDialog } from "./dialogs.js";
import { lastUsed } from "./lastUsed.js";
import { isTasksRoute, parseRoute, type Route } from "./route.js";
import type { TasksRoute } from "../tasks/TasksScreen.js";
import { ScreenHistory } from "./screenHistory.js";
import { depthOf, parentRoute, screenOf } from "./screenStack.js";
import { createMediaQuery, PHONE_QUERY } from "../ui/createMediaQuery.js";
import { slideIn } from "../ui/slideIn.js";
import type { ThemeControl } from "../ui/theme.js";
import { SettingsPage } from "../settings/SettingsPage.js";
import { effectiveDefaultModel } from "@botschat/model/models";
import { SessionTabs } from "./SessionTabs.js";
import { Guide } from "../onboarding/Guide.js";
import { GUIDE_STEPS, guideProgress, guideWanted } from "../onboarding/guideProgress.js";
import { ChannelSwitcher } from "./ChannelSwitcher.js";
import { ShortcutsDialog } from "./ShortcutsDialog.js";
import { isMacPlatform, isTextTarget, matchShortcut, type ShortcutAction, sidebarOrder, stepChannel } from "./shortcuts.js";
import { Sidebar } from "./Sidebar.js";
import { gatewayOnline, SyncIndicator } from "./SyncIndicator.js";
import { ThreadPanel } from "./ThreadPanel.js";
import { WorkspaceContext, type WorkspaceContextValue } from "./WorkspaceContext.js";
import { createUnreadView } from "../bridge/createUnreadView.js";
import { createPageVisible } from "../unread/pageVisible.js";
import { notifyReply } from "../unread/replyNotifications.js";
import { freshReplies, unreadCounts, unreadTitle } from "../unread/unreadCounts.js";

type Modal =
  | { kind: "new-channel" }
  | { kind: "rename-channel"; channel: ChannelView }
  | { kind: "delete-channel"; channel: ChannelView }
  | { kind: "delete-session"; session: SessionView }
  | { kind: "pairing" }
  | { kind: "sign-out" }
  | { kind: "switcher" }
  | { kind: "shortcuts" };

/** The Background Tasks screens come with their own code, loaded when first opened. */
const TasksScreen = lazy(() => import("../tasks/TasksScreen.js"));
// A start on a tasks screen fetches their code beside the worker's boot, not after it.
if (isTasksRoute(parseRoute(location.hash))) void TasksScreen.preload();

/** How long after the workspace opens the current channel's tasks are read for the "failed" dot (the chat's documents go first). */
const TASKS_AFTER_MS = 1500;

/** How long after the workspace opens what is unread is read (the last page of every session; the chat's documents go first). */
const UNREAD_AFTER_MS = 1000;

/** How many of the last messages a cached screen keeps. */
const CACHED_MESSAGES = 40;

/** The first session a new channel gets, so it can be written to at once. */
export const FIRST_SESSION_TITLE = "General";

/** The workspace: channel sidebar, session tabs, the chat, the thread panel, dialogs. */
export function Workspace(props: {
  ws: WorkspaceClient;
  account: Account;
  /** The last screen, cached on this device: drawn until the worker's live views arrive. */
  cached?: CachedView | undefined;
  theme: ThemeControl;
  onLock: () => void;
  onSignOut: (wipe: boolean) => void;
  /** Deletes the account (with its password): answers why not, or nothing once it is gone. */
  onDeleteAccount: (password: string) => Promise<string | undefined>;
}): JSX.Element {
  const ws = props.ws;
  const memory = lastUsed(props.account.userId);
  const root = createRootView(ws, props.cached?.root);
  const [unreadWanted, setUnreadWanted] = createSignal(false);
  const unreadTimer = setTimeout(() => setUnreadWanted(true), UNREAD_AFTER_MS);
  onCleanup(() => clearTimeout(unreadTimer));
  const unread = createUnreadView(ws, unreadWanted);
  const visible = createPageVisible();
  const [modal, setModal] = createSignal<Modal>();
  const [toast, setToast] = createSignal<string>();
  const phone = createMediaQuery(PHONE_QUERY);
  // Docked and open at the last start stays so (on a phone it is a screen of its own: it starts closed).
  const [debugOpen, setDebugOpenNow] = createSignal(!phone() && storedOpen());
  const setDebugOpen = (open: boolean): void => {
    setDebugOpenNow(open);
    if (!phone()) storeOpen(open);
  };
  // On a phone the app is a stack of screens (channels → chat → thread, chat → tasks → task), each
  // an entry in the browser's history; a start deep in it puts the screens above it under it.
  const screens = new ScreenHistory();
  const parsed = parseRoute(location.hash);
  const lastChannel = memory.channel();
  const initialRoute: Route =
    parsed.kind === "chat" && parsed.channel === undefined && lastChannel !== undefined ? { ...parsed, channel: lastChannel } : parsed;
  if (phone()) screens.seed(initialRoute);
  const [route, setRoute] = createSignal<Route>(initialRoute);
  const [channelId, setChannelId] = createSignal<string | undefined>(initialRoute.channel ?? lastChannel);
  const thread = (): { pageDoc: DocumentId; message: string } | undefined => {
    const r = route();
    return r.kind === "thread" ? { pageDoc: r.pageDoc, message: r.message } : undefined;
  };
  /**
   * Shows a route and puts it in the address: a new history entry, so Back returns, or with
   * `replace` in place of the current one (a new task's form, once saved, is not a place to go back to).
   * Going to the screen before this one is going back.
   */
  const navigate = (r: Route, opts: { replace?: boolean } = {}): void => {
    if (opts.replace !== true && screens.previousIs(r)) return screens.back();
    if (opts.replace === true) screens.replace(r);
    else screens.push(r);
    setRoute(r);
    if (r.channel !== undefined) setChannelId(r.channel);
  };
  /** Back one screen: the history's entry before, or (a screen opened on its own) the screen under it in its place. */
  const back = (): void => {
    if (screens.hasPrevious()) return screens.back();
    const parent = parentRoute(route());
    if (parent !== undefined) navigate(parent, { replace: true });
  };
  const onPop = (): void => {
    // Back with a dialog or sheet open closes it, and the screen behind it stays (its entry again).
    if (closeTopDialog()) return screens.push(route());
    // On a phone the Debug log is a screen over the others: Back closes it the same way.
    if (phone() && debugOpen()) {
      closeDebug();
      return screens.push(route());
    }
    const r = parseRoute(location.hash);
    setRoute(r);
    if (r.channel !== undefined) setChannelId(r.channel);
  };
  // On a phone the screen shown slides in: from the right going deeper, from the left going back.
  let app!: HTMLDivElement;
  createEffect(
    on(
      route,
      (r, before) => {
        if (before === undefined || !phone() || (screenOf(r) === screenOf(before) && r.channel === before.channel)) return;
        const el = app.querySelector(screenOf(r) === "channels" ? ".sidebar" : screenOf(r) === "thread" ? ".thread" : ".main:not([hidden])");
        if (el !== null) slideIn(el, depthOf(r) >= depthOf(before) ? "right" : "left");
      },
      { defer: true },
    ),
  );
  addEventListener("popstate", onPop);
  onCleanup(() => removeEventListener("popstate", onPop));
  let debugButton: HTMLButtonElement | undefined;
  const closeDebug = (): void => {
    // The focus, if it was in the panel, goes back to the button that opens it.
    const inPanel = document.activeElement?.closest(`#${DEBUG_PANEL_ID}`) != null;
    setDebugOpen(false);
    if (inPanel && debugButton?.isConnected === true) debugButton.focus();
  };
  const toggleDebug = (): void => (debugOpen() ? closeDebug() : void setDebugOpen(true));
  const mac = isMacPlatform();
  const onKey = (e: KeyboardEvent): void => {
    if (isDebugShortcut(e)) {
      e.preventDefault();
      toggleDebug();
      return;
    }
    // A key a dialog, a menu, the Debug log or the composer's completion has taken is theirs.
    if (e.defaultPrevented || document.querySelector("[role=dialog][aria-modal=true]") !== null) return;
    const focus = e.target instanceof Element ? e.target : null;
    if (focus?.closest(`[role=menu], #${DEBUG_PANEL_ID}`) != null) return;
    const action = matchShortcut(e, { mac, typing: isTextTarget(focus) });
    if (action !== undefined && runShortcut(action)) e.preventDefault();
  };
  addEventListener("keydown", onKey);
  onCleanup(() => removeEventListener("keydown", onKey));
  let toastTimer: ReturnType<typeof setTimeout> | undefined;

  const notify = (text: string): void => {
    setToast(text);
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => setToast(undefined), 3500);
  };

  const channels = (): ChannelView[] => root().channels;
  // The first-run guide: on its own address, and in place of a workspace that has no channel yet.
  const wantGuide = createMemo(() => guideWanted(root().guide, channels()));
  // Left with "Skip for now", an empty workspace shows its plain welcome until the guide is asked for again (or the next start).
  const [guideLeft, setGuideLeft] = createSignal(false);
  const onGuide = (): boolean => wantGuide() && (route().kind === "welcome" || (channels().length === 0 && !guideLeft() && route().kind !== "settings"));
  const guideStep = (): number => {
    const p = guideProgress({ guide: root().guide, gateways: root().gateways, peers: ws.peers(), channels: channels() });
    return p.current === undefined ? GUIDE_STEPS.length : GUIDE_STEPS.indexOf(p.current) + 1;
  };
  const channel = createMemo(() => channels().find((c) => c.id === channelId()) ?? channels().find((c) => !c.archived));
  const channelDoc = createMemo(() => channel()?.doc as DocumentId | undefined);
  const channelView = createChannelView(ws, channelDoc, props.cached?.channel);
  const onTasks = (): boolean => isTasksRoute(route());
  // The tasks of the channel shown (for the list, and the dot when a task's last run failed): read
  // at once on the tasks list, otherwise a moment after what the screen shows first.
  const onTaskList = (): boolean => route().kind === "tasks";
  const [tasksWanted, setTasksWanted] = createSignal(onTaskList());
  const tasksTimer = setTimeout(() => setTasksWanted(true), TASKS_AFTER_MS);
  onCleanup(() => clearTimeout(tasksTimer));
  createEffect(() => onTaskList() && setTasksWanted(true));
  const tasks = createTasksView(ws, () => (tasksWanted() ? channelDoc() : undefined));
  const failingTasks = (): number => tasks()?.tasks.filter((t) => t.lastJob?.status === "error").length ?? 0;
  const showChat = (): void => navigate({ kind: "chat", ...(channel() ? { channel: channel()!.id } : {}) });
  const showTasks = (): void => {
    const c = channel();
    if (c !== undefined) navigate({ kind: "tasks", channel: c.id });
  };
  // The last screen is cached only while the passphrase is remembered here (the workspace opens
  // without asking then anyway); otherwise any cached copy is dropped.
  createEffect(() => {
    const s = ws.status();
    if (s.opened && s.remembered !== true && s.unlocking !== true) void viewCache.clear(props.account.userId);
  });
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(saveTimer));
  let pendingSave: (() => void) | undefined;
  const flushSave = (): void => {
    clearTimeout(saveTimer);
    const run = pendingSave;
    pendingSave = undefined;
    run?.();
  };
  addEventListener("pagehide", flushSave);
  onCleanup(() => removeEventListener("pagehide", flushSave));
  /** Caches the screen: the sidebar and channel, the session's last page, and the task page on screen (what is not given stays as cached). */
  const cacheScreen = (pages?: MessageDocView[], task?: CachedView["task"]): void => {
    clearTimeout(saveTimer);
    pendingSave = () => {
      if (ws.status().remembered !== true) return;
      const channel = channelView();
      const before = pages === undefined || task === undefined ? viewCache.peek(props.account.userId) : undefined;
      const keptTask = task ?? before?.task;
      const view: CachedView = {
        root: structuredClone(unwrap(root())),
        pages: pages?.map((p) => ({ doc: p.doc, present: true, messages: structuredClone(unwrap(p.messages)).slice(-CACHED_MESSAGES) })) ?? before?.pages ?? [],
        savedAt: Date.now(),
        ...(channel && !channel.missing ? { channel: structuredClone(unwrap(channel)) } : {}),
        ...(keptTask ? { task: structuredClone(unwrap(keptTask)) } : {}),
      };
      void viewCache.save(props.account.userId, view);
    };
    // Saved right away (a reload may follow at once); changes in the same task make one save.
    saveTimer = setTimeout(flushSave, 0);
  };
  /** Every live session of the channel; archived ones are closed tabs. A task's runs have their own session, opened from its jobs. */
  const sessions = (): SessionView[] => (channelView()?.sessions ?? []).filter((s) => s.task === undefined);
  const openSessions = (): SessionView[] => sessions().filter((s) => s.archived !== true);
  const [sessionId, setSessionId] = createSignal<string>();
  createEffect(on(channel, (c) => setSessionId(c ? memory.session(c.id) : undefined)));
  const session = createMemo(() => openSessions().find((s) => s.id === sessionId()) ?? openSessions().at(-1));
  // A thread opened from its address (a reload, a link) has its session's chat under it.
  createEffect(
    on([route, openSessions], ([r, open]) => {
      const s = r.kind === "thread" ? open.find((x) => x.pages.includes(r.pageDoc)) : undefined;
      if (s !== undefined) setSessionId(s.id);
    }),
  );
  /** The session on screen while the page is: being read, it counts in no badge. */
  const shownSession = (): string | undefined => (visible() && (route().kind === "chat" || route().kind === "thread") ? session()?.id : undefined);
  const counts = createMemo(() => unreadCounts(unread(), shownSession()));
  createEffect(() => (document.title = unreadTitle(counts().total)));
  onCleanup(() => (document.title = unreadTitle(0)));
  createEffect(() => {
    const c = channel();
    if (c !== undefined) memory.setChannel(c.id);
    const s = session();
    if (c !== undefined && s !== undefined) {
      memory.setSession(c.id, s.id);
      // A task page says its own documents (onShown).
      if (!onTasks()) memory.setDocs([c.doc, ...s.pages.slice(-2)]);
    }
  });
  // Another session chosen: the thread of the one before closes.
  createEffect(
    on(
      session,
      (s, before) => {
        const r = route();
        if (r.kind === "thread" && s !== undefined && before !== undefined && s.id !== before.id && !s.pages.includes(r.pageDoc)) {
          navigate({ kind: "chat", ...(r.channel === undefined ? {} : { channel: r.channel }) }, { replace: true });
        }
      },
      { defer: true },
    ),
  );

  const gatewayOf = (c: ChannelView | undefined): GatewayView | undefined => root().gateways.find((g) => g.id === c?.gateway);
  const agentNameOf = (c: ChannelView | undefined): string => {
    const g = gatewayOf(c);
    return g?.agents.find((a) => a.id === c?.agentId)?.name ?? g?.name ?? "Agent";
  };
  const agentName = (): string => agentNameOf(channel());
  /** The gateway as the chat sees it: its default is the person's choice in Settings while it offers that model. */
  const chatGatewayOf = (c: ChannelView | undefined): GatewayView | undefined => {
    const g = gatewayOf(c);
    if (g === undefined) return undefined;
    const model = effectiveDefaultModel(g, root().defaultModels?.[g.id]);
    return model === g.defaultModel ? g : { ...g, defaultModel: model };
  };
  const onSettings = (): boolean => route().kind === "settings";
  // An agent's reply while this page is in the background: a notification, if this device asked for them.
  createEffect(
    on(unread, (next, before) => {
      if (next === undefined || document.visibilityState === "visible") return;
      for (const s of freshReplies(before, next)) {
        const c = channels().find((x) => x.id === s.channel);
        if (c === undefined || s.latest === undefined) continue;
        notifyReply({
          title: `${agentNameOf(c)} in #${c.name}`,
          text: s.latest.text,
          tag: s.latest.id,
          onClick: () => {
            // Remembered first: opening the channel opens its last-used session.
            memory.setSession(c.id, s.session);
            navigate({ kind: "chat", channel: c.id });
            setSessionId(s.session);
          },
        });
      }
    }),
  );
  const online = (): boolean => {
    const g = gatewayOf(channel());
    return g !== undefined && gatewayOnline(ws.peers(), g.name);
  };

  const result = (r: { ok: boolean; message?: string }): boolean => {
    if (!r.ok) notify(r.message ?? "That did not work.");
    return r.ok;
  };

  const ctx: WorkspaceContextValue = {
    ws,
    account: props.account,
    gateways: () => root().gateways,
    chatGateway: () => chatGatewayOf(channel()),
    session,
    commands: () => root().commands,
    senderName: (m: MessageView) => {
      if (m.role === "user") return props.account.email.split("@")[0] || "You";
      if (m.role === "system") return "BotsChat";
      const g = root().gateways.find((x) => x.id === m.gateway);
      return (g?.id === channel()?.gateway ? agentName() : g?.name) ?? "Agent";
    },
    // Another thread takes the open one's place (one Back returns to the chat).
    openThread: (pageDoc, m) =>
      navigate(
        { kind: "thread", pageDoc: pageDoc as DocumentId, message: m.id, ...(channel() ? { channel: channel()!.id } : {}) },
        { replace: route().kind === "thread" },
      ),
    notify,
  };

  /** Closes a tab (archives the session, nothing is lost); the selection moves to its neighbour. */
  const closeSession = (s: SessionView): void => {
    const d = channelDoc();
    if (d === undefined) return;
    if (s.id === session()?.id) {
      const open = openSessions();
      const at = open.findIndex((x) => x.id === s.id);
      setSessionId((open[at + 1] ?? open[at - 1])?.id);
    }
    void ws.api.archiveSession({ channelDoc: d, session: s.id, archived: true }).then(result);
  };
  const reopenSession = (s: SessionView): void => {
    const d = channelDoc();
    if (d === undefined) return;
    setSessionId(s.id);
    void ws.api.archiveSession({ channelDoc: d, session: s.id, archived: false }).then(result);
  };

  const newSession = async (): Promise<void> => {
    const d = channelDoc();
    if (d === undefined) return;
    const titles = new Set(sessions().map((s) => s.title));
    let n = openSessions().length + 1;
    while (titles.has(`Session ${n}`)) n += 1;
    const r = await ws.api.createSession({ channelDoc: d, title: `Session ${n}` });
    if (result(r) && r.ok) setSessionId(r.value.session);
  };

  /** Makes a channel with its first session, and selects both; answers why not, or the channel. */
  const createChannelWithSession = async (name: string, gateway: string, agentId: string): Promise<{ error: string } | { channel: string }> => {
    const r = await ws.api.createChannel({ name, gateway: gateway as never, agentId: agentId as never });
    if (!r.ok) return { error: r.message };
    setChannelId(r.value.channel);
    const s = await ws.api.createSession({ channelDoc: r.value.doc, title: FIRST_SESSION_TITLE });
    if (s.ok) setSessionId(s.value.session);
    return { channel: r.value.channel };
  };
  /** The guide's last step: the first message, in the channel and session shown; then their chat. */
  const sayHello = async (text: string): Promise<string | undefined> => {
    const c = channel();
    const d = channelDoc();
    if (c === undefined || d === undefined) return "The channel is not on this device yet.";
    let s = session()?.id;
    if (s === undefined) {
      const made = await ws.api.createSession({ channelDoc: d, title: FIRST_SESSION_TITLE });
      if (!made.ok) return made.message;
      s = made.value.session;
      setSessionId(s);
    }
    const sent = await ws.api.sendMessage({ channelDoc: d, session: s as never, text });
    if (!sent.ok) return sent.message;
    void ws.api.updateGuide({ finished: true }).then(result);
    navigate({ kind: "chat", channel: c.id }, { replace: true });
    return undefined;
  };

  /** Does what a shortcut says, if it can here; says whether it did. */
  const runShortcut = (action: ShortcutAction): boolean => {
    switch (action) {
      case "switcher":
        setModal({ kind: "switcher" });
        return true;
      case "help":
        setModal({ kind: "shortcuts" });
        return true;
      case "previous-channel":
      case "next-channel": {
        const next = stepChannel(sidebarOrder(channels()), channel()?.id, action === "next-channel" ? 1 : -1);
        if (next === undefined) return false;
        navigate({ kind: "chat", channel: next.id });
        return true;
      }
      case "new-session":
        if (channelDoc() === undefined || onSettings()) return false;
        if (onTasks()) showChat();
        void newSession();
        return true;
      case "close-thread":
        if (thread() === undefined) return false;
        back();
        return true;
    }
  };

  const agentCount = (): number => ws.peers().filter((p) => p.kind === "plugin").length;
  const footer = (
    <>
      <div class="row">
        <SyncIndicator status={ws.status()} />
        <span class="status-pill" aria-label={`${agentCount()} ${agentCount() === 1 ? "agent" : "agents"} online`}>
          <span class={`dot ${ws.peers().some((p) => p.kind === "plugin") ? "live" : "off"}`} aria-hidden="true" />
          {agentCount()} {agentCount() === 1 ? "agent" : "agents"}
        </span>
      </div>
      <div class="who" title={props.account.email}>
        {props.account.email}
      </div>
      <div class="row tools">
        <button type="button" class="icon-btn" aria-label="Pairing tokens" title="Pairing tokens" onClick={() => setModal({ kind: "pairing" })}>
          <Icon name="key" />
        </button>
        <button
          ref={(el) => (debugButton = el)}
          type="button"
          class="icon-btn"
          aria-label="Debug log"
          title="Debug log (Ctrl+`)"
          aria-keyshortcuts="Control+`"
          aria-expanded={debugOpen()}
          aria-controls={debugOpen() ? DEBUG_PANEL_ID : undefined}
          onClick={toggleDebug}
        >
          <Icon name="log" />
        </button>
        <button
          type="button"
          class="icon-btn"
          aria-label={props.theme.theme() === "dark" ? "Switch to light theme" : "Switch to dark theme"}
          title="Theme"
          onClick={() => props.theme.toggle()}
        >
          <Icon name={props.theme.theme() === "dark" ? "sun" : "moon"} />
        </button>
        <button
          type="button"
          class="icon-btn"
          aria-label="Settings"
          title="Settings"
          aria-current={onSettings() ? "page" : undefined}
          onClick={() => navigate({ kind: "settings" })}
        >
          <Icon name="settings" />
        </button>
        <button type="button" class="icon-btn" aria-label="Lock" title="Lock" onClick={() => props.onLock()}>
          <Icon name="lock" />
        </button>
        <button type="button" class="icon-btn" aria-label="Sign out" title="Sign out" onClick={() => setModal({ kind: "sign-out" })}>
          <Icon name="logout" />
        </button>
      </div>
    </>
  );

  return (
    <WorkspaceContext.Provider value={ctx}>
      <div class="app" classList={{ "debug-docked": debugOpen() }} data-screen={screenOf(route())} ref={(el) => (app = el)}>
        <Sidebar
          channels={channels()}
          selected={channel()?.id}
          onSelect={(id) => navigate({ kind: "chat", channel: id })}
          tasks={{ count: tasks()?.tasks.length, failing: failingTasks(), open: onTasks() }}
          onTasks={showTasks}
          inert={phone() && (route().kind !== "channels" || debugOpen())}
          onNew={() => setModal({ kind: "new-channel" })}
          onRename={(c) => setModal({ kind: "rename-channel", channel: c })}
          onArchive={(c) => void ws.api.archiveChannel({ channel: c.id, archived: !c.archived }).then(result)}
          onDelete={(c) => setModal({ kind: "delete-channel", channel: c })}
          unread={(id) => counts().channel(id)}
          guide={wantGuide() ? { step: guideStep(), of: GUIDE_STEPS.length, open: onGuide() } : undefined}
          onGuide={() => navigate({ kind: "welcome", ...(channel() ? { channel: channel()!.id } : {}) })}
          footer={footer}
        />
        <Show when={onSettings()}>
          <SettingsPage
            account={props.account}
            gateways={root().gateways}
            defaultModels={root().defaultModels ?? {}}
            onChooseModel={(gateway, model) => void ws.api.setDefaultModel({ gateway, model }).then(result)}
            peers={ws.peers()}
            theme={props.theme}
            onTokenRevoked={(token) => void ws.api.retireGateways({ token })}
            onDeleteAccount={props.onDeleteAccount}
            inert={phone() && debugOpen()}
            onBack={back}
          />
        </Show>
        <main class="main" hidden={onSettings()} inert={phone() && (route().kind === "channels" || route().kind === "thread" || debugOpen())}>
          <Show when={ws.status().state === "error"}>
            <div class="banner" role="alert">
              {ws.status().error ?? "The server refused this device."} Sign out and sign in again to reconnect.
            </div>
          </Show>
          <header class="main-head">
            <button type="button" class="icon-btn mobile-only nav-toggle" aria-label="Back" onClick={back}>
              <Icon name="back" />
              <Show when={channels().some((c) => c.id !== channel()?.id && counts().channel(c.id) > 0)}>
                <span class="dot unread" aria-hidden="true" />
              </Show>
            </button>
            <Show when={!onGuide() && channel()} fallback={<h2>{onGuide() ? "Getting started" : "Welcome"}</h2>}>
              {(c) => (
                <>
                  <h2># {c().name}</h2>
                  <span class="agent" aria-label={`${agentName()} is ${online() ? "online" : "offline"}`}>
                    <span class={`dot ${online() ? "live" : "off"}`} aria-hidden="true" />
                    {agentName()} · {online() ? "online" : "offline"}
                  </span>
                  <nav class="view-tabs" aria-label="Channel views">
                    <button type="button" aria-current={onTasks() ? undefined : "page"} onClick={showChat}>
                      <Icon name="chat" />
                      <span class="tab-label">Chat</span>
                    </button>
                    <button
                      type="button"
                      aria-current={onTasks() ? "page" : undefined}
                      title={failingTasks() > 0 ? `${failingTasks()} ${failingTasks() === 1 ? "task's" : "tasks'"} last run failed` : "Background tasks"}
                      onClick={showTasks}
                    >
                      <Icon name="clock" />
                      <span class="tab-label">Tasks</span>
                      <Show when={failingTasks() > 0}>
                        <span class="dot err" aria-hidden="true" />
                      </Show>
                    </button>
                  </nav>
                </>
              )}
            </Show>
            <span class="spacer" />
            <Show when={!onTasks() && !onGuide() && channel() && session() && (gatewayOf(channel())?.models.length ?? 0) > 0}>
              <label class="model-picker">
                <span class="sr-only">Model</span>
                <span class="model-icon" aria-hidden="true">
                  <Icon name="model" />
                </span>
                <select
                  class="input"
                  aria-label="Model"
                  value={session()?.model ?? ""}
                  onChange={(e) => {
                    const d = channelDoc();
                    const s = session();
                    if (d === undefined || s === undefined) return;
                    const v = e.currentTarget.value;
                    void ws.api.setSessionModel({ channelDoc: d, session: s.id, model: v === "" ? null : (v as never) }).then(result);
                  }}
                >
                  <option value="">Default model{chatGatewayOf(channel())?.defaultModel ? ` (${chatGatewayOf(channel())!.defaultModel})` : ""}</option>
                  <For each={gatewayOf(channel())?.models ?? []}>{(m) => <option value={m.id}>{m.name ?? m.id}</option>}</For>
                </select>
              </label>
            </Show>
          </header>
          <Switch>
            <Match when={onGuide()}>
              <Guide
                accountToken={props.account.token}
                guide={root().guide}
                gateways={root().gateways}
                peers={ws.peers()}
                channels={channels()}
                api={ws.api}
                onCreateChannel={async (name, gateway, agentId) => {
                  const r = await createChannelWithSession(name, gateway, agentId);
                  if ("error" in r) return r.error;
                  // The guide stays, at its last step, now also at its own address.
                  navigate({ kind: "welcome", channel: r.channel }, { replace: true });
                  return undefined;
                }}
                onSayHello={sayHello}
                helloChannel={channel()}
                agentName={agentName()}
                onPairing={() => setModal({ kind: "pairing" })}
                onLeave={() => {
                  setGuideLeft(true);
                  navigate(channel() ? { kind: "chat", channel: channel()!.id } : { kind: "channels" });
                }}
              />
            </Match>
            <Match when={channels().length === 0}>
              <div class="empty">
                <h3>Welcome to BotsChat</h3>
                <p>Channels are where you talk to your agents. Connect an agent with a pairing token, then create your first channel.</p>
                <p style={{ display: "flex", gap: "8px", "justify-content": "center" }}>
                  <button type="button" class="btn" onClick={() => setModal({ kind: "pairing" })}>
                    Connect an agent
                  </button>
                  <button type="button" class="btn primary" onClick={() => setModal({ kind: "new-channel" })}>
                    Create a channel
                  </button>
                </p>
              </div>
            </Match>
            <Match when={onTasks() && channel()}>
              {(c) => (
                <ErrorBoundary
                  fallback={(err: unknown) => (
                    <div class="empty" role="alert">
                      The tasks cannot be shown: {String(err)}
                    </div>
                  )}
                >
                  <Suspense fallback={<p class="hint tasks-loading">Loading…</p>}>
                    <TasksScreen
                      route={route() as TasksRoute}
                      channelDoc={c().doc as DocumentId}
                      tasks={tasks()}
                      agentName={agentName()}
                      gateway={gatewayOf(c())}
                      gatewayOnline={online()}
                      onRoute={(r, replace) => navigate({ ...r, channel: c().id }, { replace: replace === true })}
                      cached={props.cached?.task}
                      onShown={(shown) => {
                        // Loaded first on the next start: the channel, the task and its newest job log.
                        memory.setDocs([c().doc, shown.page.doc, ...shown.jobs.jobs.slice(0, 1).map((j) => j.doc)]);
                        // A reload on this page then draws it at once, as the chat's warm start does.
                        cacheScreen(undefined, shown);
                      }}
                    />
                  </Suspense>
                </ErrorBoundary>
              )}
            </Match>
            <Match when={channel()}>
              {(c) => (
                <>
                  <SessionTabs
                    sessions={sessions()}
                    selected={session()?.id}
                    onSelect={setSessionId}
                    onNew={() => void newSession()}
                    onRename={(s, title) => void ws.api.renameSession({ channelDoc: c().doc as DocumentId, session: s.id, title }).then(result)}
                    onClose={closeSession}
                    onReopen={reopenSession}
                    onDelete={(s) => setModal({ kind: "delete-session", session: s })}
                    unread={(id) => (id === shownSession() ? 0 : (counts().session(id)?.count ?? 0))}
                  />
                  <div class="body">
                    <Show
                      when={session()}
                      fallback={
                        <div class="empty">
                          <Switch fallback={<h3>No sessions yet</h3>}>
                            <Match when={channelView()?.missing}>
                              <h3>This channel is still arriving…</h3>
                            </Match>
                            <Match when={sessions().length > 0}>
                              <h3>All sessions are closed</h3>
                            </Match>
                          </Switch>
                          <p>
                            A session is one conversation with {agentName()}.
                            <Show when={sessions().length > 0}> Reopen one from “Session options” (⋯), or start a new one.</Show>
                          </p>
                        </div>
                      }
                    >
                      {(s) => (
                        <ErrorBoundary
                          fallback={(err: unknown) => (
                            <div class="empty" role="alert">
                              This session cannot be shown: {String(err)}
                            </div>
                          )}
                        >
                          <ChatView
                            channelDoc={c().doc as DocumentId}
                            session={s()}
                            agentName={agentName()}
                            agentOnline={online()}
                            channelName={c().name}
                            initial={props.cached?.pages}
                            onShown={cacheScreen}
                            unread={counts().session(s().id)}
                            visible={visible()}
                            gateway={chatGatewayOf(c())}
                            commands={root().commands}
                          />
                        </ErrorBoundary>
                      )}
                    </Show>
                  </div>
                </>
              )}
            </Match>
          </Switch>
        </main>
        <Show when={thread()}>
          {(t) => <ThreadPanel pageDoc={t().pageDoc} message={t().message} agentName={agentName()} agentOnline={online()} onClose={back} />}
        </Show>
        <Show when={debugOpen()}>
          <DebugPanel lines={ws.log()} phone={phone()} onClose={closeDebug} />
        </Show>
      </div>

      <Switch>
        <Match when={modal()?.kind === "new-channel"}>
          <NewChannelDialog
            gateways={root().gateways}
            onPairing={() => setModal({ kind: "pairing" })}
            onClose={() => setModal(undefined)}
            onCreate={async (name, gateway, agentId) => {
              const r = await createChannelWithSession(name, gateway, agentId);
              if ("error" in r) return r.error;
              navigate({ kind: "chat", channel: r.channel });
              return undefined;
            }}
          />
        </Match>
        <Match when={modal()?.kind === "rename-channel" && (modal() as { channel: ChannelView }).channel}>
          {(c) => (
            <RenameDialog
              title="Rename channel"
              label="Channel name"
              value={c().name}
              onClose={() => setModal(undefined)}
              onSave={(name) => void ws.api.renameChannel({ channel: c().id, name }).then(result)}
            />
          )}
        </Match>
        <Match when={modal()?.kind === "delete-channel" && (modal() as { channel: ChannelView }).channel}>
          {(c) => (
            <ConfirmDialog
              title={`Delete #${c().name}?`}
              message="Its sessions, threads and tasks are deleted on every device. This cannot be undone."
              confirmLabel="Delete channel"
              danger
              onClose={() => setModal(undefined)}
              onConfirm={() => void ws.api.deleteChannel({ channel: c().id }).then(result)}
            />
          )}
        </Match>
        <Match when={modal()?.kind === "delete-session" && (modal() as { session: SessionView }).session}>
          {(s) => (
            <ConfirmDialog
              title={`Delete session “${s().title}”?`}
              message="Its messages and threads are deleted on every device. This cannot be undone. To only hide its tab, close it instead (×)."
              confirmLabel="Delete session"
              danger
              onClose={() => setModal(undefined)}
              onConfirm={() => void ws.api.deleteSession({ channelDoc: channelDoc()!, session: s().id }).then(result)}
            />
          )}
        </Match>
        <Match when={modal()?.kind === "pairing"}>
          <PairingDialog token={props.account.token} onRevoked={(token) => void props.ws.api.retireGateways({ token })} onClose={() => setModal(undefined)} />
        </Match>
        <Match when={modal()?.kind === "switcher"}>
          <ChannelSwitcher
            channels={channels()}
            current={channel()?.id}
            onOpen={(id) => navigate({ kind: "chat", channel: id })}
            onClose={() => setModal(undefined)}
          />
        </Match>
        <Match when={modal()?.kind === "shortcuts"}>
          <ShortcutsDialog mac={mac} onClose={() => setModal(undefined)} />
        </Match>
        <Match when={modal()?.kind === "sign-out"}>
          <SignOutDialog onClose={() => setModal(undefined)} onSignOut={(wipe) => props.onSignOut(wipe)} />
        </Match>
      </Switch>
      <Show when={toast()}>
        <div class="toast" role="status">
          {toast()}
        </div>
      </Show>
    </WorkspaceContext.Provider>
  );
}
