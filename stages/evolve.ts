// The flywheel's evolution rounds: knowledge co-evolution from valid samples, new rounds from the grown knowledge
// system, and difficulty expansion (parallel / sequential extension up to depth 3).
import { dir, file, from, json, stage } from '@vthinker/engine';

export default stage({
  name: 'evolve',
  description: 'rounds of knowledge co-evolution and difficulty expansion',
  module: import.meta.url,
  params: ['seed', 'canvas', 'evolve', 'synth.sheet_rows', 'synth.creator_error_rate'],
  inputs: { samples: from('synthesize', 'samples'), knowledge: from('synthesize', 'knowledge'), errors: from('synthesize', 'errors') },
  outputs: {
    samples: file('samples.jsonl'),
    knowledge: json('knowledge.json'),
    growth: json('growth.json'),
    errors: json('creator-errors.json'),
    sheets: dir('sheets'),
  },
  resources: { cpu: 1, memoryMb: 2048 },
  async run(ctx) {
    const { readFileSync } = await import('node:fs');
    const { runFlywheel } = await import('../vthinker/synth/flywheel.ts');
    const { treeStats } = await import('../vthinker/knowledge/tree.ts');
    const { readJsonl, writeJsonl } = await import('../vthinker/util/jsonl.ts');
    const { rng } = await import('../vthinker/util/random.ts');
    const { countBy } = await import('../vthinker/util/count.ts');
    const { writeSheets } = await import('./sheets.ts');
    type Sample = import('../vthinker/synth/types.ts').Sample;
    const initial = readJsonl<Sample>(ctx.input('samples'));
    const knowledge = JSON.parse(readFileSync(ctx.input('knowledge'), 'utf8'));
    const rounds = ctx.param<number>('evolve.rounds');
    const seedStats = treeStats(knowledge);
    const result = await runFlywheel(initial, knowledge, {
      seed: ctx.param<number>('seed'),
      rounds,
      perRound: ctx.param<number>('evolve.per_round'),
      extendShare: ctx.param<number>('evolve.extend_share'),
      width: ctx.param<number>('canvas'),
      creatorErrorRate: ctx.param<number>('synth.creator_error_rate'),
      evolve: { threshold: ctx.param<number>('evolve.merge_threshold'), maxNewConcepts: ctx.param<number>('evolve.max_new_concepts') },
      // The in-loop gate only decides what the knowledge learns from: geometry checks, no render-and-diff.
      verify: { overlay: { skipRender: true }, maxRounds: 0 },
      onRound: (round, total) => ctx.progress(round, total, `round ${round}`),
    });
    writeJsonl(ctx.output('samples'), result.samples);
    ctx.writeJson('knowledge', result.state.tree);
    ctx.writeJson('errors', { ...JSON.parse(readFileSync(ctx.input('errors'), 'utf8')), ...result.planted });
    const growth = {
      seed: { ...seedStats, tools: result.state.rounds[0] ? result.state.rounds[0].tools - result.state.rounds[0].added.tools : 0 },
      rounds: result.state.rounds,
      extended: result.extended,
      byDifficulty: countBy(result.samples, (s) => String(s.difficulty)),
    };
    ctx.writeJson('growth', growth);
    const deep = result.samples.filter((s) => s.difficulty > 1);
    await writeSheets(ctx.output('sheets'), result.samples, rng(ctx.param<number>('seed')).fork('evolve-sheet'), ctx.param<number>('synth.sheet_rows'), {
      depth2: deep.filter((s) => s.difficulty === 2),
      depth3: deep.filter((s) => s.difficulty === 3),
    });
    const last = result.state.rounds.at(-1);
    ctx.metric('samples', result.samples.length);
    ctx.metric('concepts', last?.concepts ?? seedStats.concepts);
    ctx.metric('knowledge_nodes', last?.nodes ?? seedStats.nodes);
    ctx.metric('knowledge_growth', +((last?.nodes ?? seedStats.nodes) / seedStats.nodes).toFixed(3));
    ctx.metric('tools', last?.tools ?? 0);
    for (const [depth, n] of Object.entries(growth.byDifficulty)) ctx.metric(`depth${depth}`, n);
  },
});
