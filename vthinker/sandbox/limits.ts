// The sandbox's limits, in one place with the reason for each default. They bound time and memory per call and per
// rollout, so a policy's worst output (random bytes, 100k characters, huge numbers) costs little and fails cleanly.

/** Limits of one sandbox (one rollout). */
export interface SandboxLimits {
  /** Operations per call: a construction step needs a handful; 16 leaves room without letting a call scribble. */
  maxOpsPerCall: number;
  /** Calls per sandbox, failed ones included: the paper allows ~2 per RL rollout and up to 5 rounds in VTBench. */
  maxCalls: number;
  /** Characters of code per call: 16 ops of the longest kind fit with room; longer text is not parsed at all. */
  maxCodeLength: number;
  /** Wall time per call in milliseconds (the paper's sandbox: 10 s for Python; ours draws in well under 1 ms). */
  timeLimitMs: number;
  /**
   * How far coordinates may lie outside the canvas, in canvas pixels. 0: points must be on the canvas (edges
   * included, so `line 0 0 128 128` is fine on a 128 canvas); a ray reaches the edge by itself, so no construction
   * needs points outside.
   */
  margin: number;
  /** Smallest crop side in canvas pixels: smaller views carry too little to read. */
  minCrop: number;
  /** Most vertices of one polygon. */
  maxPolygonPoints: number;
}

/** The defaults (see each field for why). */
export const DEFAULT_LIMITS: Readonly<SandboxLimits> = {
  maxOpsPerCall: 16,
  maxCalls: 8,
  maxCodeLength: 4000,
  timeLimitMs: 2000,
  margin: 0,
  minCrop: 8,
  maxPolygonPoints: 32,
};
