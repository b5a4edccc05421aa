import { type JSX, Show } from "solid-js";
import { useRegisterSW } from "virtual:pwa-register/solid";

/** Offers to reload when the service worker has a new version of the app waiting. */
export function UpdatePrompt(): JSX.Element {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  return (
    <Show when={needRefresh()}>
      <div class="toast" role="status">
        A new version of BotsChat is ready.
        <button type="button" class="btn primary small" onClick={() => void updateServiceWorker(true)}>
          Reload
        </button>
        <button type="button" class="btn ghost small" style={{ color: "inherit" }} onClick={() => setNeedRefresh(false)}>
          Later
        </button>
      </div>
    </Show>
  );
}
