import { createResource, type JSX, Show } from "solid-js";
import { formatSize } from "../chat/formatSize.js";
import { APP_VERSION } from "./appVersion.js";

/** What the browser says this site stores (the workspace copy, keys, the app's cache), if it says. */
async function deviceUsage(): Promise<{ usage: number; quota: number | undefined } | undefined> {
  try {
    const e = await navigator.storage?.estimate?.();
    return e?.usage === undefined ? undefined : { usage: e.usage, quota: e.quota };
  } catch {
    return undefined;
  }
}

/** "12 MB", or "12 MB of 1 GB" when there is a limit. */
const usedOf = (used: number, quota: number | undefined): string => (quota === undefined ? formatSize(used) : `${formatSize(used)} of ${formatSize(quota)}`);

/** The app's version, the relay it talks to, and the storage used here and on the relay. */
export function AboutSection(props: {
  relayVersion: string | undefined;
  /** What the relay reported; null when it does not report it, undefined while asking. */
  relayUsage: { usedBytes: number; quota: number | undefined } | null | undefined;
}): JSX.Element {
  const [device] = createResource(deviceUsage);
  return (
    <section class="settings-section" aria-labelledby="settings-about">
      <h3 id="settings-about">About</h3>
      <dl class="facts">
        <dt>Version</dt>
        <dd>BotsChat {APP_VERSION}</dd>
        <dt>Relay</dt>
        <dd>
          <span class="mono">{location.origin}</span>
          <Show when={props.relayVersion}>{(v) => <span class="hint"> · version {v()}</span>}</Show>
        </dd>
        <dt>Storage on this device</dt>
        <dd>{device.loading ? "Counting…" : device() === undefined ? "Not reported by this browser" : usedOf(device()!.usage, device()!.quota)}</dd>
        <dt>Storage on the relay</dt>
        <dd>
          {props.relayUsage === undefined
            ? "Counting…"
            : props.relayUsage === null
              ? "Not reported"
              : usedOf(props.relayUsage.usedBytes, props.relayUsage.quota)}
        </dd>
      </dl>
    </section>
  );
}
