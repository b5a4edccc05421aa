/**
 * Browser notifications of agent replies, made by the page itself (`new Notification`): no push
 * service, so nothing leaves the device. Opt-in, remembered per device (localStorage), and only
 * while the browser allows them.
 */

const KEY = "botschat.notifyReplies";
/** How much of a reply a notification shows. */
const BODY_MAX = 140;

/** What the setting can be: on, off, refused by the browser, or not available here. */
export type NotifySetting = "on" | "off" | "denied" | "unsupported";

function api(): typeof Notification | undefined {
  return typeof Notification === "undefined" ? undefined : Notification;
}

/** The setting on this device as it is now. */
export function notifySetting(): NotifySetting {
  const n = api();
  if (n === undefined) return "unsupported";
  if (n.permission === "denied") return "denied";
  return localStorage.getItem(KEY) === "1" && n.permission === "granted" ? "on" : "off";
}

/** Turns notifications on (asking the browser for permission first) or off; answers the setting it ended in. */
export async function setNotifyReplies(on: boolean): Promise<NotifySetting> {
  const n = api();
  if (n === undefined) return "unsupported";
  if (!on) {
    localStorage.removeItem(KEY);
    return notifySetting();
  }
  const permission = n.permission === "default" ? await n.requestPermission() : n.permission;
  if (permission === "granted") localStorage.setItem(KEY, "1");
  return notifySetting();
}

/** A reply's text as a notification's body: one line, short. */
export function notificationBody(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > BODY_MAX ? `${line.slice(0, BODY_MAX - 1)}…` : line;
}

/**
 * Shows a notification when the setting is on; a click brings this tab forward and runs
 * `onClick`. `tag` names the reply, so several tabs of the app showing the same one make one.
 */
export function notifyReply(input: { title: string; text: string; tag: string; onClick: () => void }): Notification | undefined {
  const n = api();
  if (n === undefined || notifySetting() !== "on") return undefined;
  const shown = new n(input.title, { body: notificationBody(input.text), tag: input.tag, icon: "/icon-192.png" });
  shown.onclick = () => {
    globalThis.focus?.();
    input.onClick();
    shown.close();
  };
  return shown;
}
