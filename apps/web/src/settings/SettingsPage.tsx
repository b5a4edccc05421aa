import type { GatewayId, GatewayView, ModelId } from "@botschat/model";
import type { PeerInfo } from "@botschat/protocol";
import { createResource, type JSX } from "solid-js";
import { type Account, relayApi } from "../api/relayApi.js";
import { Icon } from "../ui/Icon.js";
import type { ThemeControl } from "../ui/theme.js";
import { AboutSection } from "./AboutSection.js";
import { AccountSection } from "./AccountSection.js";
import { AppearanceSection } from "./AppearanceSection.js";
import { DevicesSection } from "./DevicesSection.js";
import { ModelsSection } from "./ModelsSection.js";

/**
 * The settings: default models (shared by the workspace), the theme (this device), the devices
 * and agents that reach the workspace, the account, and what this app and relay are.
 */
export function SettingsPage(props: {
  account: Account;
  gateways: GatewayView[];
  defaultModels: Partial<Record<GatewayId, ModelId>>;
  onChooseModel: (gateway: GatewayId, model: ModelId | null) => void;
  peers: PeerInfo[];
  theme: ThemeControl;
  onTokenRevoked: (tokenId: string) => void;
  onDeleteAccount: (password: string) => Promise<string | undefined>;
  /** Out of reach: another screen of a phone's stack is shown. */
  inert?: boolean;
  onBack: () => void;
}): JSX.Element {
  const [sessions, { refetch: refetchSessions }] = createResource(async () => {
    const r = await relayApi.listSessions(props.account.token);
    return r.ok ? r.value : undefined;
  });
  const [health] = createResource(async () => {
    const r = await relayApi.health();
    return r.ok ? r.value : undefined;
  });
  const [me] = createResource(async () => {
    const r = await relayApi.me(props.account.token);
    return r.ok && r.value.usedBytes !== undefined ? { usedBytes: r.value.usedBytes, quota: r.value.quota } : null;
  });
  const others = (): number | undefined => sessions()?.filter((s) => !s.current).length;
  return (
    <main class="main settings-page" inert={props.inert === true}>
      <header class="main-head">
        <button type="button" class="icon-btn nav-toggle" aria-label="Back" onClick={() => props.onBack()}>
          <Icon name="back" />
        </button>
        <h2>Settings</h2>
      </header>
      <div class="settings-body">
        <ModelsSection gateways={props.gateways} chosen={props.defaultModels} onChoose={props.onChooseModel} />
        <AppearanceSection theme={props.theme} />
        <DevicesSection
          token={props.account.token}
          sessions={sessions()}
          peers={props.peers}
          gateways={props.gateways}
          onSessionsChanged={() => void refetchSessions()}
          onTokenRevoked={props.onTokenRevoked}
        />
        <AccountSection
          account={props.account}
          otherSessions={others()}
          registration={health()?.registration}
          onSessionsChanged={() => void refetchSessions()}
          onDeleteAccount={props.onDeleteAccount}
        />
        <AboutSection relayVersion={health()?.version} relayUsage={me.loading ? undefined : (me() ?? null)} />
      </div>
    </main>
  );
}
