import type { RegistrationMode } from "@botschat/protocol";
import { type JSX, Show } from "solid-js";
import type { Account } from "../api/relayApi.js";
import { NotificationSetting } from "../unread/NotificationSetting.js";
import { ChangePassword } from "./ChangePassword.js";
import { DeleteAccount } from "./DeleteAccount.js";
import { InviteCodes } from "./InviteCodes.js";
import { OtherSessions } from "./OtherSessions.js";

/**
 * The account: the email, changing the password, signing out the other sessions, reply
 * notifications on this device, on a relay whose registration is by invitation the invite codes
 * (docs/protocol.md N21, N22), and deleting the account.
 */
export function AccountSection(props: {
  account: Account;
  /** How many other sessions are signed in (undefined while counting). */
  otherSessions: number | undefined;
  registration: RegistrationMode | undefined;
  /** The sessions changed (signed out): count them again. */
  onSessionsChanged: () => void;
  onDeleteAccount: (password: string) => Promise<string | undefined>;
}): JSX.Element {
  return (
    <section class="settings-section" aria-labelledby="settings-account">
      <h3 id="settings-account">Account</h3>
      <p>
        Signed in as <strong class="account-email">{props.account.email}</strong>
      </p>
      <ChangePassword account={props.account} onChanged={props.onSessionsChanged} />
      <OtherSessions token={props.account.token} count={props.otherSessions} onSignedOut={props.onSessionsChanged} />
      <NotificationSetting />
      <Show when={props.registration === "invite"}>
        <InviteCodes token={props.account.token} />
      </Show>
      <DeleteAccount email={props.account.email} onDelete={props.onDeleteAccount} />
    </section>
  );
}
