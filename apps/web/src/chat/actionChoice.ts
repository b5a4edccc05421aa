/** Sends a person's answer on an action block; resolves to whether it was recorded. */
export type Choose = (block: string, value: string, label?: string) => Promise<boolean>;

/** The answer recorded on a block (on every device, once the message syncs). */
export interface Chosen {
  value: string;
  label: string;
}
