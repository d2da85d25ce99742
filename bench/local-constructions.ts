// Experiment behind the reading ceiling (bench/reader-ceiling.ts): does a construction that makes the answer *local*
// let a small reader profit from its view? Today's constructions draw a thin line and leave a global judgement to the
// reader ("are P and Q on the same side of this line?" needs both points and the line at once). This rewrites the
// gold construction of the side-judging families as a shaded half-plane, so the answer is one local look: "is the
// point in the shade?". Same scene, question, thoughts and answer; only the gold code and so its view change:
//   same-side        the side of line A B that holds P          (then: is Q shaded?)
//   closer-endpoint  the side of the perpendicular bisector that holds the first endpoint (is P shaded?)
//   bisector-side    the side of the bisector that holds the reference point (is P shaded?)
//   bars-above, bar-compare  everything above the horizontal line (which bars reach into the shade?)
// The shade is a `polygon` op (the canvas clipped to the half-plane), which the drawing language already has.
//   node --import tsx bench/local-constructions.ts IN_JSONL OUT_JSONL
// then train bench/reasoning-only-reader.ts on the rewritten training split and read the rewritten held-out split
// with bench/reader-ceiling.ts.
import { cross, lerp, sub } from '../vthinker/scene/geometry.ts';
import type { DrawOp, Pt } from '../vthinker/scene/types.ts';
import type { Sample } from '../vthinker/synth/types.ts';
import { readJsonl, writeJsonl } from '../vthinker/util/jsonl.ts';
import { questionLabels } from '../vthinker/curriculum/zoom.ts';

/** Which label of the question (in order) names the point whose side is shaded; 'top' shades above a horizontal line. */
const SHADED_SIDE: Record<string, number | 'top'> = {
  'same-side': 0, 'closer-endpoint': 1, 'bisector-side': 1, 'bars-above': 'top', 'bar-compare': 'top',
};

/** Which side of the line (o, o + d) `v` lies on, scaled by its distance: the sign the clip keeps. */
const side = (o: Pt, d: Pt, v: Pt) => cross(d, sub(v, o));

/** The canvas rectangle clipped to the closed half-plane of the line (o, o + d) that holds `keep`. */
export function halfPlanePolygon(o: Pt, d: Pt, keep: Pt, width: number, height: number): Pt[] {
  const sign = Math.sign(side(o, d, keep));
  if (sign === 0) throw new Error(`the side point ${keep} lies on the line`);
  const corners: Pt[] = [[0, 0], [width, 0], [width, height], [0, height]];
  const out: Pt[] = [];
  for (let i = 0; i < 4; i++) {
    const p = corners[i]!, q = corners[(i + 1) % 4]!;
    const sp = sign * side(o, d, p), sq = sign * side(o, d, q);
    if (sp >= 0) out.push(p);
    if ((sp > 0 && sq < 0) || (sp < 0 && sq > 0)) out.push(lerp(p, q, sp / (sp - sq)));
  }
  return out.map(([x, y]) => [Math.round(x), Math.round(y)] as Pt);
}

/** The line a construction op draws, as origin and direction. */
function lineOf(op: DrawOp): { o: Pt; d: Pt } | null {
  if (op.op === 'line') return { o: op.from, d: sub(op.to, op.from) };
  if (op.op === 'ray') return { o: op.from, d: sub(op.through, op.from) };
  return null;
}

/** Where the scene draws the point labelled `label`; null when it has none. */
export function pointOf(sample: Sample, label: string): Pt | null {
  for (const e of sample.scene.elements) if (e.kind === 'point' && e.label === label) return e.at;
  return null;
}

/** The sample with its last step's line replaced by the shaded half-plane; null when it does not apply. */
export function shadeSide(sample: Sample): Sample | null {
  const which = SHADED_SIDE[sample.family];
  const step = sample.steps.at(-1);
  const line = step?.ops.map(lineOf).find((l) => l !== null);
  if (which === undefined || !step || !line) return null;
  const keep = which === 'top' ? ([line.o[0], 0] as Pt) : pointOf(sample, questionLabels(sample.question)[which] ?? '');
  if (!keep) return null;
  const { width, height } = sample.scene;
  const shade: DrawOp = { op: 'polygon', points: halfPlanePolygon(line.o, line.d, keep, width, height) };
  const steps = [...sample.steps.slice(0, -1), { ...step, ops: [shade] }];
  return { ...sample, steps, overlay: steps.flatMap((s) => s.ops) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error('usage: bench/local-constructions.ts IN_JSONL OUT_JSONL');
  let changed = 0;
  const rewritten = readJsonl<Sample>(input).map((s) => {
    const shaded = shadeSide(s);
    if (shaded) changed++;
    return shaded ?? s;
  });
  writeJsonl(output, rewritten);
  console.log(`${changed} of ${rewritten.length} samples rewritten (${Object.keys(SHADED_SIDE).join(', ')}) -> ${output}`);
}
