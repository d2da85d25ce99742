// The curriculum's data sets (vthinker/general/data.ts): the verified training pool split by figure lineage into
// the cold start's share, RL's own share and a validation share; general visual questions for pretraining, RL and
// validation on those figures; and the general benchmark on the held-out pool (figures no training set has, half of
// its items in question x figure combinations kept out of every training set).
import { file, from, json, stage } from '@vthinker/engine';

export default stage({
  name: 'curriculum-data',
  description: 'split the training pool (SFT / RL / validation shares) + general questions + the general benchmark',
  module: import.meta.url,
  params: ['seed', 'curriculum_data'],
  inputs: { train: from('verify', 'train'), heldout: from('verify', 'heldout') },
  outputs: {
    sft: file('sft.jsonl'), rl: file('rl.jsonl'), val: file('val.jsonl'),
    generalPretrain: file('general-pretrain.jsonl'), generalRl: file('general-rl.jsonl'), generalVal: file('general-val.jsonl'),
    generalBench: file('general-bench.jsonl'), report: json('report.json'),
  },
  resources: { cpu: 1, memoryMb: 2048 },
  async run(ctx) {
    const { readJsonl, writeJsonl } = await import('../vthinker/util/jsonl.ts');
    const { countBy } = await import('../vthinker/util/count.ts');
    const { generalItems, heldOutCombos, splitByLineage } = await import('../vthinker/general/data.ts');
    type Sample = import('../vthinker/synth/types.ts').Sample;
    interface Params {
      rl_share: number; val_share: number;
      general: { per_figure: number; heldout_combo_fraction: number; rl_items: number; val_items: number; bench_items: number };
    }
    const p = ctx.param<Params>('curriculum_data');
    const seed = ctx.param<number>('seed');
    const pool = readJsonl<Sample>(ctx.input('train'));
    const heldout = readJsonl<Sample>(ctx.input('heldout'));
    const split = splitByLineage(pool, { rl: p.rl_share, val: p.val_share }, seed);
    const held = heldOutCombos([...pool, ...heldout], p.general.heldout_combo_fraction, seed);
    const g = p.general;
    const sets = {
      generalPretrain: generalItems(split.sft, { seed, name: 'pretrain', perFigure: g.per_figure, held, trainOnly: true }),
      generalRl: generalItems(split.rl, { seed, name: 'rl', perFigure: 1, held, trainOnly: true, limit: g.rl_items }),
      generalVal: generalItems(split.val, { seed, name: 'val', perFigure: 1, held, trainOnly: false, limit: g.val_items }),
      generalBench: generalItems(heldout, { seed, name: 'bench', perFigure: 1, held, trainOnly: false, limit: g.bench_items }),
    };
    writeJsonl(ctx.output('sft'), split.sft);
    writeJsonl(ctx.output('rl'), split.rl);
    writeJsonl(ctx.output('val'), split.val);
    for (const [k, items] of Object.entries(sets)) writeJsonl(ctx.output(k), items);
    const describe = (items: (typeof sets)['generalBench']) => ({
      items: items.length, heldoutCombo: items.filter((i) => i.heldoutCombo).length,
      byFamily: countBy(items, (i) => i.family), byDomain: countBy(items, (i) => i.domain),
    });
    ctx.writeJson('report', {
      shares: { sft: split.sft.length, rl: split.rl.length, val: split.val.length },
      heldOutCombos: [...held].sort(),
      general: Object.fromEntries(Object.entries(sets).map(([k, v]) => [k, describe(v)])),
    });
    ctx.metric('sft_samples', split.sft.length);
    ctx.metric('rl_samples', split.rl.length);
    ctx.metric('val_samples', split.val.length);
    for (const [k, v] of Object.entries(sets)) ctx.metric(`${k}_items`, v.length);
    ctx.metric('general_bench_heldout_combo', sets.generalBench.filter((i) => i.heldoutCombo).length);
  },
});
