// The relative error the parity checks use (test/compute, bench/webgpu-parity.ts).

/** max |a - b| / max |b|: a relative error that does not blow up on entries near zero. */
export function relErr(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0, scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}
