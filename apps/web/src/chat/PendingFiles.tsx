import { createSignal, For, type JSX, Show } from "solid-js";
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
        <For each={props.files}>{(f) => <PendingFileItem file={f} onRemove={() => props.onRemove(f)} />}</For>
      </ul>
    </Show>
  );
}

function PendingFileItem(props: { file: PendingFile; onRemove: () => void }): JSX.Element {
  // A picture that does not decode shows the file icon, not an empty square.
  const [broken, setBroken] = createSignal(false);
  return (
    <li class="pending-file">
      <Show when={props.file.preview && !broken()} fallback={<Icon name="file" />}>
        <img src={props.file.preview} alt="" onError={() => setBroken(true)} />
      </Show>
      <span class="pending-name" title={props.file.file.name}>
        {props.file.file.name}
      </span>
      <span class="hint">{formatSize(props.file.file.size)}</span>
      <button type="button" class="icon-btn" aria-label={`Remove ${props.file.file.name}`} onClick={() => props.onRemove()}>
        <Icon name="close" />
      </button>
    </li>
  );
}
