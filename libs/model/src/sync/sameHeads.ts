/** Whether two head lists are equal, element by element. */
export const sameHeads = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((h, i) => h === b[i]);
