import type { JSX } from "solid-js";

/** The BotsChat logo and name, as the sign-in, passphrase and sidebar headers show it. */
export function Brand(): JSX.Element {
  return (
    <div class="brand">
      <img src="/icon.svg" alt="" />
      BotsChat
    </div>
  );
}
