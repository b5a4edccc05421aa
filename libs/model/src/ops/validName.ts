import { OpError, OpErrorCode } from "./OpError.js";

/** A trimmed, non-empty name of at most 200 characters. */
export function validName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) throw new OpError(OpErrorCode.invalid, "a name has 1 to 200 characters");
  return trimmed;
}
