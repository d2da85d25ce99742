// A throwaway project whose stages carry the V-Thinker stage names and write small artifacts in the real formats
// (growth.json, report.json, eval.json, curve.jsonl, scores.json, contact sheets): the report reads them exactly as
// it reads the real pipeline's, in a second. `rl1-noperc` stands for any other stage that logs a training curve.
// Text meant to be escaped is planted in a reject reason and a metric.
import { join, resolve } from 'node:path';
import { Fixture } from '../../packages/engine/test/fixture.ts';

const REPO = resolve(import.meta.dirname, '../..');

/** Text that must come out escaped in the page. */
export const PLANTED = '<script>alert("planted")</script> & <b>';

// A 32x24 PNG, so pictures have something to decode.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAACAAAAAYCAIAAAAUMWhjAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAJElEQVRIx2PwqVhBU8QwasGoBaMWjFowasGoBaMWjFowNCwAAEgDRD2nRcKUAAAAAElFTkSuQmCC';

const stage = (name: string, upstream: string | null, outputs: string, body: string) => `import { stage, file, dir, json, from } from '@vthinker/engine';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const png = Buffer.from('${PNG}', 'base64');
const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\\n') + '\\n';
export default stage({
  name: '${name}', module: import.meta.url, ${upstream ? `inputs: { up: from('${upstream}', 'marker') },` : ''}
  outputs: { marker: file('marker.txt'), ${outputs} },
  run(ctx) {
    writeFileSync(ctx.output('marker'), '${name}');
    ${body}
  },
});
`;

const level = (accuracy: number, meanErrorPx: number | null) => ({ count: 10, accuracy, meanErrorPx, parseFailures: 0 });
const score = (accuracy: number) => ({ tolerancePx: 8, overall: level(accuracy, 20), levels: { surface: level(accuracy / 2, 30), semantic: level(accuracy, 20), integrated: level(accuracy * 1.5, 10) } });
const variant = (p: number, igi: number, ir: number) => ({
  perception: { score: p, lo: p - 3, hi: p + 3, n: 40 }, igi: { score: igi, lo: igi - 3, hi: igi + 3, n: 40 }, ir: { score: ir, lo: ir - 4, hi: ir + 4, n: 40 },
});

const FILES: Record<string, string> = {
  'params.yaml': 'default_profile: full\nparams:\n  seed: 1\nprofiles:\n  full: {}\n  partial: {}\n',
  'stages/evolve.ts': stage('evolve', null, "growth: json('growth.json')", `ctx.writeJson('growth', ${JSON.stringify({
    seed: { nodes: 10, depth: 2, domains: 2, concepts: 6, tools: 4 },
    rounds: [1, 2].map((round) => ({ round, concepts: 6 + 5 * round, tools: 4 + round, nodes: 10 + 6 * round, depth: 2 + round, domains: 2, samples: 100, added: { concepts: 5, tools: 1 }, merged: { concepts: 0, tools: 0 } })),
  })});`),
  'stages/verify.ts': stage('verify', 'evolve', "report: json('report.json'), sheets: dir('sheets')", `ctx.writeJson('report', ${JSON.stringify({
    total: 200, accepted: 180, rejected: 20, repaired: 5,
    passRate: { qa: 0.95, figure: 0.9, overlay: 0.92 },
    rejectsByReason: { 'figure/off-canvas': 12, [`qa/${PLANTED}`]: 8 },
    checker: { byKind: { 'wrong-answer': { planted: 10, handled: 10 }, 'off-canvas': { planted: 12, handled: 11 } }, recall: 0.95, falseRejects: 0 },
  })});
    mkdirSync(ctx.output('sheets'), { recursive: true });
    writeFileSync(join(ctx.output('sheets'), 'samples.png'), png);
    ctx.metric('note', ${JSON.stringify(PLANTED)});
    ctx.metric('accepted', 180);`),
  'stages/perception.ts': stage('perception', 'verify', "eval: json('eval.json'), curve: file('curve.jsonl'), sheets: dir('sheets')", `ctx.writeJson('eval', ${JSON.stringify({
    steps: 30, trainCount: 100, valCount: 30, parameters: 1234, before: score(0), after: score(0.4),
    evals: [0, 15, 30].map((step) => ({ step, metrics: { accuracy: step / 75, surface_accuracy: step / 100, mean_error_px: 40 - step } })),
  })});
    writeFileSync(ctx.output('curve'), jsonl(Array.from({ length: 30 }, (_, i) => ({ step: i + 1, loss: 3 / (i + 1), lr: 0.001 }))));
    mkdirSync(ctx.output('sheets'), { recursive: true });
    writeFileSync(join(ctx.output('sheets'), 'errors.png'), png);`),
  'stages/rl1.ts': stage('rl1', 'perception', "curve: file('curve.jsonl')", `writeFileSync(ctx.output('curve'), jsonl(Array.from({ length: 20 }, (_, i) => ({
      step: i + 1, loss: 2 - i / 20, reward: i / 20, reward_format: 1, reward_accuracy: i / 40, kl: 0.01 * i, tool_calls: i % 3, phase: 'sft',
    }))));`),
  'stages/rl1-noperc.ts': stage('rl1-noperc', 'verify', "curve: file('curve.jsonl')", "writeFileSync(ctx.output('curve'), jsonl([{ step: 1, loss: 3 }, { step: 2, loss: 2.5 }]));"),
  'stages/rl2.ts': stage('rl2', 'rl1', "plan: json('plan.json')", "ctx.writeJson('plan', { status: 'not implemented yet: GRPO' });"),
  'stages/vtbench.ts': stage('vtbench', 'rl2', "scores: json('scores.json'), gallery: dir('gallery')", `ctx.writeJson('scores', ${JSON.stringify({
    variants: { m1: variant(20, 30, 40), base: variant(10, 5, 30), m0: variant(15, 20, 35) },
    paper: [{ model: 'Qwen2.5-VL-7B (base)', perception: 12.6, igi: 8.8, ir: 31.8 }, { model: 'V-Thinker-7B', perception: 18.6, igi: 31.6, ir: 40.4 }],
    domains: ['base', 'm0', 'm1'].flatMap((v, i) => ['perception', 'igi', 'ir'].flatMap((task) => ['Geometry', 'Logic'].map((domain) => ({ variant: v, task, domain, score: 10 + 20 * i, n: 20 })))),
  })});
    mkdirSync(ctx.output('gallery'), { recursive: true });
    for (const name of ['b-item.png', 'a-item.png', 'notes.txt']) writeFileSync(join(ctx.output('gallery'), name), name.endsWith('.png') ? png : 'not a picture');`),
};

/** The project, with `vthinker report` wired to the V-Thinker sections as pipeline.ts will wire it. */
export function reportFixture(): Fixture {
  const command = JSON.stringify(join(REPO, 'vthinker', 'report', 'command.ts'));
  return new Fixture({
    ...FILES,
    'pipeline.ts': `import { pipeline } from '@vthinker/engine';
${['evolve', 'verify', 'perception', 'rl1', 'rl2', 'vtbench'].map((s) => `import ${s} from './stages/${s}.ts';`).join('\n')}
import rl1NoPerc from './stages/rl1-noperc.ts';
export default pipeline({
  name: 'report-fixture',
  stages: [evolve, verify, perception, rl1, rl2, rl1NoPerc, vtbench],
  commands: {
    report: { summary: 'the report', usage: 'vthinker report', run: async (args, env) => (await import(${command})).reportCommand(args, env) },
  },
});
`,
  });
}
