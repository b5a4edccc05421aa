import { For, type JSX, Show } from "solid-js";
import { Icon } from "../ui/Icon.js";
import { formatSize } from "./formatSize.js";

/** A file picked for the next message, with a preview URL for images. */
export interface PendingFile {
  file: File;
  preview?: string;
}

/** The files picked for the next message: a thumbnail for images, name, size and "Remove <name>". */
export function PendingFiles(props: { files: PendingFile[]; onRemove: (f: PendingFile) => void }): JSX.Element {
  return (
    <Show when={props.files.length > 0}>
      <ul class="pending-files" aria-label="Attachments">
        <For each={props.files}>
          {(f) => (
            <li class="pending-file">
              <Show when={f.preview} fallback={<Icon name="file" />}>
                <img src={f.preview} alt="" />
              </Show>
              <span class="pending-name" title={f.file.name}>
                {f.file.name}
              </span>
              <span class="hint">{formatSize(f.file.size)}</span>
              <button type="button" class="icon-btn" aria-label={`Remove ${f.file.name}`} onClick={() => props.onRemove(f)}>
                <Icon name="close" />
              </button>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
