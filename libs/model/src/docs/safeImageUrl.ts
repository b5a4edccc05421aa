/** The longest `data:image/` URL a card may carry (about 24 KB of image): it is stored in the message. */
export const IMAGE_DATA_URL_MAX_CHARS = 32 * 1024;

// Raster formats and SVG, which an <img> shows without running its scripts or loading what it links.
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp|avif|svg\+xml)(?:;[a-z0-9=.+-]+)*,/i;

/**
 * The URL if a card may show it as an image: a `data:image/` URL of a known image type, of
 * bounded length; otherwise undefined. A picture travels inside the message, so showing it asks
 * nobody else for anything (decision 015): no `https:`, `http:`, `javascript:`, `blob:` or
 * relative URL ever reaches an `src`.
 */
export function safeImageUrl(url: unknown): string | undefined {
  if (typeof url !== "string" || !DATA_IMAGE.test(url)) return undefined;
  return url.length <= IMAGE_DATA_URL_MAX_CHARS && !/[\s"'<>]/.test(url) ? url : undefined;
}
