// The general benchmark (stage `general`): each variant overall and on the held-out question x figure combinations,
// 95% intervals and the difference to the base, then the exact paired tests against the base and M1.
import { Artifact, html, table, type ReportSection } from '@vthinker/engine/report';

interface Score { score: number; lo: number; hi: number; n: number }
interface GeneralScoresJson {
  variants: Record<string, { overall: Score; heldoutCombo: Score }>;
  paired: Array<{ a: string; b: string; subset: string; onlyA: number; onlyB: number; p: number }>;
}

const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;

export const general: ReportSection = {
  id: 'general',
  title: 'General benchmark',
  render(ctx) {
    const scores = ctx.need('general', 'scores.json');
    if (!(scores instanceof Artifact)) return scores;
    const s = scores.json<GeneralScoresJson>();
    const base = s.variants.base;
    const cell = (v: string, k: 'overall' | 'heldoutCombo') => {
      const x = s.variants[v]![k];
      const d = base && v !== 'base' ? html` <b>(${signed(x.score - base[k].score)})</b>` : '';
      return html`${x.score.toFixed(1)} <span class="ci">[${x.lo.toFixed(1)}, ${x.hi.toFixed(1)}]</span>${d}`;
    };
    const variants = Object.keys(s.variants);
    const p = (x: number) => (x < 0.001 ? 'p < 0.001' : `p = ${x.toFixed(3)}`);
    return html`${table([
      { title: 'variant', cell: (v: string) => v },
      { title: 'all', cell: (v: string) => cell(v, 'overall'), numeric: true },
      { title: 'held-out combinations', cell: (v: string) => cell(v, 'heldoutCombo'), numeric: true },
    ], variants, `Accuracy % [95% interval] (difference to base), ${base?.overall.n ?? '?'} items`)}
${table([
      { title: 'comparison', cell: (c: GeneralScoresJson['paired'][number]) => `${c.a} vs ${c.b} (${c.subset})` },
      { title: 'only first / only second', cell: (c) => `${c.onlyA} / ${c.onlyB}`, numeric: true },
      { title: 'exact paired test', cell: (c) => p(c.p), numeric: true },
    ], s.paired, 'Paired on the same items')}`;
  },
};
