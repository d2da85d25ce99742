// Every replaced wasm kernel against the cpu backend, through the ops (forward and gradients) that reach it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs-core';
import { compare, randn, type Stack } from './helpers.ts';

const stacks: Stack[] = ['stock', 'js', 'native', 'fused'];
const tol = 1e-5;

type Conv = [name: string, shape: [number, number, number, number], k: number, cout: number, stride: number | [number, number], pad: 'same' | 'valid'];
const convs: Conv[] = [
  ['3x3 s1 same', [2, 7, 9, 3], 3, 4, 1, 'same'],
  ['3x3 s2 same', [2, 7, 9, 3], 3, 4, 2, 'same'],
  ['3x3 s2 same even', [2, 8, 8, 2], 3, 3, 2, 'same'],
  ['3x3 (2,1) valid', [1, 9, 7, 2], 3, 5, [2, 1], 'valid'],
  ['5x5 s1 valid', [2, 9, 8, 3], 5, 2, 1, 'valid'],
  ['5x5 s2 same', [1, 11, 10, 2], 5, 3, 2, 'same'],
  ['1x1 s1', [2, 5, 6, 4], 1, 3, 1, 'same'],
  ['1x1 s2 valid', [2, 5, 6, 4], 1, 3, 2, 'valid'],
];

for (const stack of stacks) {
  for (const [name, shape, k, cout, stride, pad] of convs) {
    test(`${stack}: conv2d ${name}: forward, dx, dW match cpu`, async () => {
      const { err } = await compare(stack, () => {
        const x = randn(shape, `x${name}`) as tf.Tensor4D, w = randn([k, k, shape[3], cout], `w${name}`) as tf.Tensor4D;
        const y = tf.conv2d(x, w, stride, pad);
        const r = randn(y.shape, `r${name}`);
        return [y, ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), r)))([x, w])];
      });
      assert.ok(err < tol, `relative error ${err}`);
    });
  }

  for (const [k, s, pad, h, w] of [[2, 2, 'valid', 8, 8], [2, 2, 'same', 7, 9], [3, 2, 'same', 7, 9], [3, 1, 'same', 6, 5], [3, 2, 'valid', 9, 8]] as const) {
    test(`${stack}: maxPool ${k}x${k} s${s} ${pad} ${h}x${w}: gradient matches cpu`, async () => {
      const { err } = await compare(stack, () => {
        const x = randn([2, h, w, 3], `m${k}${s}${pad}`);
        return tf.grads((a: tf.Tensor) => {
          const y = tf.maxPool(a as tf.Tensor4D, k, s, pad);
          return tf.sum(tf.mul(y, randn(y.shape, 'mr')));
        })([x]);
      });
      assert.ok(err < tol, `relative error ${err}`);
    });
  }

  test(`${stack}: batchMatMul, every transpose and batch combination, matches cpu`, async () => {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        // [batch dims of a, batch dims of b]: unbatched, batched x unbatched, unbatched x batched, equal, broadcast.
        for (const [ba, bb] of [[[], []], [[3], []], [[], [2]], [[3], [3]], [[2, 3], [2, 3]], [[2, 1], [1, 3]], [[1], [4]]] as number[][][]) {
          const { err, shapes } = await compare(stack, () => {
            const a = randn([...ba!, ...(ta ? [6, 5] : [5, 6])], 'a'), b = randn([...bb!, ...(tb ? [7, 6] : [6, 7])], 'b');
            return tf.matMul(a, b, ta, tb);
          });
          assert.ok(err < tol, `a ${ba} b ${bb} ta ${ta} tb ${tb}: relative error ${err} (${shapes})`);
        }
        const { err } = await compare(stack, () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a, b, ta, tb), randn([4, 5, 7], 'g'))))(
          [randn(ta ? [4, 6, 5] : [4, 5, 6], 'ga'), randn(tb ? [4, 7, 6] : [4, 6, 7], 'gb')]));
        assert.ok(err < tol, `batched gradient ta ${ta} tb ${tb}: relative error ${err}`);
        const { err: err2 } = await compare(stack, () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a, b, ta, tb), randn([5, 7], 'g2'))))(
          [randn(ta ? [6, 5] : [5, 6], 'ga2'), randn(tb ? [7, 6] : [6, 7], 'gb2')]));
        assert.ok(err2 < tol, `2-D gradient ta ${ta} tb ${tb}: relative error ${err2}`);
      }
    }
  });

  test(`${stack}: gather gradient (UnsortedSegmentSum) matches cpu, repeated and unused ids included`, async () => {
    const { err } = await compare(stack, () => tf.grads((e: tf.Tensor) => tf.sum(tf.mul(tf.gather(e, tf.tensor2d([1, 3, 1, 0, 4, 4], [2, 3], 'int32')), randn([2, 3, 6], 'q'))))([randn([7, 6], 'e')]));
    assert.ok(err < tol, `relative error ${err}`);
    const { err: direct } = await compare(stack, () => tf.unsortedSegmentSum(randn([5, 2, 3], 'u'), tf.tensor1d([2, 0, 2, 9, 1], 'int32'), 4));
    assert.ok(direct < tol, `unsortedSegmentSum with an out-of-range id: relative error ${direct}`);
  });
}

test.run();
