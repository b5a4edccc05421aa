/** Image types every browser BotsChat supports draws in an `<img>`; others are offered as files. */
const PREVIEWABLE = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp", "image/svg+xml"]);

/**
 * Whether an attachment is shown as an image preview (else as a file card with a download
 * button). An SVG is safe here: in an `<img>` it runs no script.
 */
export function previewableImage(mime: string): boolean {
  return PREVIEWABLE.has(mime.toLowerCase().split(";")[0]!.trim());
}
