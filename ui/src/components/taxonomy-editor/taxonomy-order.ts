/** The order after moving the entry at `index` one step up (-1) or down (+1). */
export function moved(slugs: readonly string[], index: number, step: -1 | 1): string[] {
  const target = index + step;
  if (target < 0 || target >= slugs.length) return [...slugs];
  const next = [...slugs];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}
