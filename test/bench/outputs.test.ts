import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildItems, selectItems } from '../../vthinker/bench/items.ts';
import { writeBenchJson } from '../../vthinker/bench/layout.ts';
import { judgeItems, judgeOutputs, PERTURBATIONS, renderOracleOutputs, renderPerturbedOutputs, wrongAnswer } from '../../vthinker/bench/outputs.ts';
import { judgeCommand, pairReports } from '../../vthinker/bench/cli.ts';
import { familyScores, pairedComparisons, resultsTable } from '../../vthinker/bench/results.ts';
import type { BenchScores } from '../../vthinker/bench/evaluate-model.ts';
import { accuracyOf, pairedExactTest, paperTable, rowOf, summarize, wilson } from '../../vthinker/bench/score.ts';
import { splitHeldOut } from '../../vthinker/synth/split.ts';
import { synthesize } from '../../vthinker/synth/synthesize.ts';

const { samples } = synthesize({ seed: 11, count: 160 });
const pool = buildItems(splitHeldOut(samples, { seed: 11, fraction: 0.3 }).heldOut).items;
const items = selectItems(pool, { perTask: 24, seed: 3 });
const dir = mkdtempSync(join(tmpdir(), 'bench-out-'));

test('oracle outputs score 100% on every task; image and geometric judges agree', async () => {
  writeBenchJson(join(dir, 'bench', 'bench.json'), items);
  renderOracleOutputs(items, join(dir, 'oracle'));
  const report = await judgeOutputs(join(dir, 'bench', 'bench.json'), join(dir, 'oracle'));
  for (const task of ['perception', 'instruction', 'reasoning'] as const) {
    assert.is(report.summary[task].overall.accuracy, 1, `${task}: ${report.rows.filter((r) => r.task === task && !r.score).map((r) => `${r.id} ${r.reasons}`).join('; ')}`);
  }
  assert.equal(report.agreement, { perception: { agree: 24, total: 24 }, instruction: { agree: 24, total: 24 } });
  assert.equal(report.missing, { perception: 0, instruction: 0, reasoning: 0 });
});

test('perturbed outputs score lower: blank, shifted, scribbled and half edits; wrong answers', async () => {
  for (const kind of PERTURBATIONS) {
    renderPerturbedOutputs(items, join(dir, kind), kind);
    const { summary } = await judgeItems(items, join(dir, kind));
    const acc = (t: 'perception' | 'instruction' | 'reasoning') => summary[t].overall.accuracy;
    assert.is(acc('reasoning'), 0, kind);
    if (kind === 'half') {
      assert.is(acc('perception'), 1, 'half keeps the perception annotation');
      // Half of an edit wider than twice the tolerance always misses a part; a lone point is its own half.
      assert.ok(acc('instruction') <= 0.25, `half: IGI ${acc('instruction')}`);
    } else {
      assert.is(acc('perception'), 0, `${kind}: perception`);
      assert.is(acc('instruction'), 0, `${kind}: IGI`);
    }
  }
});

test('missing outputs score 0 and are counted', async () => {
  const partial = join(dir, 'partial');
  renderOracleOutputs(items.slice(0, 2), partial);
  unlinkSync(join(partial, `${items[0]!.id}.reasoning.txt`));
  writeFileSync(join(partial, `${items[1]!.id}.instruction.txt`), '<code> point 1.5 2 </code>');
  const report = await judgeItems(items.slice(0, 3), partial);
  assert.equal(report.missing, { perception: 1, instruction: 1, reasoning: 2 });
  assert.is(report.summary.instruction.overall.correct, 2, 'the image decides; the broken code only fails the cross-check');
  assert.equal(report.agreement.instruction, { agree: 1, total: 2 });
  await judgeItems(items, join(dir, 'nowhere')).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /outputs folder .* not found/));
});

test('wrong answers are of the same kind', () => {
  assert.equal(['yes', 'no', '3', 'B', 'Z', 'maybe'].map(wrongAnswer), ['no', 'yes', '4', 'C', 'A', 'not maybe']);
});

