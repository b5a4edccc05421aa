/**
 * Every shortest path from `start` to a node that `isTarget` accepts, walking the graph that
 * `dependenciesOf` describes (breadth first, each node visited once, cycles allowed).
 * The start node itself is never a target.
 *
 * @example
 * dependencyPaths("@botschat/relay", (n) => deps[n] ?? [], (n) => n === "@botschat/model")
 * // → [["@botschat/relay", "x", "@botschat/model"]] when the relay depends on x, x on model
 */
export function dependencyPaths(start: string, dependenciesOf: (node: string) => Iterable<string>, isTarget: (node: string) => boolean): string[][] {
  const found: string[][] = [];
  const seen = new Set<string>([start]);
  let frontier: string[][] = [[start]];
  while (frontier.length > 0) {
    const next: string[][] = [];
    for (const path of frontier) {
      const node = path[path.length - 1]!;
      for (const dep of dependenciesOf(node)) {
        if (seen.has(dep)) continue;
        seen.add(dep);
        const extended = [...path, dep];
        if (isTarget(dep)) found.push(extended);
        else next.push(extended);
      }
    }
    frontier = next;
  }
  return found;
}
