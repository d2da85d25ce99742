import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { answerJudge, type Verdict, compareEdits, editJudge, extractAnswer, geometricJudge, INSTRUCTION_JUDGE, PERCEPTION_JUDGE } from '../../vthinker/bench/judges.ts';
import { resizeRaster } from '../../vthinker/bench/pixels.ts';
import type { BenchItem } from '../../vthinker/bench/types.ts';
import { formatProgram } from '../../vthinker/scene/drawlang.ts';
import { applyOps, encodePng, renderScene } from '../../vthinker/scene/render.ts';
import type { DrawOp, Scene } from '../../vthinker/scene/types.ts';

// A hand-made figure: triangle A B C; perception target M (midpoint of B C); IGI: the median A M and a point at M.
const scene: Scene = {
  width: 128, height: 128,
  elements: [
    { kind: 'polygon', points: [[30, 100], [100, 100], [64, 24]] },
    { kind: 'point', id: 'A', at: [64, 24], label: 'A' },
    { kind: 'point', id: 'B', at: [30, 100], label: 'B' },
    { kind: 'point', id: 'C', at: [100, 100], label: 'C' },
  ],
};
const M: [number, number] = [65, 100];
const gtOps: DrawOp[] = [{ op: 'line', from: [64, 24], to: M }, { op: 'line', from: [30, 62], to: [100, 62] }];
const original = renderScene(scene);
const item: BenchItem = {
  id: 'hand-1', domain: 'Geometry', family: 'hand',
  image: encodePng(original),
  perception: { question: 'locate the midpoint of B C', annotation: encodePng(renderScene(scene, [{ op: 'point', at: M }])) },
  instruction: { question: 'draw segment A M ; draw the horizontal line at y 62', annotation: encodePng(renderScene(scene, gtOps)), answer: formatProgram(gtOps) },
  reasoning: { question: 'is M on segment B C ?', answer: 'yes' },
  truth: { width: 128, height: 128, targets: { P1: M }, ops: gtOps },
};
const draw = (ops: DrawOp[]) => applyOps(original, ops, scene);
const code = (ops: DrawOp[]) => `<think> draw <code> ${formatProgram(ops)} </code> <sandbox_output> <image> </sandbox_output> done </think> <answer> ok </answer>`;
const perception = editJudge('perception'), igi = editJudge('instruction');
const geoP = geometricJudge('perception'), geoI = geometricJudge('instruction');

/** Image judge score, and the geometric judge's on the same ops (the cross-check). */
function both(task: 'perception' | 'instruction', ops: DrawOp[]): [number, number, string[]] {
  const out = { image: draw(ops), text: code(ops) };
  const v = (task === 'perception' ? perception : igi).judge(item, out) as ReturnType<typeof compareEdits>;
  const g = (task === 'perception' ? geoP : geoI).judge(item, out) as ReturnType<typeof compareEdits>;
  return [v.score, g.score, v.reasons];
}

test('perception: correct mark, near miss within tolerance, wrong point', () => {
  assert.equal(both('perception', [{ op: 'point', at: M }]).slice(0, 2), [1, 1]);
  assert.equal(both('perception', [{ op: 'point', at: [M[0] + 3, M[1] - 2] }]).slice(0, 2), [1, 1], 'a 3.6 px miss is within 5 px');
  const [s, g, reasons] = both('perception', [{ op: 'point', at: [30, 100] }]);
  assert.equal([s, g], [0, 0]);
  assert.match(reasons[0]!, /coverage 0\.0%.*wrong place or missing/);
  assert.equal(both('perception', [{ op: 'point', at: [M[0] + 12, M[1] - 6] }]).slice(0, 2), [0, 0], '13 px off fails');
});

test('perception: no change scores 0; scribbles everywhere fail even over the right mark', () => {
  const none = perception.judge(item, { image: original }) as ReturnType<typeof compareEdits>;
  assert.is(none.score, 0);
  assert.match(none.reasons[0]!, /nothing changed/);
  const scribbles: DrawOp[] = [{ op: 'point', at: M }, { op: 'line', from: [0, 0], to: [127, 127] }, { op: 'line', from: [0, 127], to: [127, 0] }, { op: 'circle', center: [64, 64], r: 40 }];
  const [s, g, reasons] = both('perception', scribbles);
  assert.equal([s, g], [0, 0]);
  assert.ok(reasons.some((r) => /precision .* extra or misplaced marks/.test(r)), reasons.join('; '));
  // A second, extra point far away: half the marks are wrong.
  assert.equal(both('perception', [{ op: 'point', at: M }, { op: 'point', at: [20, 20] }]).slice(0, 2), [0, 0]);
  assert.is((perception.judge(item, {}) as Verdict).score, 0);
  assert.match((perception.judge(item, { image: new Uint8Array([1, 2, 3]) }) as { reasons: string[] }).reasons[0]!, /undecodable/);
});

