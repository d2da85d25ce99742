// Checker-repairer over every evolved sample (three 0-10 axes with reasons), then the split into training data and
// the held-out pool reserved for the benchmark (disjoint seeds, unseen concept combinations, no twin layouts).
import { dir, file, from, json, stage } from '@vthinker/engine';

export default stage({
  name: 'verify',
  description: 'checker-repairer (Q&A, figure, overlay) and the train / held-out split',
  module: import.meta.url,
  params: ['seed', 'verify', 'synth.sheet_rows'],
  inputs: { samples: from('evolve', 'samples'), errors: from('evolve', 'errors') },
  outputs: {
    train: file('train.jsonl'),
    heldout: file('heldout.jsonl'),
    rejected: file('rejected.jsonl'),
    report: json('report.json'),
    sheets: dir('sheets'),
  },
  resources: { cpu: 2, memoryMb: 2048 },
  async run(ctx) {
    const { mergeStats, verifyParallel } = await import('../vthinker/verify/parallel.ts');
    const { splitHeldOut } = await import('../vthinker/synth/split.ts');
    const { datasetStats } = await import('../vthinker/synth/stats.ts');
    const { readJsonl, writeJsonl } = await import('../vthinker/util/jsonl.ts');
    const { rng } = await import('../vthinker/util/random.ts');
    const { writeSheets } = await import('./sheets.ts');
    type Sample = import('../vthinker/synth/types.ts').Sample;
    const samples = readJsonl<Sample>(ctx.input('samples'));
    const seed = ctx.param<number>('seed');
    const accepted: Sample[] = [];
    const rejected: Array<{ id: string; family: string; reasons: string[]; scores: unknown; sample: Sample }> = [];
    const stats: Array<Awaited<ReturnType<typeof verifyParallel>>['stats']> = [];
    // A few rounds, each spread over the granted cores, so the progress bar moves; results do not depend on either.
    const rounds = Math.min(4, Math.max(1, Math.ceil(samples.length / 2000)));
    const per = Math.ceil(samples.length / rounds);
    for (let c = 0; c < rounds; c++) {
      const v = await verifyParallel(samples.slice(c * per, (c + 1) * per), { thresholds: ctx.param('verify.thresholds'), maxRounds: ctx.param<number>('verify.repair_rounds') }, ctx.cpus);
      accepted.push(...v.accepted);
      rejected.push(...v.rejected.map((r) => ({ id: r.sample.id, family: r.sample.family, reasons: r.reasons, scores: r.scores, sample: r.sample })));
      stats.push(v.stats);
      ctx.progress(c + 1, rounds);
    }
    const merged = mergeStats(stats);
    const split = splitHeldOut(accepted, {
      seed,
      fraction: ctx.param<number>('verify.heldout_fraction'),
      comboFraction: ctx.param<number>('verify.heldout_combo_fraction'),
    });
    writeJsonl(ctx.output('train'), split.train);
    writeJsonl(ctx.output('heldout'), split.heldOut);
    writeJsonl(ctx.output('rejected'), rejected);
    const total = samples.length;
    const { readFileSync } = await import('node:fs');
    const planted = JSON.parse(readFileSync(ctx.input('errors'), 'utf8')) as Record<string, string>;
    const checker = checkerQuality(planted, new Set(rejected.map((r) => r.id)), samples, accepted);
    const passRate = Object.fromEntries(Object.entries(merged.passRate).map(([k, v]) => [k, +v.toFixed(4)]));
    const report = {
      total,
      accepted: accepted.length,
      rejected: rejected.length,
      passRate,
      repairs: merged.repairs,
      repaired: merged.repaired,
      rejectsByReason: merged.rejectsByReason,
      checker,
      split: { train: split.train.length, heldout: split.heldOut.length, heldOutCombos: split.heldOutCombos, dropped: split.dropped },
      train: datasetStats(split.train),
      heldout: datasetStats(split.heldOut),
    };
    ctx.writeJson('report', report);
    await writeSheets(ctx.output('sheets'), split.train, rng(seed).fork('verify-sheet'), ctx.param<number>('synth.sheet_rows'), {
      heldout: split.heldOut,
      rejected: rejected.map((r) => r.sample),
    });
    ctx.metric('accepted', accepted.length);
    ctx.metric('rejected', rejected.length);
    for (const [axis, rate] of Object.entries(passRate)) ctx.metric(`pass_${axis}`, rate);
    ctx.metric('repaired', report.repaired);
    ctx.metric('checker_recall', checker.recall);
    ctx.metric('checker_false_rejects', checker.falseRejects);
    ctx.metric('train', split.train.length);
    ctx.metric('heldout', split.heldOut.length);
  },
});

/**
 * How well the checker-repairer handled the simulated creator mistakes: a planted wrong answer is handled when it
 * was repaired (the accepted answer differs from the planted one) or rejected; every other mistake must be
 * rejected. Clean samples that were rejected are false rejects.
 */
function checkerQuality(
  planted: Record<string, string>,
  rejected: ReadonlySet<string>,
  before: ReadonlyArray<{ id: string; answer: string }>,
  after: ReadonlyArray<{ id: string; answer: string }>,
) {
  const answerBefore = new Map(before.map((s) => [s.id, s.answer]));
  const answerAfter = new Map(after.map((s) => [s.id, s.answer]));
  const byKind: Record<string, { planted: number; handled: number }> = {};
  for (const [id, kind] of Object.entries(planted)) {
    const k = (byKind[kind] ??= { planted: 0, handled: 0 });
    k.planted++;
    const repaired = answerAfter.has(id) && answerAfter.get(id) !== answerBefore.get(id);
    if (rejected.has(id) || (kind === 'wrong-answer' && repaired)) k.handled++;
  }
  const total = Object.values(byKind).reduce((a, k) => a + k.planted, 0);
  const handled = Object.values(byKind).reduce((a, k) => a + k.handled, 0);
  const falseRejects = [...rejected].filter((id) => !(id in planted)).length;
  return { byKind, recall: total ? +(handled / total).toFixed(4) : 1, falseRejects };
}
