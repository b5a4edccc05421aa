/** The channel and per-channel session last used on this device, so the app reopens where it was. */
export function lastUsed(userId: string): {
  channel(): string | undefined;
  setChannel(id: string): void;
  session(channel: string): string | undefined;
  setSession(channel: string, session: string): void;
  /** The documents of the last screen (channel document, session pages), to load first next time. */
  docs(): string[];
  setDocs(docs: string[]): void;
} {
  const key = `botschat.last.${userId}`;
  const read = (): { channel?: string; sessions: Record<string, string> } => {
    try {
      const v = JSON.parse(localStorage.getItem(key) ?? "null") as { channel?: string; sessions?: Record<string, string> } | null;
      return { ...(v?.channel ? { channel: v.channel } : {}), sessions: v?.sessions ?? {} };
    } catch {
      return { sessions: {} };
    }
  };
  const write = (v: { channel?: string; sessions: Record<string, string> }): void => localStorage.setItem(key, JSON.stringify(v));
  return {
    channel: () => read().channel,
    setChannel: (id) => write({ ...read(), channel: id }),
    session: (channel) => read().sessions[channel],
    docs: () => {
      try {
        const v = JSON.parse(localStorage.getItem(`${key}.docs`) ?? "[]") as unknown;
        return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").slice(0, 8) : [];
      } catch {
        return [];
      }
    },
    setDocs: (docs) => localStorage.setItem(`${key}.docs`, JSON.stringify(docs.slice(-8))),
    setSession: (channel, session) => {
      const v = read();
      write({ ...v, sessions: { ...v.sessions, [channel]: session } });
    },
  };
}
