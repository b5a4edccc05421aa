// Modules the OpenClaw host resolves for its plugins at runtime (never bundled).
declare module "openclaw/plugin-sdk/channel-core" {
  export function defineChannelPluginEntry(entry: {
    id: string;
    name: string;
    description: string;
    plugin: unknown;
    setRuntime?: (runtime: never) => void;
    registerFull?: (api: never) => void;
  }): unknown;
}