test('Wilson intervals, summaries and the paper-format table', () => {
  const w = wilson(10, 20);
  assert.ok(Math.abs(w.low - 0.2993) < 1e-3 && Math.abs(w.high - 0.7007) < 1e-3, JSON.stringify(w));
  assert.equal(wilson(0, 0), { low: 0, high: 1 });
  assert.ok(wilson(0, 10).low === 0 && wilson(10, 10).high === 1 && wilson(10, 10).low > 0.69);
  assert.throws(() => wilson(3, 2), /0 <= k <= n/);
  assert.equal(accuracyOf([1, 0, 1, 1]).accuracy, 0.75);
  const rows = [
    { id: 'a', domain: 'Logic', task: 'perception' as const, score: 1 as const },
    { id: 'b', domain: 'Geometry', task: 'perception' as const, score: 0 as const },
    { id: 'a', domain: 'Logic', task: 'reasoning' as const, score: 1 as const },
  ];
  const s = summarize(rows);
  assert.equal(Object.keys(s.perception.byDomain), ['Geometry', 'Logic']);
  assert.is(s.perception.overall.accuracy, 0.5);
  assert.is(s.instruction.overall.total, 0);
  const table = paperTable([{ name: 'base', perception: 10, instruction: 5, reasoning: 30 }, rowOf('full', s)], { base: 'base' });
  assert.equal(table.rows[1]!.delta, { perception: 40, instruction: -5, reasoning: 70 });
  assert.is(table.rows.length, 5);
  const lines = table.markdown.trim().split('\n');
  assert.is(lines[0], '| model | Perception | IGI | IR |');
  assert.is(lines[2], '| base (base) | 10.0 | 5.0 | 30.0 |');
  assert.is(lines[3], '| full | 50.0 (+40.0) | 0.0 (-5.0) | 100.0 (+70.0) |');
  assert.is(lines[6], '| V-Thinker-7B (paper) | 18.6 (+6.0) | 31.6 (+22.8) | 40.4 (+8.6) |');
  assert.throws(() => paperTable([], { base: 'x' }), /no row named "x"/);
});

test('paired exact test: discordant counts and the two-sided binomial p', () => {
  const v = (s: string) => [...s].map((c) => (c === '1' ? 1 : 0) as 0 | 1);
  // 15 items only A gets right, 5 only B, 10 both: 2 * P(X <= 5), X ~ Bin(20, 1/2) = 0.041389...
  const t = pairedExactTest(v('1'.repeat(15) + '0'.repeat(5) + '1'.repeat(10)), v('0'.repeat(15) + '1'.repeat(5) + '1'.repeat(10)));
  assert.equal([t.onlyA, t.onlyB], [15, 5]);
  assert.ok(Math.abs(t.p - 0.0413895) < 1e-6, `${t.p}`);
  assert.ok(Math.abs(pairedExactTest(v('0000000000'), v('1111111111')).p - 2 / 1024) < 1e-12);
  assert.equal(pairedExactTest(v('0101'), v('0101')), { onlyA: 0, onlyB: 0, p: 1 });
  // symmetric in A and B; no underflow on a large benchmark (2^-2000 is 0 in floats)
  assert.is(pairedExactTest(v('0000011'), v('1111100')).p, pairedExactTest(v('1111100'), v('0000011')).p);
  const big = pairedExactTest(Array.from({ length: 2000 }, (_, i) => (i % 2) as 0 | 1), Array.from({ length: 2000 }, (_, i) => (1 - (i % 2)) as 0 | 1));
  assert.ok(big.p > 0.9 && big.p <= 1, `${big.p}`);
  assert.ok(pairedExactTest(Array(1200).fill(1), Array(1200).fill(0)).p === 0);
  assert.throws(() => pairedExactTest(v('01'), v('011')), /same items/);
});

