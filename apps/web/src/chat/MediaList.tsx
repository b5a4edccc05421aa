import type { MessageView } from "@botschat/model";
import { createResource, For, type JSX, onCleanup, Show } from "solid-js";
import { useWorkspace } from "../layout/WorkspaceContext.js";
import { Icon } from "../ui/Icon.js";

type Media = NonNullable<MessageView["media"]>[number];

function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Attachments of a message: images previewed (decrypted in the worker), files downloadable. */
export function MediaList(props: { media: readonly Media[] }): JSX.Element {
  return (
    <div class="media">
      <For each={props.media}>{(m) => (m.mime.startsWith("image/") ? <ImagePreview media={m} /> : <FileCard media={m} />)}</For>
    </div>
  );
}

async function fetchBlob(ws: ReturnType<typeof useWorkspace>["ws"], m: Media): Promise<Blob> {
  const r = await ws.api.downloadBlob({ hash: m.hash, key: m.key });
  if (!r.ok) throw new Error(r.message);
  return new Blob([r.value as Uint8Array<ArrayBuffer>], { type: m.mime });
}

function saveAs(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ImagePreview(props: { media: Media }): JSX.Element {
  const { ws, notify } = useWorkspace();
  const [url] = createResource(
    () => props.media,
    async (m) => URL.createObjectURL(await fetchBlob(ws, m)),
  );
  onCleanup(() => {
    const u = url.state === "ready" ? url() : undefined;
    if (u) URL.revokeObjectURL(u);
  });
  return (
    <div class="media-image">
      <Show
        when={url.state === "ready" ? url() : undefined}
        fallback={<div class="media-card">{url.state === "errored" ? `Cannot show ${props.media.name}` : `Loading ${props.media.name}…`}</div>}
      >
        <button
          type="button"
          style={{ border: "0", padding: "0", background: "none", cursor: "zoom-in" }}
          aria-label={`Download ${props.media.name}`}
          onClick={() => void fetchBlob(ws, props.media).then((b) => saveAs(b, props.media.name), (e: Error) => notify(e.message))}
        >
          <img src={url()} alt={props.media.name} />
        </button>
      </Show>
    </div>
  );
}

function FileCard(props: { media: Media }): JSX.Element {
  const { ws, notify } = useWorkspace();
  return (
    <div class="media-card">
      <Icon name="file" />
      <div>
        <div>{props.media.name}</div>
        <div class="hint">{formatSize(props.media.size)}</div>
      </div>
      <button
        type="button"
        class="icon-btn"
        aria-label={`Download ${props.media.name}`}
        onClick={() => void fetchBlob(ws, props.media).then((b) => saveAs(b, props.media.name), (e: Error) => notify(e.message))}
      >
        <Icon name="download" />
      </button>
    </div>
  );
}
