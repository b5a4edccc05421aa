import { type Accessor, createSignal } from "solid-js";

/** Sends a person's answer on an action block; resolves to whether it was recorded. */
export type Choose = (block: string, value: string, label?: string) => Promise<boolean>;

/** The answer recorded on a block (on every device, once the message syncs). */
export interface Chosen {
  value: string;
  label: string;
}

/**
 * A block's answer, sent once: `busy` while it is on its way, `done` once recorded (the block
 * shows the answer), and on a failure the block may be answered again.
 */
export function createAnswer(props: { block: { id: string }; chosen: Chosen | undefined; onChoose: Choose }): {
  busy: Accessor<boolean>;
  done: () => boolean;
  send: (value: string) => Promise<void>;
} {
  const [busy, setBusy] = createSignal(false);
  const done = (): boolean => props.chosen !== undefined;
  const send = async (value: string): Promise<void> => {
    if (done() || busy()) return;
    setBusy(true);
    if (!(await props.onChoose(props.block.id, value))) setBusy(false);
  };
  return { busy, done, send };
}