test('results table: M0 paired against every other variant on the same items; a missing item is an error', () => {
  const scored = (variant: string, verdicts: Record<string, [0 | 1, 0 | 1, 0 | 1]>) => ({
    variant, items: Object.keys(verdicts).length, domains: [], tools: {}, agreement: {},
    tasks: { perception: { score: 0, lo: 0, hi: 0, n: 2 }, igi: { score: 0, lo: 0, hi: 0, n: 2 }, ir: { score: 0, lo: 0, hi: 0, n: 2 } },
    verdicts: Object.fromEntries(Object.entries(verdicts).map(([id, [perception, igi, ir]]) => [id, { perception, igi, ir }])),
  }) as unknown as BenchScores & { variant: string };
  const m0 = scored('m0', { a: [1, 1, 1], b: [1, 0, 1] });
  const m1 = scored('m1', { a: [1, 0, 0], b: [0, 0, 0] });
  const pairs = pairedComparisons([scored('base', { a: [0, 0, 0], b: [0, 0, 1] }), m0, m1]);
  assert.equal(pairs.map((c) => `${c.a}-${c.b}.${c.task} ${c.onlyA}:${c.onlyB}`), [
    'm0-base.perception 2:0', 'm0-base.igi 1:0', 'm0-base.ir 1:0', 'm0-m1.perception 1:0', 'm0-m1.igi 1:0', 'm0-m1.ir 2:0',
  ]);
  assert.ok(resultsTable([m0, m1]).markdown.includes('| M0 full curriculum vs M1 without RL | 1 vs 0, p = 1.000 | 1 vs 0, p = 1.000 | 2 vs 0, p = 0.500 |'));
  assert.equal(pairedComparisons([m1]), []);
  // per family from the verdicts: item a is family f, b is g; an item without a family is left out
  const fam = familyScores([{ id: 'a', family: 'f' }, { id: 'b', family: 'g' }, { id: 'c' }], [m0, m1]).filter((x) => x.task === 'ir');
  assert.equal(fam.map((x) => `${x.variant}.${x.family} ${x.score} n=${x.n}`), ['m0.f 100 n=1', 'm0.g 100 n=1', 'm1.f 0 n=1', 'm1.g 0 n=1']);
  assert.equal(resultsTable([m0]).json.families, []);
  assert.throws(() => pairedComparisons([m0, scored('m2', { a: [1, 1, 1] })]), /m2 has no verdict for item b/);
});

test('judge --against: two output sets paired item by item (oracle vs blank edits and wrong answers)', async () => {
  const bench = join(dir, 'bench', 'bench.json');
  const paired = pairReports(await judgeOutputs(bench, join(dir, 'oracle')), await judgeOutputs(bench, join(dir, 'blank')));
  const near = (p: number, q: number) => Math.abs(p - q) <= 1e-9 * q;
  for (const task of ['perception', 'instruction', 'reasoning'] as const) {
    assert.equal([paired[task].onlyA, paired[task].onlyB], [24, 0], task);
    assert.ok(near(paired[task].p, 2 / 2 ** 24), `${task}: p ${paired[task].p}`);
  }
  const printed: string[] = [];
  const { log } = console;
  console.log = (...a: unknown[]) => void printed.push(a.join(' '));
  try {
    assert.is(await judgeCommand(['--bench', bench, '--outputs', join(dir, 'blank'), '--against', join(dir, 'oracle'), '--json']), 0);
    assert.is(await judgeCommand(['--bench', bench, '--outputs', join(dir, 'oracle'), '--against', join(dir, 'oracle')]), 0);
  } finally {
    console.log = log;
  }
  const json = JSON.parse(printed[0]!);
  assert.equal([json.paired.reasoning.onlyA, json.paired.reasoning.onlyB], [0, 24]);
  assert.ok(near(json.paired.reasoning.p, 2 / 2 ** 24));
  assert.is(json.against.tasks.perception.accuracy, 1);
  assert.is(json.results.length, 3 * 24, 'per-item verdicts in --json');
  assert.ok(printed.slice(1).join('\n').includes(`${'Perception'.padEnd(31)} only --outputs right 0, only --against right 0, p = 1.00`), printed.slice(1).join('\n'));
});

test('cleanup', () => rmSync(dir, { recursive: true, force: true }));

test.run();
