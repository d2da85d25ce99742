// The report's small pieces: SVG ids made stable and page-unique, locale-free numbers, curve helpers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatValue, scopeSvgIds, type Spec, toSvg } from '@vthinker/engine/report';
import { downsample, fieldName, numericColumns } from '../../vthinker/report/specs.ts';

const CLIPPED: Spec = {
  data: { values: [{ x: 1, y: 2 }, { x: 2, y: 30 }] },
  mark: { type: 'line', clip: true },
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative', scale: { domain: [0, 10] } } },
};

test('scopeSvgIds: the same chart gives the same bytes in a second render, ids prefixed and references renamed', async () => {
  const [a, b] = [await toSvg(CLIPPED), await toSvg(CLIPPED)];
  assert.is.not(a, b, "vega's clip ids come from a process-wide counter");
  const [sa, sb] = [scopeSvgIds(a, 'chart-1'), scopeSvgIds(b, 'chart-1')];
  assert.is(sa, sb);
  assert.match(sa, 'id="chart-1-1"');
  assert.match(sa, 'clip-path="url(#chart-1-1)"');
  assert.not.match(sa, /id="clip\d+"/);
});

test('formatValue: grouped integers, 4 significant digits, yes/no', () => {
  assert.equal([12345, 0.93081, 370.44, 33.1974, 1234.6, -5, true, 'wasm'].map(formatValue), ['12,345', '0.9308', '370.4', '33.2', '1,235', '-5', 'yes', 'wasm']);
});

test('downsample keeps the ends and spaces the rest; numericColumns skips text and the x column', () => {
  const rows = Array.from({ length: 1000 }, (_, i) => ({ step: i, loss: 1 / (i + 1), phase: 'a', kl: i ? 0.1 : undefined }));
  const few = downsample(rows, 5);
  assert.equal(few.map((r) => r.step), [0, 250, 500, 749, 999]);
  assert.equal(numericColumns([{ step: 1, loss: 2, phase: 'x', reward: null }, { step: 2, loss: 1, phase: 'y', kl: 0.5, reward: 0.3 }, { step: 3, none: null }], 'step'), ['loss', 'reward', 'kl']);
  assert.is(fieldName('reward.format[0]'), 'reward\\.format\\[0\\]');
});

test.run();