test('IGI: correct construction, small wobble, shifted beyond tolerance, missing half', () => {
  assert.equal(both('instruction', gtOps).slice(0, 2), [1, 1]);
  const wobble: DrawOp[] = [{ op: 'line', from: [63, 26], to: [66, 98] }, { op: 'line', from: [31, 64], to: [99, 61] }];
  assert.equal(both('instruction', wobble).slice(0, 2), [1, 1], 'a few pixels off passes IGI\'s broader tolerance');
  const shifted: DrawOp[] = [{ op: 'line', from: [84, 24], to: [85, 100] }, { op: 'line', from: [30, 82], to: [100, 82] }];
  assert.equal(both('instruction', shifted).slice(0, 2), [0, 0], '20 px off fails');
  const [s, g, reasons] = both('instruction', [gtOps[0]!]);
  assert.equal([s, g], [0, 0], 'one of two lines is missing');
  assert.match(reasons[0]!, /coverage|missing/);
  const halfLine: DrawOp[] = [{ op: 'line', from: [64, 24], to: [64, 62] }, gtOps[1]!];
  assert.equal(both('instruction', halfLine).slice(0, 2), [0, 0], 'half of the median is missing');
  // The same wobble judged with perception's tighter tolerance would be stricter, never looser.
  assert.ok(INSTRUCTION_JUDGE.tolerancePx > PERCEPTION_JUDGE.tolerancePx);
});

test('the image judge works on real-style edits: any colour, another size', () => {
  // A green mark at M, the whole image at 2x: change is colour distance, tolerance scales with the side.
  const big = renderScene(scene, [], { size: 256 });
  const mark = (img: typeof big, x: number, y: number, rgb: [number, number, number]) => {
    const out = { ...img, data: new Uint8ClampedArray(img.data) };
    for (let dy = -4; dy <= 4; dy++) for (let dx = -4; dx <= 4; dx++) if (dx * dx + dy * dy <= 16) out.data.set(rgb, 4 * ((y + dy) * img.width + x + dx));
    return out;
  };
  const gt = mark(big, 130, 200, [0, 160, 0]);
  assert.is(compareEdits(big, mark(big, 136, 196, [200, 0, 0]), gt, PERCEPTION_JUDGE).score, 1, '7 px at 256 = 3.6 px at 128');
  assert.is(compareEdits(big, mark(big, 160, 200, [200, 0, 0]), gt, PERCEPTION_JUDGE).score, 0);
  // Output returned at 128 px (the model rescaled the 256 px original, then marked it): judged at 128.
  const small = applyOps(resizeRaster(big, 128, 128), [{ op: 'point', at: M }], scene);
  const v = compareEdits(big, small, renderScene(scene, [{ op: 'point', at: M }], { size: 256 }), PERCEPTION_JUDGE);
  assert.is(v.score, 1, v.reasons.join('; '));
  assert.is(compareEdits(big, applyOps(resizeRaster(big, 128, 128), [{ op: 'point', at: [40, 40] }], scene), gt, PERCEPTION_JUDGE).score, 0);
  assert.is(compareEdits(big, { width: 100, height: 50, data: new Uint8ClampedArray(100 * 50 * 4) }, gt, PERCEPTION_JUDGE).score, 0, 'another shape');
  assert.ok(v.reasons.some((r) => /compared at the output's 128x128/.test(r)));
});

test('geometric judge: parse errors and zooms score 0 with a reason', () => {
  assert.match((geoP.judge(item, { text: '<code> point 1.5 3 </code>' }) as { reasons: string[] }).reasons[0]!, /does not parse: code block 1: line 1/);
  assert.match((geoI.judge(item, { text: code([{ op: 'crop', box: [0, 0, 64, 64] }]) }) as { reasons: string[] }).reasons[0]!, /crop/);
  assert.is((geoP.judge(item, { text: `point ${M[0]} ${M[1]}` }) as { score: number }).score, 1, 'bare code without tags');
});

test('IR: answer extraction and equivalence', () => {
  const judge = answerJudge();
  const score = (text: string, gold: string) => (judge.judge({ ...item, reasoning: { question: 'q', answer: gold } }, { text }) as { score: number }).score;
  for (const said of ['yes', 'Yes', 'yes.', 'YES', '\\boxed{yes}']) assert.is(score(`<think> hm </think> <answer> ${said} </answer>`, 'yes'), 1, said);
  assert.is(score('<think> hm </think> <answer> no </answer>', 'yes'), 0);
  assert.is(score('<answer>3.0</answer>', '3'), 1);
  assert.is(score('<answer>3</answer>', '3.0'), 1);
  assert.is(score('<answer>4</answer>', '3'), 0);
  assert.is(score('<answer>b</answer>', 'B'), 1, 'label case is ignored');
  assert.is(score('<answer>C</answer>', 'B'), 0);
  assert.is(score('I drew the line.\nThe answer is 7', '7'), 1, 'last-line heuristic');
  assert.is(score('reasoning...\nFinal answer: B.', 'B'), 1);
  assert.is(score('so x = \\boxed{1/2} and more', '0.5'), 1);
  assert.is(score('', 'yes'), 0);
  assert.is(extractAnswer('<think> a </think> <answer> 5 </answer> trailing'), '5');
  assert.is(extractAnswer('   '), null);
  assert.is(extractAnswer('thus BC = \\boxed{2\\sqrt{3}}.'), '2\\sqrt{3}', 'nested braces');
  assert.is(score('<answer>Option (C)</answer>', 'C'), 1);
  assert.is(score('<answer>y = 2x + 1</answer>', 'y=2x+1'), 1);
  assert.is((judge.judge(item, {}) as Verdict).score, 0);
});

test.run();
