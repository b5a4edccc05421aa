import { type Accessor, createEffect, createMemo, createSignal, on, onCleanup } from "solid-js";
import type { SessionUnreadView } from "../shared/views.js";

/** How long the newest messages stay in view before the session counts as read: scrolling past, or a glance, writes nothing. */
export const READ_AFTER_MS = 600;

/**
 * The read state of the session on screen: where its "new messages" divider goes, and marking
 * it read.
 *
 * The divider is placed when the session opens, at its first unread message, and again when the
 * page comes back on screen with something unread; it stays put while the messages are read.
 * The session is marked read (on every device) once something in it is unread and the person can
 * see its newest messages — the page visible and the list at its bottom — for
 * {@link READ_AFTER_MS}, and not before its divider is placed. Nothing is written while nothing
 * is unread, so reading and scrolling write nothing most of the time.
 */
export function createReadTracker(input: {
  session: Accessor<string | undefined>;
  /** What is unread in it; undefined until known. */
  unread: Accessor<SessionUnreadView | undefined>;
  visible: Accessor<boolean>;
  atBottom: Accessor<boolean>;
  markRead: (session: string) => void;
  delayMs?: number;
}): { divider: Accessor<string | undefined> } {
  // The session's id, not its entry: a new copy of the same session (its read position moved) is no new session.
  const session = createMemo(input.session);
  const [divider, setDivider] = createSignal<string>();
  const [placed, setPlaced] = createSignal(false);
  /** The unread state of the session on screen (one of another session, on its way out, is not). */
  const unread = (): SessionUnreadView | undefined => {
    const u = input.unread();
    return u !== undefined && u.session === session() ? u : undefined;
  };
  const place = (): void => {
    const u = unread();
    if (u !== undefined && u.count > 0 && u.first !== undefined) setDivider(u.first);
  };
  createEffect(
    on(session, () => {
      setDivider(undefined);
      setPlaced(false);
    }),
  );
  createEffect(() => {
    if (placed() || unread() === undefined) return;
    setDivider(undefined);
    place();
    setPlaced(true);
  });
  createEffect(on(input.visible, (visible, was) => visible && was === false && place(), { defer: true }));
  // By count, not by view: a change elsewhere in the workspace does not start the wait again.
  const count = createMemo(() => unread()?.count ?? 0);
  createEffect(() => {
    const id = session();
    if (id === undefined || !placed() || count() === 0 || !input.visible() || !input.atBottom()) return;
    const timer = setTimeout(() => input.markRead(id), input.delayMs ?? READ_AFTER_MS);
    onCleanup(() => clearTimeout(timer));
  });
  return { divider };
}
