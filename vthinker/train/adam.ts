// Adam(W) with global-norm gradient clipping and a learning rate set per step (for warmup + cosine), as a
// tf.Optimizer so data-parallel replicas can use it. Our own implementation rather than tf.train.adam because its
// state (moments, step count) must be saved and restored exactly for bit-identical resume.
import * as tf from '@tensorflow/tfjs-core';

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

  constructor(readonly vars: readonly tf.Variable[], settings: Partial<AdamSettings> = {}) {
    super();
    this.s = { ...defaultAdam, ...settings };
    this.m = vars.map((x) => tf.variable(tf.zerosLike(x), false));
    this.v = vars.map((x) => tf.variable(tf.zerosLike(x), false));
  }

  override applyGradients(grads: tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>): void {
    const map: tf.NamedTensorMap = Array.isArray(grads) ? Object.fromEntries(grads.map((g) => [g.name, g.tensor])) : grads;
    // A variable the loss does not use gets no gradient; it is left as is (its moments too).
    tf.tidy(() => {
      const gs = this.vars.map((x) => map[x.name] ?? tf.zerosLike(x));
      const sq = tf.addN(gs.map((g) => tf.sum(tf.square(g))));
      this.lastGradNorm = Math.sqrt(sq.dataSync()[0]!);
      const scale = this.clipNorm > 0 && this.lastGradNorm > this.clipNorm ? this.clipNorm / this.lastGradNorm : 1;
      this.t++;
      const { beta1: b1, beta2: b2, epsilon, weightDecay } = this.s;
      const bc1 = 1 - b1 ** this.t, bc2 = 1 - b2 ** this.t;
      const lr = this.learningRate;
      this.vars.forEach((x, i) => {
        const g = scale === 1 ? gs[i]! : tf.mul(gs[i]!, scale);
        const m = tf.add(tf.mul(this.m[i]!, b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(this.v[i]!, b2), tf.mul(tf.square(g), 1 - b2));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
        let update = tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), epsilon));
        if (weightDecay > 0 && x.rank >= 2) update = tf.add(update, tf.mul(x, weightDecay));
        x.assign(tf.sub(x, tf.mul(update, lr)));
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
