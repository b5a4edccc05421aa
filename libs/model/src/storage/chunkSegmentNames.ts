/** Longest directory name piece: far below the 255-byte name limit of common filesystems. */
const PIECE = 200;

/**
 * The directory names that hold one key segment in a file tree: `s` + the first piece of its
 * encoding, then `c` + each further piece (a segment too long for one name continues in a child
 * directory). The encoding keeps `a-z`, `0-9`, `-` and `_`, writes an upper-case letter as `^` and
 * its lower-case form (so case-insensitive filesystems keep `a` and `A` apart), and every other
 * UTF-16 code unit as `~` and four hex digits (so `/`, `.`, `..`, NUL, reserved names and lone
 * surrogates are all safe and the mapping is lossless). Names from here never equal `v` or start
 * with `t`, which the file store uses for chunk data and temporary files.
 */
export function segmentDirNames(segment: string): string[] {
  let encoded = "";
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] as string;
    if ((ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9") || ch === "-" || ch === "_") encoded += ch;
    else if (ch >= "A" && ch <= "Z") encoded += `^${ch.toLowerCase()}`;
    else encoded += `~${segment.charCodeAt(i).toString(16).padStart(4, "0")}`;
  }
  const names = [`s${encoded.slice(0, PIECE)}`];
  for (let at = PIECE; at < encoded.length; at += PIECE) names.push(`c${encoded.slice(at, at + PIECE)}`);
  return names;
}

/** The segment whose encoding (the pieces' text without their `s`/`c` marks) is `encoded`. */
export function decodeSegment(encoded: string): string {
  let out = "";
  for (let i = 0; i < encoded.length; i++) {
    const ch = encoded[i] as string;
    if (ch === "^") {
      out += (encoded[i + 1] ?? "").toUpperCase();
      i += 1;
    } else if (ch === "~") {
      out += String.fromCharCode(Number.parseInt(encoded.slice(i + 1, i + 5), 16));
      i += 4;
    } else out += ch;
  }
  return out;
}
