import { OpError, OpErrorCode } from "./OpError.js";

/**
 * The most UTF-8 bytes of one text in a document: a message, a reply, a task's prompt, a job's
 * output. A document's change goes to the relay in one entry, whose frame has a limit; a text
 * this size still fits with room to spare, and a longer one belongs in an attachment.
 */
export const TEXT_MAX_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

/** The text's UTF-8 size in bytes. */
export const utf8Bytes = (text: string): number => encoder.encode(text).length;

/** "1.3 MB", "900 KB": a size in the words a person reads. */
const sizeInWords = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** Refuses a person's text over {@link TEXT_MAX_BYTES}, saying what to do instead. */
export function checkTextSize(text: string, what: string): void {
  if (text.length * 3 <= TEXT_MAX_BYTES) return; // fits whatever its characters
  const bytes = utf8Bytes(text);
  if (bytes <= TEXT_MAX_BYTES) return;
  throw new OpError(OpErrorCode.invalid, `${what} is ${sizeInWords(bytes)}; it may be at most ${sizeInWords(TEXT_MAX_BYTES)}. Attach it as a file instead.`);
}

/**
 * An agent's text cut to {@link TEXT_MAX_BYTES} (at a character boundary), with a line saying
 * so: what a model or a job produced is kept, never refused.
 */
export function fitText(text: string): string {
  if (text.length * 3 <= TEXT_MAX_BYTES || utf8Bytes(text) <= TEXT_MAX_BYTES) return text;
  const note = "\n\n[Cut here: the rest was longer than a message may be.]";
  const room = new Uint8Array(TEXT_MAX_BYTES - utf8Bytes(note));
  const { read } = encoder.encodeInto(text, room);
  return read === text.length ? text : text.slice(0, read) + note;
}
