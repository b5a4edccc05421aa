import { type Route, routeHash } from "./route.js";
import { stackOf } from "./screenStack.js";

/** The part of `History` this needs (a test passes its own). */
export interface HistoryLike {
  readonly state: unknown;
  pushState(data: unknown, unused: string, url: string): void;
  replaceState(data: unknown, unused: string, url: string): void;
  back(): void;
}

/** The part of `Location` this needs. */
export interface LocationLike {
  readonly hash: string;
  readonly pathname: string;
  readonly search: string;
}

/** What the app keeps in each of its history entries: the address of its entry before this one, when that is the app's. */
interface EntryState {
  screens: true;
  back?: string;
}

const entryState = (state: unknown): EntryState | undefined =>
  typeof state === "object" && state !== null && (state as Partial<EntryState>).screens === true ? (state as EntryState) : undefined;

/**
 * The app's screens in the browser's history: each route an entry, so the browser's Back (and a
 * phone's back gesture) goes back one screen; each entry knows the app's entry before it, so going
 * to that route is going back rather than piling up entries.
 */
export class ScreenHistory {
  constructor(
    private readonly history: HistoryLike = globalThis.history,
    private readonly location: LocationLike = globalThis.location,
  ) {}

  /** Whether the entry before this one is the app's (Back stays in the app). */
  hasPrevious(): boolean {
    return entryState(this.history.state)?.back !== undefined;
  }

  /** Whether the entry before this one shows `r`. */
  previousIs(r: Route): boolean {
    return entryState(this.history.state)?.back === routeHash(r);
  }

  /** Goes back one entry (the route shows on `popstate`). */
  back(): void {
    this.history.back();
  }

  /** A new entry for `r`, after this one (none if this one is its address already). */
  push(r: Route): void {
    const hash = routeHash(r);
    if (hash === this.location.hash) return;
    const state: EntryState = { screens: true, back: this.location.hash };
    this.history.pushState(state, "", this.url(hash));
  }

  /** `r` in place of this entry (which keeps the entry before it). */
  replace(r: Route): void {
    const back = entryState(this.history.state)?.back;
    const state: EntryState = back === undefined ? { screens: true } : { screens: true, back };
    this.history.replaceState(state, "", this.url(routeHash(r)));
  }

  /**
   * On a start at a screen deep in the stack (a phone opening a link, or reloading on a thread):
   * the screens above it become the entries before it, so Back goes to them and not out of the
   * app. An entry that is the app's already (a reload) is left as it is.
   */
  seed(r: Route): void {
    if (entryState(this.history.state) !== undefined) return;
    const [first, ...rest] = stackOf(r);
    let before = routeHash(first!);
    this.history.replaceState({ screens: true } satisfies EntryState, "", this.url(before));
    for (const next of rest) {
      const hash = routeHash(next);
      this.history.pushState({ screens: true, back: before } satisfies EntryState, "", this.url(hash));
      before = hash;
    }
  }

  private url(hash: string): string {
    return hash === "" ? this.location.pathname + this.location.search : hash;
  }
}
