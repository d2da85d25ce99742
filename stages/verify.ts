// Checker-repairer over every evolved sample (three 0-10 axes with reasons), then the split into training data and
// the held-out pool reserved for the benchmark (disjoint seeds, unseen concept combinations, no twin layouts).
import { dir, file, from, json, stage } from '../engine/index.ts';

export default stage({
  name: 'verify',
  description: 'checker-repairer (Q&A, figure, overlay) and the train / held-out split',
  module: import.meta.url,
  params: ['seed', 'verify', 'synth.sheet_rows'],
  inputs: { samples: from('evolve', 'samples') },
  outputs: {
    train: file('train.jsonl'),
    heldout: file('heldout.jsonl'),
    rejected: file('rejected.jsonl'),
    report: json('report.json'),
    sheets: dir('sheets'),
  },
  resources: { cpu: 1, memoryMb: 2048 },
  async run(ctx) {
    const { verifySamples } = await import('../vthinker/verify/repair.ts');
    const { splitHeldOut } = await import('../vthinker/synth/split.ts');
    const { datasetStats } = await import('../vthinker/synth/stats.ts');
    const { readJsonl, writeJsonl } = await import('../vthinker/util/jsonl.ts');
    const { rng } = await import('../vthinker/util/random.ts');
    const { writeSheets } = await import('./sheets.ts');
    type Sample = import('../vthinker/synth/types.ts').Sample;
    const samples = readJsonl<Sample>(ctx.input('samples'));
    const seed = ctx.param<number>('seed');
    const accepted: Sample[] = [];
    const rejected: unknown[] = [];
    const chunks = Math.max(1, Math.ceil(samples.length / 500));
    const stats: Array<ReturnType<typeof verifySamples>['stats']> = [];
    for (let c = 0; c < chunks; c++) {
      const part = samples.slice(c * 500, (c + 1) * 500);
      const v = verifySamples(part, { thresholds: ctx.param('verify.thresholds'), maxRounds: ctx.param<number>('verify.repair_rounds') });
      accepted.push(...v.accepted);
      rejected.push(...v.rejected.map((r) => ({ id: r.sample.id, family: r.sample.family, reasons: r.reasons, scores: r.scores, sample: r.sample })));
      stats.push(v.stats);
      ctx.progress(c + 1, chunks);
      // Renders free their native memory only when the event loop turns.
      await new Promise((r) => setImmediate(r));
    }
    const split = splitHeldOut(accepted, {
      seed,
      fraction: ctx.param<number>('verify.heldout_fraction'),
      comboFraction: ctx.param<number>('verify.heldout_combo_fraction'),
    });
    writeJsonl(ctx.output('train'), split.train);
    writeJsonl(ctx.output('heldout'), split.heldOut);
    writeJsonl(ctx.output('rejected'), rejected);
    const total = samples.length;
    const sum = (f: (s: (typeof stats)[number]) => number) => stats.reduce((a, s) => a + f(s), 0);
    const passRate = Object.fromEntries(
      (['qa', 'figure', 'overlay'] as const).map((axis) => [axis, +(sum((s) => s.passRate[axis] * s.total) / Math.max(1, total)).toFixed(4)]),
    );
    const rejectsByReason: Record<string, number> = {};
    for (const s of stats) for (const [k, n] of Object.entries(s.rejectsByReason)) rejectsByReason[k] = (rejectsByReason[k] ?? 0) + n;
    const report = {
      total,
      accepted: accepted.length,
      rejected: rejected.length,
      passRate,
      repairs: sum((s) => s.repairs),
      repaired: sum((s) => s.repaired),
      rejectsByReason,
      split: { train: split.train.length, heldout: split.heldOut.length, heldOutCombos: split.heldOutCombos, dropped: split.dropped },
      train: datasetStats(split.train),
      heldout: datasetStats(split.heldOut),
    };
    ctx.writeJson('report', report);
    await writeSheets(ctx.output('sheets'), split.train, rng(seed).fork('verify-sheet'), ctx.param<number>('synth.sheet_rows'), {
      heldout: split.heldOut,
      rejected: (rejected as Array<{ sample: Sample }>).map((r) => r.sample),
    });
    ctx.metric('accepted', accepted.length);
    ctx.metric('rejected', rejected.length);
    for (const [axis, rate] of Object.entries(passRate)) ctx.metric(`pass_${axis}`, rate);
    ctx.metric('repaired', report.repaired);
    ctx.metric('train', split.train.length);
    ctx.metric('heldout', split.heldOut.length);
  },
});
