// The sandbox: runs drawing code on an image the way the paper's sandbox runs Python. One sandbox serves one rollout:
// calls accumulate (later calls draw on top of earlier ones), the input image is never changed, and every failure
// comes back as a message starting "Sandbox for <id>:" (the tool reward keys off that prefix). It never throws.
//
// Semantics: a call is all-or-nothing (any bad line fails the whole call and changes nothing); coordinates always
// refer to the full canvas (sceneSize), also after a crop; the view is the last crop so far (`crop 0 0 W H` undoes
// it); every call counts toward maxCalls, failed ones included, so a policy cannot retry forever.
import { parseProgram } from '../scene/drawlang.ts';
import { applyOpsUntil, type RasterImage, type SceneSize } from '../scene/render.ts';
import type { DrawOp, DrawProgram } from '../scene/types.ts';
import { DEFAULT_LIMITS, type SandboxLimits } from './limits.ts';

/** The outcome of one call: the new view and this call's operations, or the "Sandbox for ..." message. */
export type SandboxResult = { ok: true; image: RasterImage; ops: DrawProgram } | { ok: false; message: string };

/** What a sandbox is created from. */
export interface SandboxOptions {
  /** Names the sandbox in messages (e.g. the sample or rollout id). */
  id: string;
  /** The input image (read-only: it is copied, never drawn on). */
  image: RasterImage;
  /** The canvas the code's coordinates refer to; the image may have any pixel size and is scaled to it. */
  sceneSize: SceneSize;
  /** Overrides of DEFAULT_LIMITS. */
  limits?: Partial<SandboxLimits>;
  /** Milliseconds clock for the time limit (injectable so tests are deterministic); performance.now by default. */
  clock?: () => number;
}

/** A sandbox for one rollout. */
export interface Sandbox {
  /** The id used in messages. */
  readonly id: string;
  /** The limits in force. */
  readonly limits: Readonly<SandboxLimits>;
  /** Runs one call's code; never throws. */
  execute(codeText: string): SandboxResult;
  /** Calls made so far, failed ones included. */
  readonly calls: number;
  /** Every operation of the successful calls so far, in order. */
  readonly history: DrawProgram;
  /** The current view: the input image before any successful call. */
  readonly image: RasterImage;
}

/** Creates a sandbox for one rollout; throws only on a bad configuration (never on code). */
export function createSandbox(options: SandboxOptions): Sandbox {
  const { id, image, sceneSize } = options;
  const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const clock = options.clock ?? (() => performance.now());
  if (!(sceneSize.width > 0 && sceneSize.height > 0)) throw new Error(`createSandbox ${id}: sceneSize must be positive, got ${sceneSize.width}x${sceneSize.height}`);
  if (image.data.length !== image.width * image.height * 4) throw new Error(`createSandbox ${id}: image data has ${image.data.length} bytes, expected ${image.width}x${image.height}x4`);
  // A private copy: the caller's pixels stay untouched whatever happens here or to the caller's array later.
  const base: RasterImage = { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
  let history: DrawOp[] = [];
  let view: RasterImage = base;
  let calls = 0;
  const failure = (reason: string): SandboxResult => ({ ok: false, message: `Sandbox for ${id}: ${reason}` });

  function run(codeText: unknown): SandboxResult {
    const started = clock();
    calls++;
    if (calls > limits.maxCalls) return failure(`call limit reached (${limits.maxCalls} calls per rollout); answer without more code`);
    if (typeof codeText !== 'string') return failure(`expected code as text, got ${typeof codeText}`);
    if (codeText.length > limits.maxCodeLength) return failure(`code is ${codeText.length} characters, more than the limit of ${limits.maxCodeLength}; write fewer operations`);
    const parsed = parseProgram(codeText, {
      width: sceneSize.width,
      height: sceneSize.height,
      margin: limits.margin,
      minCrop: limits.minCrop,
      maxPolygonPoints: limits.maxPolygonPoints,
      maxOps: limits.maxOpsPerCall,
    });
    if (!parsed.ok) return failure(parsed.error);
    if (parsed.ops.length === 0) return failure('the code has no drawing operations; write one per line, e.g. `line 10 20 60 80`');
    const next = [...history, ...parsed.ops];
    const timedOut = () => clock() - started > limits.timeLimitMs;
    const drawn = applyOpsUntil(base, next, sceneSize, timedOut);
    if (drawn === null || timedOut()) return failure(`time limit of ${limits.timeLimitMs} ms exceeded`);
    history = next;
    view = drawn;
    return { ok: true, image: drawn, ops: parsed.ops };
  }

  return {
    id,
    limits,
    get calls() {
      return calls;
    },
    get history() {
      return history;
    },
    get image() {
      return view;
    },
    execute(codeText) {
      try {
        return run(codeText);
      } catch (error) {
        // Unreachable by design; kept so a bug in rendering still reaches the policy as a tool error, not a crash.
        return failure(`internal error: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
