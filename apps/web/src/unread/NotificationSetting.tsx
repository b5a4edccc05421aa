import { createSignal, type JSX } from "solid-js";
import { type NotifySetting, notifySetting, setNotifyReplies } from "./replyNotifications.js";

const explain: Record<NotifySetting, string> = {
  on: "On this device only. The notification is made here, so the reply never leaves your devices.",
  off: "On this device only. The notification is made here, so the reply never leaves your devices.",
  denied: "This browser blocks notifications from BotsChat: allow them in the site settings to turn this on.",
  unsupported: "This browser cannot show notifications.",
};

/**
 * The switch for notifications of agent replies on this device (made by the page itself, so no
 * message leaves the device); what the browser allows is said beside it.
 */
export function NotificationSetting(): JSX.Element {
  const [setting, setSetting] = createSignal(notifySetting());
  const [busy, setBusy] = createSignal(false);
  const toggle = async (on: boolean): Promise<void> => {
    setBusy(true);
    setSetting(await setNotifyReplies(on));
    setBusy(false);
  };
  return (
    <section class="account-section" aria-labelledby="account-notifications">
      <h4 id="account-notifications">Notifications</h4>
      <label class="check">
        <input
          type="checkbox"
          checked={setting() === "on"}
          disabled={busy() || setting() === "unsupported" || setting() === "denied"}
          onChange={(e) => void toggle(e.currentTarget.checked)}
        />
        Notify me when an agent replies while BotsChat is in the background
      </label>
      <p class="hint">{explain[setting()]}</p>
    </section>
  );
}
