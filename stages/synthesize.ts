// Round 0 of the data flywheel: the creator turns the seed knowledge system into interactive problems (from
// concept combinations and from tool combinations), and the perception data (V-Perception analogue) is drawn.
import { dir, file, json, stage } from '@vthinker/engine';

export default stage({
  name: 'synthesize',
  description: 'seed knowledge system -> interactive samples (round 0) and point-level perception data',
  module: import.meta.url,
  params: ['seed', 'canvas', 'synth', 'perception_data'],
  outputs: {
    samples: file('samples.jsonl'),
    perception: file('perception.jsonl'),
    knowledge: json('knowledge.json'),
    stats: json('stats.json'),
    errors: json('creator-errors.json'),
    sheets: dir('sheets'),
  },
  resources: { cpu: 1, memoryMb: 1024 },
  async run(ctx) {
    const { buildTree, treeStats } = await import('../vthinker/knowledge/tree.ts');
    const { synthesize } = await import('../vthinker/synth/synthesize.ts');
    const { createPerceptionSample, PERCEPTION_LEVELS } = await import('../vthinker/synth/perception.ts');
    const { datasetStats } = await import('../vthinker/synth/stats.ts');
    const { injectCreatorErrors } = await import('../vthinker/synth/creator-errors.ts');
    const { writeJsonl } = await import('../vthinker/util/jsonl.ts');
    const { rng } = await import('../vthinker/util/random.ts');
    const { countBy } = await import('../vthinker/util/count.ts');
    const { writeSheets } = await import('./sheets.ts');
    const seed = ctx.param<number>('seed');
    const width = ctx.param<number>('canvas');
    const tree = buildTree();

    const count = ctx.param<number>('synth.count');
    ctx.progress(0, 2, 'interactive samples');
    const created = synthesize({ seed, count, width, directions: ctx.param('synth.directions') });
    const { samples, planted } = injectCreatorErrors(created.samples, ctx.param<number>('synth.creator_error_rate'), rng(seed).fork('creator errors'));
    const directions = created.directions;
    writeJsonl(ctx.output('samples'), samples);
    ctx.writeJson('errors', planted);

    ctx.progress(1, 2, 'perception data');
    const perceptionCount = ctx.param<number>('perception_data.count');
    const base = rng(seed).fork('perception');
    const perception = Array.from({ length: perceptionCount }, (_, i) =>
      createPerceptionSample(base.fork(String(i)), { level: PERCEPTION_LEVELS[i % PERCEPTION_LEVELS.length]!, width }),
    );
    writeJsonl(ctx.output('perception'), perception);
    ctx.writeJson('knowledge', tree);

    const stats = { ...datasetStats(samples), directions, knowledge: treeStats(tree), perceptionLevels: countBy(perception, (p) => p.level) };
    ctx.writeJson('stats', stats);
    await writeSheets(ctx.output('sheets'), samples, rng(seed).fork('sheet'), ctx.param<number>('synth.sheet_rows'));
    ctx.metric('samples', samples.length);
    ctx.metric('perception_samples', perception.length);
    ctx.metric('families', Object.keys(stats.byFamily).length);
    ctx.metric('creator_errors', Object.keys(planted).length);
    ctx.metric('concepts', stats.knowledge.concepts);
    ctx.progress(2, 2);
  },
});
