// The fused and layout kernels of the 'fused' stack against the cpu backend's composite formulas: forward values and
// gradients, every mask and shape case the policy uses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import { adamStep, attention, layerNorm, sumOfSquares } from '../../vthinker/compute/fused-ops.ts';
import { nativeAddonBuilt } from '../../vthinker/compute/native-addon.ts';
import { compare, randn, useCpu, useStack } from './helpers.ts';

const tol = 1e-5;
const fusedOnly = nativeAddonBuilt() ? test : test.skip;

fusedOnly('the fused stack registers its kernels; the native stack and cpu have none (composite ops there)', async () => {
  await useStack('fused');
  assert.ok(tf.getKernel('VtLayerNorm', 'wasm'));
  await useStack('native');
  assert.not.ok(tf.getKernel('VtLayerNorm', 'wasm'));
  await useCpu();
  assert.not.ok(tf.getKernel('VtLayerNorm', 'cpu'));
});

fusedOnly('layerNorm: forward and the gradients of x, gain and bias match cpu', async () => {
  for (const [rows, d] of [[7, 16], [33, 128], [1, 5]] as const) {
    const { err } = await compare('fused', () => {
      const x = randn([rows, d], `x${d}`), g = randn([d], 'g'), b = randn([d], 'b'), r = randn([rows, d], 'r');
      const f = (a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(layerNorm(a as tf.Tensor2D, gg, bb), r));
      return [layerNorm(x as tf.Tensor2D, g, b), ...tf.grads(f)([x, g, b])];
    });
    assert.ok(err < tol, `[${rows}, ${d}]: relative error ${err}`);
  }
});

type AttCase = [name: string, b: number, t: number, s: number, d: number, heads: number, causal: boolean, cross: boolean, bias?: 'per row' | 'per query'];
const cases: AttCase[] = [
  ['self causal', 3, 9, 9, 16, 4, true, false],
  ['self causal over a cached prefix (T < S)', 2, 1, 6, 8, 2, true, false],
  ['self causal, 3 new of 7, padding bias per row', 2, 3, 7, 8, 2, true, false, 'per row'],
  ['cross with image visibility', 3, 8, 11, 16, 4, false, true],
  ['cross with a bias per query', 2, 4, 6, 8, 2, false, true, 'per query'],
  ['unmasked', 2, 5, 4, 6, 3, false, false],
];

for (const [name, b, t, s, d, heads, causal, cross, bias] of cases) {
  fusedOnly(`attention ${name}: output and q, k, v gradients match cpu`, async () => {
    const { err } = await compare('fused', () => {
      const q = randn([b, t, d], 'q') as tf.Tensor3D, k = randn([b, s, d], 'k') as tf.Tensor3D, v = randn([b, s, d], 'v') as tf.Tensor3D;
      // Key j belongs to image floor(j / 4), the last key (the null token) to image -1; positions see 0..2 images.
      const keyImage = tf.tensor1d(Array.from({ length: s }, (_, j) => (j === s - 1 ? -1 : Math.floor(j / 4))));
      const visible = tf.tensor2d(Array.from({ length: b * t }, (_, i) => (i * 7) % 3), [b, t]);
      // Padding-style bias: the last key of row 1 (per row) or every other key of each query (per query) masked.
      const biasOf = () => bias === 'per row'
        ? tf.tensor3d(Array.from({ length: b * s }, (_, i) => (i === 2 * s - 1 ? -1e9 : 0)), [b, 1, s])
        : tf.tensor3d(Array.from({ length: b * t * s }, (_, i) => ((i % s) % 2 === 1 && i % s !== s - 1 ? -1e9 : (i % 5) * 0.1)), [b, t, s]);
      const masks = { causal, ...(cross ? { visible, keyImage } : {}), ...(bias ? { bias: biasOf() } : {}) };
      const r = randn([b, t, d], 'r');
      const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(attention(x as tf.Tensor3D, y as tf.Tensor3D, z as tf.Tensor3D, heads, masks), r));
      return [attention(q, k, v, heads, masks), ...tf.grads(f)([q, k, v])];
    });
    assert.ok(err < tol, `relative error ${err}`);
  });
}

fusedOnly('adamStep and sumOfSquares match the composite formulas (clipping scale and weight decay included)', async () => {
  for (const [scale, weightDecay] of [[1, 0], [0.3, 0.01]] as const) {
    const { err } = await compare('fused', () => {
      const [x, g, m] = [randn([6, 5], 'ax'), randn([6, 5], 'ag'), randn([6, 5], 'am')];
      const v = tf.abs(randn([6, 5], 'av'));
      const s = { lr: 0.01, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, bc1: 1 - 0.9 ** 3, bc2: 1 - 0.98 ** 3, scale, weightDecay };
      return [...adamStep(x, g, m, v, s), sumOfSquares([x, g, tf.reshape(m, [30])])];
    });
    assert.ok(err < tol, `scale ${scale} decay ${weightDecay}: relative error ${err}`);
  }
});

fusedOnly('sums over leading axes (bias gradients) match cpu; other axes fall back', async () => {
  const { err } = await compare('fused', () => {
    const x = randn([4, 3, 5, 6], 'sx');
    return [tf.sum(x, 0), tf.sum(x, [0, 1, 2]), tf.sum(x, [0, 1], true), tf.sum(x, 2), tf.sum(x, [1, 3]), tf.sum(x)];
  });
  assert.ok(err < tol, `relative error ${err}`);
});

test('layout kernels give the stock bytes: slice, split, concat, tile, gather, identity, cast (float and int)', async () => {
  const ops = () => {
    const x = randn([4, 5, 6], 'lx');
    const i = tf.tensor3d(Array.from({ length: 24 }, (_, n) => n * 3 - 7), [2, 3, 4], 'int32');
    return [
      tf.slice(x, [1, 0, 2], [2, 5, 3]), tf.slice(x, [0, 2, 0], [4, 2, 6]), tf.slice(x, [2, 0, 0], [1, 5, 6]), tf.slice(i, [0, 1, 1], [2, 2, 2]),
      ...tf.split(x, [2, 1, 3], 2), ...tf.split(x, 2, 0), ...tf.split(i, [1, 3], 2),
      tf.concat([x, randn([4, 5, 2], 'c2')], 2), tf.concat([x, x], 1), tf.concat([i, i], 0), tf.concat([x, tf.zeros([4, 5, 0])], 2),
      tf.tile(x, [2, 1, 1]), tf.tile(x, [1, 3, 2]), tf.tile(tf.reshape(x, [1, 4, 5, 6]), [3, 1, 1, 2]), tf.tile(i, [2, 2, 1]),
      tf.gather(tf.reshape(x, [4, 30]), tf.tensor1d([3, 0, 3, 1], 'int32')), tf.gather(x, tf.tensor2d([[1, 2], [0, 0]], [2, 2], 'int32')),
      tf.clone(x), tf.cast(x, 'float32'), tf.cast(i, 'int32'), tf.cast(x, 'int32'),
    ];
  };
  for (const stack of ['js', 'fused'] as const) {
    if (stack === 'fused' && !nativeAddonBuilt()) continue;
    const { err } = await compare(stack, ops);
    assert.is(err, 0, `${stack}: the layout kernels must copy exactly`);
  }
});

test('gather out of range says which index', async () => {
  await useStack('js');
  assert.throws(() => tf.gather(tf.ones([3, 2]), tf.tensor1d([1, 3], 'int32')).dataSync(), /index value 3 is not in \[0, 2\]/);
});

test.run();
