// Scores re-weighted per question family as a benchmark draws its items (bench/validation-set.ts, bench/reader-ceiling.ts):
// the held-out pool is mostly geometry while VTBench is half charts, so a plain mean over pool items cannot stand in for it.

/** Each family's accuracy (right / asked) weighted by `weights` (the benchmark's item count per family); `skip` left out. */
export function familyWeighted(perFamily: Iterable<[string, readonly [number, number]]>, weights: Record<string, number>, skip: ReadonlySet<string> = new Set()): number {
  let acc = 0, wsum = 0;
  for (const [f, [right, n]] of perFamily) {
    if (skip.has(f) || !weights[f]) continue;
    acc += weights[f] * (right / n);
    wsum += weights[f];
  }
  return acc / wsum;
}
