// Seeded parameter creation. Values come from our own rng (not tf.random*), so a policy is bit-identical on every
// backend and in every data-parallel replica. Each instance gets a unique variable-name prefix because tfjs
// variable names are global; saved files use the logical names only.
import * as tf from '@tensorflow/tfjs-core';
import { rng, type Rng } from '../util/random.ts';
import { gridSide, type PolicyConfig } from './config.ts';

export interface ParamSpec {
  name: string;
  shape: number[];
  /** Normal std, or a constant fill when `fill` is set. */
  std?: number;
  fill?: number;
}

let instances = 0;

export class Params {
  readonly list: tf.Variable[] = [];
  readonly names: string[] = [];
  private readonly byName = new Map<string, tf.Variable>();
  readonly prefix = `policy${instances++}/`;

  constructor(specs: ParamSpec[], seed: number) {
    const r = rng(seed).fork('policy-init');
    for (const s of specs) this.add(s, r.fork(s.name));
  }

  private add(s: ParamSpec, r: Rng): void {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (s.fill !== undefined) values.fill(s.fill);
    else for (let i = 0; i < size; i++) values[i] = r.normal(0, s.std ?? 0.02);
    const v = tf.variable(tf.tensor(values, s.shape), true, this.prefix + s.name);
    this.list.push(v);
    this.names.push(s.name);
    this.byName.set(s.name, v);
  }

  get(name: string): tf.Variable {
    const v = this.byName.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v;
  }

  get count(): number {
    return this.list.reduce((n, v) => n + v.size, 0);
  }

  dispose(): void {
    for (const v of this.list) v.dispose();
  }
}

/** Every parameter of the policy, in a fixed order (the order of saved files and of optimizer state). */
export function paramSpecs(c: PolicyConfig): ParamSpec[] {
  const d = c.dim, h = c.mlpRatio * d, g = gridSide(c);
  const specs: ParamSpec[] = [];
  let cin = 3 + (c.coordChannels ? 2 : 0);
  c.convChannels.forEach((cout, i) => {
    // He init for the ReLU convs.
    specs.push({ name: `conv${i}/w`, shape: [3, 3, cin, cout], std: Math.sqrt(2 / (9 * cin)) }, { name: `conv${i}/b`, shape: [cout], fill: 0 });
    cin = cout;
  });
  specs.push(
    { name: 'img/proj', shape: [cin, d], std: 1 / Math.sqrt(cin) },
    { name: 'img/gate', shape: [cin, d], std: 1 / Math.sqrt(cin) },
    { name: 'img/pos', shape: [g * g, d], std: 0.02 },
    { name: 'img/index', shape: [c.maxImages, d], std: 0.1 },
    { name: 'img/null', shape: [1, d], std: 0.1 },
    ...(c.pooledToken ? [{ name: 'img/pool', shape: [2 * cin, d], std: 1 / Math.sqrt(2 * cin) }] : []),
    { name: 'tok/embed', shape: [c.vocab, d], std: 0.1 },
    { name: 'tok/pos', shape: [c.maxSeq, d], std: 0.1 },
  );
  // Residual branch outputs are scaled down with depth so the stack starts near the identity.
  const resStd = 1 / Math.sqrt(d) / Math.sqrt(2 * c.layers);
  for (let l = 0; l < c.layers; l++) {
    const p = `layer${l}/`;
    specs.push(
      { name: `${p}ln1/g`, shape: [d], fill: 1 }, { name: `${p}ln1/b`, shape: [d], fill: 0 },
      { name: `${p}self/qkv`, shape: [d, 3 * d], std: 1 / Math.sqrt(d) },
      { name: `${p}self/out`, shape: [d, d], std: resStd },
      { name: `${p}ln2/g`, shape: [d], fill: 1 }, { name: `${p}ln2/b`, shape: [d], fill: 0 },
      { name: `${p}cross/q`, shape: [d, d], std: 1 / Math.sqrt(d) },
      { name: `${p}cross/kv`, shape: [d, 2 * d], std: 1 / Math.sqrt(d) },
      { name: `${p}cross/out`, shape: [d, d], std: resStd },
      { name: `${p}ln3/g`, shape: [d], fill: 1 }, { name: `${p}ln3/b`, shape: [d], fill: 0 },
      { name: `${p}mlp/up`, shape: [d, h], std: Math.sqrt(2 / d) }, { name: `${p}mlp/upb`, shape: [h], fill: 0 },
      { name: `${p}mlp/down`, shape: [h, d], std: 1 / Math.sqrt(h) / Math.sqrt(2 * c.layers) }, { name: `${p}mlp/downb`, shape: [d], fill: 0 },
    );
  }
  specs.push({ name: 'out/ln/g', shape: [d], fill: 1 }, { name: 'out/ln/b', shape: [d], fill: 0 }, { name: 'out/head', shape: [d, c.vocab], std: 1 / Math.sqrt(d) }, { name: 'out/bias', shape: [c.vocab], fill: 0 });
  return specs;
}
