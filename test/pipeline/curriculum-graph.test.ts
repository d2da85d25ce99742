// The curriculum's hand-overs as the graph declares them (issue #33): every variant starts from the pretrained
// generalist's weights, RL trains on its own data, and each benchmark row is the model the paper's row names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import def from '../../pipeline.ts';
import { VARIANTS } from '../../stages/eval.ts';

const stages = new Map(def.stages.map((s) => [s.name, s]));
const input = (stage: string, name: string) => {
  const s = stages.get(stage);
  if (!s) throw new Error(`no stage ${stage}`);
  const i = s.inputs?.[name] as { stage: string; output: string } | undefined;
  return i && `${i.stage}.${i.output}`;
};
/** The chain of model hand-overs from a stage back to a stage without an init. */
const lineage = (stage: string): string[] => {
  const init = input(stage, 'init') ?? input(stage, 'model');
  return init ? [stage, ...lineage(init.split('.')[0]!)] : [stage];
};

test('every variant starts from pretrain: base = pretrain; M0, M1, M2 and rft descend from it', () => {
  assert.is(input('pretrain', 'init'), undefined, 'pretrain trains from scratch');
  assert.equal(lineage(VARIANTS.base), ['pretrain']);
  assert.equal(lineage(VARIANTS.m0), ['rl2', 'rl1', 'warm-start', 'perception', 'pretrain']);
  assert.equal(lineage(VARIANTS.m0s1), ['rl2@s1', 'rl1', 'warm-start', 'perception', 'pretrain']);
  assert.equal(lineage(VARIANTS.m0s2), ['rl2@s2', 'rl1', 'warm-start', 'perception', 'pretrain']);
  assert.equal(lineage(VARIANTS.m1), ['rl1', 'warm-start', 'perception', 'pretrain']);
  assert.equal(lineage(VARIANTS.m2), ['rl2-noperc', 'rl1-noperc', 'pretrain']);
  assert.equal(lineage(VARIANTS.rft), ['rft', 'rl1', 'warm-start', 'perception', 'pretrain']);
  for (const v of Object.keys(VARIANTS)) assert.ok(stages.has(`eval@${v}`), `eval@${v}`);
});

test("RL trains on its own data; SFT stages never see it; rft on rl2's right rollouts", () => {
  for (const s of ['pretrain', 'rl1', 'rl1-noperc']) assert.is(input(s, 'train'), 'curriculum-data.sft', s);
  assert.is(input('rl-data', 'rl'), 'curriculum-data.rl');
  assert.is(input('rl-data', 'policy'), 'rl1.model', 'screened with the cold-start policy');
  for (const s of ['rl2', 'rl2@s1', 'rl2@s2', 'rl2-noperc']) assert.is(input(s, 'prompts'), 'rl-data.prompts', s);
  assert.is(input('rft', 'samples'), 'rl2.samples');
  assert.is(input('rft', 'init'), 'rl1.model');
  assert.is(input('pretrain', 'generalTrain'), 'curriculum-data.generalPretrain');
  assert.is(input('eval@m0', 'general'), 'curriculum-data.generalBench');
});

test.run();
