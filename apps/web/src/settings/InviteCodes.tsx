import { createResource, createSignal, For, type JSX, Show } from "solid-js";
import { type CreateInviteResponse, relayApi } from "../api/relayApi.js";
import { CopyCommand } from "../layout/dialogs.js";
import { ErrorNote } from "../ui/ErrorNote.js";
import { when } from "./when.js";

/** Invite codes: make one (shown once, with a Copy button), list those waiting to be used, revoke. */
export function InviteCodes(props: { token: string }): JSX.Element {
  const [label, setLabel] = createSignal("");
  const [created, setCreated] = createSignal<CreateInviteResponse>();
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [list, { refetch }] = createResource(async () => {
    const r = await relayApi.listInvites(props.token);
    return r.ok ? r.value : [];
  });
  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    const r = await relayApi.createInvite(props.token, label().trim());
    setBusy(false);
    if (!r.ok) return void setError(r.message);
    setCreated(r.value);
    setLabel("");
    void refetch();
  };
  const revoke = async (id: string): Promise<void> => {
    setError(undefined);
    const r = await relayApi.deleteInvite(props.token, id);
    if (!r.ok && r.status !== 404) return void setError(r.message);
    if (created()?.id === id) setCreated(undefined);
    void refetch();
  };
  return (
    <section class="account-section" aria-labelledby="account-invites">
      <h4 id="account-invites">Invite codes</h4>
      <p>Registration on this relay is by invitation. A code lets one person create an account; it works for 7 days.</p>
      <form class="account-invite-form" onSubmit={(e) => void create(e)}>
        <label class="field">
          <span>Label (optional)</span>
          <input class="input" maxLength={64} placeholder="Who it is for" value={label()} onInput={(e) => setLabel(e.currentTarget.value)} />
        </label>
        <button type="submit" class="btn primary" disabled={busy()}>
          Create invite code
        </button>
      </form>
      <ErrorNote message={error()} />
      <Show when={created()}>
        {(c) => (
          // Brought into view: on a phone the page scrolls, and the code is what the person came for.
          <div class="account-invite-created" ref={(el) => queueMicrotask(() => el.scrollIntoView?.({ block: "nearest" }))}>
            <div class="warning">Copy it now: the code is shown only once. Send it to the person you invite.</div>
            <CopyCommand label="invite code" text={c().code} />
          </div>
        )}
      </Show>
      <ul class="token-list" aria-label="Invite codes waiting to be used">
        <For each={list() ?? []} fallback={<li class="hint">No invite code is waiting to be used.</li>}>
          {(i) => (
            <li>
              <span class="label">{i.label || "No label"}</span>
              <span class="hint">expires {when(i.expiresAt)}</span>
              <button
                type="button"
                class="btn small"
                aria-label={`Revoke ${i.label || `the invite code made ${when(i.createdAt)}`}`}
                onClick={() => void revoke(i.id)}
              >
                Revoke
              </button>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
