// Adam(W) with global-norm gradient clipping and a learning rate set per step (for warmup + cosine), as a
// tf.Optimizer so data-parallel replicas can use it. Our own implementation rather than tf.train.adam because its
// state (moments, step count) must be saved and restored exactly for bit-identical resume.
import * as tf from '@tensorflow/tfjs-core';
import { adamStep, sumOfSquares } from '../compute/fused-ops.ts';

export interface AdamSettings {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled weight decay (AdamW), applied to matrices only (rank >= 2): biases, gains and norms are not decayed. */
  weightDecay: number;
}

export const defaultAdam: AdamSettings = { beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0 };

export class ClippedAdam extends tf.Optimizer {
  static readonly className = 'VThinkerClippedAdam';
  /** Set before each step. */
  learningRate = 1e-3;
  /** Clip the global gradient norm to this (0 = no clipping). */
  clipNorm = 0;
  /** Completed steps (Adam's t). */
  t = 0;
  /** The global gradient norm of the last step, before clipping. */
  lastGradNorm = 0;
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];
  private readonly s: AdamSettings;
  /** The gradient norm measured for the coming update (measureGradients), if it was. */
  private measured?: number;

  constructor(readonly vars: readonly tf.Variable[], settings: Partial<AdamSettings> = {}) {
    super();
    this.s = { ...defaultAdam, ...settings };
    this.m = vars.map((x) => tf.variable(tf.zerosLike(x), false));
    this.v = vars.map((x) => tf.variable(tf.zerosLike(x), false));
  }

  /**
   * Reads the global gradient norm that clipping needs before applyGradients, asynchronously: GPU data cannot be
   * read synchronously (on the CPU stacks the same sum gives the same bits either way).
   */
  async measureGradients(grads: tf.NamedTensorMap): Promise<void> {
    const norm = tf.tidy(() => sumOfSquares(this.vars.map((x) => grads[x.name] ?? tf.zerosLike(x))));
    this.measured = Math.sqrt((await norm.data())[0]!);
    norm.dispose();
  }

  override applyGradients(grads: tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>): void {
    const map: tf.NamedTensorMap = Array.isArray(grads) ? Object.fromEntries(grads.map((g) => [g.name, g.tensor])) : grads;
    // A variable the loss does not use gets no gradient; it is left as is (its moments too).
    tf.tidy(() => {
      const gs = this.vars.map((x) => map[x.name] ?? tf.zerosLike(x));
      this.lastGradNorm = this.measured ?? Math.sqrt(sumOfSquares(gs).dataSync()[0]!);
      this.measured = undefined;
      const scale = this.clipNorm > 0 && this.lastGradNorm > this.clipNorm ? this.clipNorm / this.lastGradNorm : 1;
      this.t++;
      const { beta1, beta2, epsilon, weightDecay } = this.s;
      const step = { lr: this.learningRate, beta1, beta2, epsilon, bc1: 1 - beta1 ** this.t, bc2: 1 - beta2 ** this.t, scale };
      this.vars.forEach((x, i) => {
        const [nx, nm, nv] = adamStep(x, gs[i]!, this.m[i]!, this.v[i]!, { ...step, weightDecay: x.rank >= 2 ? weightDecay : 0 });
        this.m[i]!.assign(nm);
        this.v[i]!.assign(nv);
        x.assign(nx);
      });
    });
  }

  /** Moments in variable order (m0..mn, v0..vn). */
  stateArrays(): Float32Array[] {
    return [...this.m, ...this.v].map((x) => x.dataSync() as Float32Array);
  }

  setState(t: number, arrays: readonly Float32Array[]): void {
    const all = [...this.m, ...this.v];
    if (arrays.length !== all.length) throw new Error(`optimizer state has ${arrays.length} arrays, expected ${all.length}`);
    this.t = t;
    all.forEach((x, i) => tf.tidy(() => x.assign(tf.tensor(arrays[i]!, x.shape, 'float32'))));
  }

  override dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.s };
  }
}
