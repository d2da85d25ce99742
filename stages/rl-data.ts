// RL's own data, built before rl2: (a) interactive problems from RL's share of the flywheel data (never seen by an
// SFT stage), screened with the cold-start policy (rl1): k samples each at the RL sampling settings, kept when it
// solves some but not all (vthinker/curriculum/screen.ts); (b) general questions answered directly (the We-Math /
// MMK12 analogue), screened by the same rule when `screen_general` (DAPO's dynamic sampling done once, before RL: a
// prompt rl1 never or always solves gives a flat group at every visit), else all kept. Metrics: the pass-rate
// histogram before screening and the kept counts per group.
import { file, from, json, stage } from '@vthinker/engine';
import { computeFingerprint } from '../vthinker/compute/fingerprint.ts';

export default stage({
  name: 'rl-data',
  description: "RL's own prompts: RL-share problems screened by rl1 (some but not all of k right) + general questions",
  module: import.meta.url,
  params: ['seed', 'rl_data', 'rl2.temperature', 'rl2.top_k', 'rl2.top_p', 'rl2.code_temperature', 'rl2.max_rounds', 'rl2.reward', 'rl2.with_consistency', 'rl2.partial_credit'],
  inputs: { policy: from('rl1', 'model'), rl: from('curriculum-data', 'rl'), general: from('curriculum-data', 'generalRl') },
  outputs: { prompts: file('prompts.jsonl'), report: json('report.json') },
  resources: { cpu: 1, memoryMb: 3072 },
  runtime: () => ({ compute: computeFingerprint() }),
  async run(ctx) {
    const { initCompute } = await import('../vthinker/compute/setup.ts');
    const { readJsonl, writeJsonl } = await import('../vthinker/util/jsonl.ts');
    const { rng } = await import('../vthinker/util/random.ts');
    const { loadModelDir } = await import('../vthinker/bench/evaluate-model.ts');
    const { episodesOf } = await import('../vthinker/curriculum/data.ts');
    const { TASK_KINDS } = await import('../vthinker/curriculum/episode.ts');
    const { generalEpisode } = await import('../vthinker/general/data.ts');
    const { keepPrompt, passHistogram, rightCounts } = await import('../vthinker/curriculum/screen.ts');
    type Sample = import('../vthinker/synth/types.ts').Sample;
    type GeneralItem = import('../vthinker/general/data.ts').GeneralItem;
    type RlPrompt = import('../vthinker/curriculum/rl-prompts.ts').RlPrompt;
    type TaskKind = import('../vthinker/curriculum/episode.ts').TaskKind;

    await initCompute();
    const p = ctx.param<{ samples: number; screen: Partial<Record<TaskKind, number>>; general: number; screen_general: boolean }>('rl_data');
    const seed = ctx.param<number>('seed');
    const r = rng(seed).fork('rl-data');
    const samples = readJsonl<Sample>(ctx.input('rl'));
    const candidates = TASK_KINDS.flatMap((k) => r.fork(k).shuffle(episodesOf(samples, [k])).slice(0, p.screen[k] ?? 0));
    const general = readJsonl<GeneralItem>(ctx.input('general')).slice(0, p.general);
    const episodes = [...candidates, ...general.map(generalEpisode)];
    const { policy, tok } = loadModelDir(ctx.input('policy'));
    const sampling = {
      maxRounds: ctx.param<number>('rl2.max_rounds'), temperature: ctx.param<number>('rl2.temperature'),
      codeTemperature: ctx.param<number>('rl2.code_temperature'), topK: ctx.param<number>('rl2.top_k'), topP: ctx.param<number>('rl2.top_p'),
    };
    const reward = { weights: ctx.param<import('../vthinker/policy/reward.ts').RewardWeights>('rl2.reward'), withConsistency: ctx.param<boolean>('rl2.with_consistency'), partialCredit: ctx.param<boolean>('rl2.partial_credit') };
    ctx.progress(0, 1, `screening ${episodes.length} prompts x ${p.samples}`);
    let right: number[];
    try {
      right = await rightCounts(policy, tok, episodes, p.samples, sampling, reward, r.fork('screen'));
    } finally {
      policy.dispose();
    }
    const prompts: RlPrompt[] = episodes.map((e, i) => {
      const n = right[i]!, kept = keepPrompt(e.source ?? 'flywheel', n, p.samples, p.screen_general);
      return e.source === 'general'
        ? { source: 'general', id: e.id, item: general[i - candidates.length]!, right: n, kept }
        : { source: 'flywheel', id: e.id, sampleId: e.sampleId, task: e.kind, right: n, kept };
    });
    writeJsonl(ctx.output('prompts'), prompts);
    const groupOf = (x: RlPrompt) => (x.source === 'general' ? 'general' : x.task);
    const groups = [...new Set(prompts.map(groupOf))];
    const report = Object.fromEntries(groups.map((g) => {
      const of = prompts.filter((x) => groupOf(x) === g);
      return [g, { candidates: of.length, kept: of.filter((x) => x.kept).length, histogram: passHistogram(of.map((x) => x.right), p.samples) }];
    }));
    ctx.writeJson('report', { samples: p.samples, groups: report });
    for (const [g, v] of Object.entries(report)) {
      ctx.metric(`${g}_candidates`, v.candidates);
      ctx.metric(`${g}_kept`, v.kept);
      ctx.metric(`${g}_never`, v.histogram[0]!);
      ctx.metric(`${g}_always`, v.histogram[p.samples]!);
    }
    ctx.metric('kept', prompts.filter((x) => x.kept).length);
    ctx.progress(1, 1);
  },
});
