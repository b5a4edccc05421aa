import type { MessageView } from "@botschat/model";
import { createMemo, createResource, createSignal, For, type JSX, onCleanup, Show } from "solid-js";
import { useWorkspace } from "../layout/WorkspaceContext.js";
import { Icon } from "../ui/Icon.js";
import { formatSize } from "./formatSize.js";
import { previewableImage } from "./previewableImage.js";

type Media = NonNullable<MessageView["media"]>[number];

/** Attachments of a message: images previewed (decrypted in the worker), files downloadable. */
export function MediaList(props: { media: readonly Media[] }): JSX.Element {
  return (
    <div class="media">
      <For each={props.media}>{(m) => (previewableImage(m.mime) ? <ImagePreview media={m} /> : <FileCard media={m} />)}</For>
    </div>
  );
}

/** The relay no longer has the blob: deleted with the last message that referred to it. */
class AttachmentGone extends Error {}

const GONE = "This attachment was deleted";

async function fetchBlob(ws: ReturnType<typeof useWorkspace>["ws"], m: Media): Promise<Blob> {
  const r = await ws.api.downloadBlob({ hash: m.hash, key: m.key });
  if (!r.ok) throw "gone" in r ? new AttachmentGone(r.message) : new Error(r.message);
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

/**
 * An image: drawn once decrypted; a click saves it (from the bytes already here). Bytes that do
 * not decode as an image (or cannot be decrypted) leave a file card instead of an empty frame; a
 * blob the relay no longer has, a card that says it was deleted.
 */
function ImagePreview(props: { media: Media }): JSX.Element {
  const { ws, notify } = useWorkspace();
  const [broken, setBroken] = createSignal(false);
  const [blob] = createResource(
    () => props.media,
    (m) => fetchBlob(ws, m),
  );
  const url = createMemo<string | undefined>((prev) => {
    if (prev) URL.revokeObjectURL(prev);
    return blob.state === "ready" ? URL.createObjectURL(blob()) : undefined;
  });
  onCleanup(() => {
    const u = url();
    if (u) URL.revokeObjectURL(u);
  });
  return (
    <Show
      when={blob.state !== "errored" && !broken()}
      fallback={<FileCard media={props.media} gone={blob.error instanceof AttachmentGone} note="The preview cannot be shown." />}
    >
      <div class="media-image">
        <Show when={url()} fallback={<div class="media-card">Loading {props.media.name}…</div>}>
          {(u) => (
            <button
              type="button"
              class="media-image-btn"
              aria-label={`Download ${props.media.name}`}
              title={`${props.media.name} · ${formatSize(props.media.size)}`}
              onClick={() => {
                try {
                  saveAs(blob()!, props.media.name);
                } catch (e) {
                  notify(e instanceof Error ? e.message : String(e));
                }
              }}
            >
              <img src={u()} alt={props.media.name} onError={() => setBroken(true)} />
            </button>
          )}
        </Show>
      </div>
    </Show>
  );
}

/**
 * A file: its name, size and a download button (decrypted when asked for). Once the relay says
 * the blob is gone, the card says the attachment was deleted and offers no download.
 */
function FileCard(props: { media: Media; note?: string; gone?: boolean }): JSX.Element {
  const { ws, notify } = useWorkspace();
  const [goneHere, setGone] = createSignal(false);
  const gone = (): boolean => props.gone === true || goneHere();
  const download = (): void =>
    void fetchBlob(ws, props.media).then(
      (b) => saveAs(b, props.media.name),
      (e: Error) => (e instanceof AttachmentGone ? setGone(true) : notify(`Cannot download ${props.media.name}: ${e.message}`)),
    );
  return (
    <div class="media-card">
      <Icon name="file" />
      <div class="media-meta">
        <div class="media-name" title={props.media.name}>
          {props.media.name}
        </div>
        <div class="hint">
          <Show when={!gone()} fallback={GONE}>
            {formatSize(props.media.size)}
            <Show when={props.note}> · {props.note}</Show>
          </Show>
        </div>
      </div>
      <Show when={!gone()}>
        <button type="button" class="icon-btn" aria-label={`Download ${props.media.name}`} onClick={download}>
          <Icon name="download" />
        </button>
      </Show>
    </div>
  );
}
