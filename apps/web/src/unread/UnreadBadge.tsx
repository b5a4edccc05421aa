import { type JSX, Show } from "solid-js";
import { badgeText, unreadLabel } from "./unreadCounts.js";

/** A count of unread messages (nothing when there are none), named "3 unread" for assistive technology. */
export function UnreadBadge(props: { count: number }): JSX.Element {
  return (
    <Show when={props.count > 0}>
      <span class="unread-badge" role="img" aria-label={unreadLabel(props.count)} title={unreadLabel(props.count)}>
        {badgeText(props.count)}
      </span>
    </Show>
  );
}
