// Difficulty expansion: replace the question's subject point by a constructed one, so answering needs one more round
// of drawing. Parallel: the new construction uses fresh figure points only (independent of the other steps).
// Sequential: it uses the point the previous construction produced (or the old subject itself at depth 1), so it
// must be drawn after it. Max depth 3. The answer is kept (the new point lands on the old subject's spot, within
// rounding) and the independent solver must agree, else the placement is redrawn.
import type { Pt, Scene, SceneElement } from '../scene/types.ts';
import { add, dist, perp, scale, sub } from '../scene/geometry.ts';
import { LABELS, matchTemplate, parseQuestion, type Definition, type ParsedQuestion } from '../knowledge/grammar.ts';
import { applyTool, TOOLS, type Step } from '../knowledge/tools.ts';
import type { Rng } from '../util/random.ts';
import { figureProblems } from '../verify/figure.ts';
import { resolver, solve } from '../verify/solver.ts';
import { assemble } from './create.ts';
import { familyOf } from './families/index.ts';
import { inside, labelColor, labelled, segment } from './layout.ts';
import type { Sample } from './types.ts';

export type ExtensionMode = 'parallel' | 'sequential';
export const MAX_DEPTH = 3;

/** Labels not yet used by the figure or the question, preferring colours the figure does not show yet. */
function freshLabels(rng: Rng, used: Set<string>, n: number): string[] {
  const usedColors = new Set([...used].map(labelColor));
  const free = rng.shuffle(LABELS.filter((l) => !used.has(l)));
  const ranked = [...free.filter((l) => !usedColors.has(labelColor(l))), ...free.filter((l) => usedColors.has(labelColor(l)))];
  return ranked.slice(0, n);
}

interface Plan {
  definition: Definition;
  /** Figure elements the construction's inputs need. */
  elements: SceneElement[];
  /** Labels of figure points to remove (a moved or replaced point). */
  remove: string[];
}

const roundPt = (p: Pt): Pt => [Math.round(p[0]), Math.round(p[1])];

/** "let X be the midpoint of D E" with D, E new figure points around `target`. */
function midpointPlan(rng: Rng, x: string, [d, e]: string[], target: Pt, scene: Scene): Plan | null {
  const a = rng.uniform(0, 2 * Math.PI), r = rng.int(10, 22);
  const pd = roundPt(add(target, [r * Math.cos(a), r * Math.sin(a)]));
  const pe = roundPt(sub(scale(target, 2), pd));
  if (![pd, pe].every((p) => inside(p, scene.width, scene.height))) return null;
  return { definition: { kind: 'midpoint', slots: [x, d!, e!] }, elements: [labelled(d!, pd), labelled(e!, pe)], remove: [] };
}

/** The shortest integer vector along integer vector v (so integer multiples of it land on integer points). */
function primitive(v: Pt): Pt {
  let [a, b] = [Math.abs(v[0]), Math.abs(v[1])];
  while (b) [a, b] = [b, a % b];
  return a === 0 ? v : [v[0] / a, v[1] / a];
}

/**
 * "let X be the foot from Q to line G H" with the segment G H through `target` and Q off it (Q may be given). The
 * line runs along an integer direction, so with an integer target the foot lands exactly on it.
 */
function footPlan(rng: Rng, x: string, [q, g, h]: string[], target: Pt, scene: Scene, from?: Pt): Plan | null {
  const t = roundPt(target);
  let n: Pt = from ? primitive(sub(from, t)) : [0, 0];
  while (!from && (n[0] === 0 && n[1] === 0 || primitive(n)[0] !== n[0] || primitive(n)[1] !== n[1])) n = [rng.int(-4, 4), rng.int(-4, 4)];
  // A new Q goes toward the canvas centre: subjects often sit near an edge.
  if (!from && (n[0] * (scene.width / 2 - t[0]) + n[1] * (scene.height / 2 - t[1])) < 0) n = [-n[0], -n[1]];
  const u = perp(n), len = Math.hypot(u[0], u[1]);
  const steps = (lo: number, hi: number) => Math.max(1, Math.round(rng.int(lo, hi) / len));
  const pg = add(t, scale(u, steps(10, 20))), ph = sub(t, scale(u, steps(10, 20)));
  const pq = from ?? add(t, scale(n, steps(14, 26) * (len / Math.hypot(n[0], n[1]))));
  if (![pg, ph, pq].every((p) => inside(p, scene.width, scene.height))) return null;
  const elements = [segment(pg, ph, 'grey'), labelled(g!, pg), labelled(h!, ph)];
  if (!from) elements.push(labelled(q!, pq));
  return { definition: { kind: 'foot', slots: [x, q!, g!, h!] }, elements, remove: [] };
}

function questionLabels(parsed: ParsedQuestion, scene: Scene): Set<string> {
  const used = new Set<string>();
  for (const e of scene.elements) if (e.kind === 'point' && e.label) used.add(e.label);
  for (const d of parsed.definitions) for (const s of d.slots) used.add(s);
  for (const s of parsed.slots) for (const w of s.split(' ')) if (/^[A-Z]$/.test(w)) used.add(w);
  return used;
}

/** Re-apply every step with the subject renamed, at the points the new definitions construct. */
function rebuildSteps(base: readonly Step[], defSteps: Step[], rename: (w: string) => string, resolve: (l: string) => Pt, scene: Scene): Step[] {
  return [
    ...defSteps,
    ...base.map((s) => {
      const words = matchTemplate(TOOLS[s.tool].instruction, s.note.split(' '));
      if (!words) throw new Error(`extend: step note "${s.note}" does not match tool ${s.tool}`);
      const renamed = words.map((w) => w.split(' ').map(rename).join(' '));
      const pts = renamed.flatMap((w) => w.split(' ')).map(resolve);
      return applyTool(s.tool, { pts, words: renamed, width: scene.width, height: scene.height });
    }),
  ];
}

/** One more construction round (see the file comment); throws when the sample cannot be extended that way. */
export function extend(sample: Sample, mode: ExtensionMode, rng: Rng, opts: { maxAttempts?: number } = {}): Sample {
  const family = familyOf(sample.family);
  if (family.subject === undefined) throw new Error(`extend: family "${family.id}" has no free subject point to replace, so it cannot be extended`);
  if (sample.difficulty >= MAX_DEPTH) throw new Error(`extend: sample ${sample.id} is already at the maximum depth ${MAX_DEPTH}`);
  const parsed = parseQuestion(sample.question);
  const subject = parsed.slots[family.subject]!;
  const subjectDef = parsed.definitions.find((d) => d.slots[0] === subject);
  if (mode === 'parallel' && subjectDef) throw new Error(`extend: the subject ${subject} is already constructed; a parallel step would not be used (extend sequentially)`);
  const target = resolver(sample.scene, parsed)(subject);
  for (let attempt = 0; attempt < (opts.maxAttempts ?? 200); attempt++) {
    const r = rng.fork(`extend ${attempt}`);
    const [x, ...inputs] = freshLabels(r, questionLabels(parsed, sample.scene), 4) as [string, ...string[]];
    let plan: Plan | null;
    let scene = sample.scene;
    let definitions = parsed.definitions;
    if (mode === 'parallel') {
      plan = r.bool() ? midpointPlan(r, x, inputs, target, scene) : footPlan(r, x, inputs, target, scene);
      if (plan) plan.remove.push(subject);
    } else {
      // The previous point moves away from the target; the new foot from it lands back on the target.
      const a = r.uniform(0, 2 * Math.PI), len = r.int(15, 28);
      const moved = roundPt(add(target, [len * Math.cos(a), len * Math.sin(a)]));
      if (!inside(moved, scene.width, scene.height)) continue;
      if (subjectDef) {
        const prev = subjectDef.kind === 'midpoint'
          ? midpointPlan(r, subject, subjectDef.slots.slice(1), moved, scene)
          : footPlan(r, subject, subjectDef.slots.slice(1), moved, scene);
        if (!prev) continue;
        const dropped = new Set(subjectDef.slots.slice(1));
        scene = { ...scene, elements: [...scene.elements.filter((e) => !(e.kind === 'point' && e.label && dropped.has(e.label)) && !isSegmentOf(e, sample.scene, dropped)), ...prev.elements] };
        definitions = definitions.map((d) => (d === subjectDef ? prev.definition : d));
      } else {
        scene = { ...scene, elements: scene.elements.map((e) => (e.kind === 'point' && e.label === subject ? { ...e, at: moved } : e)) };
      }
      plan = footPlan(r, x, [subject, inputs[1]!, inputs[2]!], target, scene, moved);
    }
    if (!plan) continue;
    const removed = new Set(plan.remove);
    scene = { ...scene, elements: [...scene.elements.filter((e) => !(e.kind === 'point' && e.label && removed.has(e.label))), ...plan.elements] };
    const next: ParsedQuestion = {
      template: parsed.template,
      definitions: [...definitions, plan.definition],
      slots: parsed.slots.map((s, i) => (i === family.subject ? x : s)),
    };
    if (figureProblems(scene).length) continue;
    const resolve = resolver(scene, next);
    const constructed = resolve(x);
    if (dist(constructed, target) > 1.5) continue;
    const defSteps = next.definitions.map((d) => {
      const pts = d.slots.slice(1).map(resolve);
      return d.kind === 'midpoint'
        ? applyTool('midpoint', { pts, words: d.slots.slice(1), width: scene.width, height: scene.height })
        : applyTool('perpendicular', { pts, words: d.slots.slice(1), width: scene.width, height: scene.height });
    });
    const rename = (w: string) => (w === subject ? x : w);
    const baseSteps = sample.steps.slice(parsed.definitions.length);
    let steps: Step[];
    try {
      steps = rebuildSteps(baseSteps, defSteps, rename, resolve, scene);
    } catch {
      continue;
    }
    const built = { scene, slots: next.slots, definitions: next.definitions, steps, answer: sample.answer, perception: perceptionOf(plan.definition, constructed) };
    const extended = assemble({ id: `${sample.id}-${mode[0]}${next.definitions.length}`, seed: sample.seed, domain: sample.domain, family: sample.family, knowledge: sample.knowledge, difficulty: (sample.difficulty + 1) as 2 | 3 }, built);
    // The answer must survive the move; the independent solver is the judge.
    if (solve(extended.scene, extended.question) !== sample.answer) continue;
    return extended;
  }
  throw new Error(`extend: no ${mode} extension of ${sample.id} kept its answer within the attempts`);
}

function perceptionOf(d: Definition, at: Pt) {
  const [, a, b, c] = d.slots;
  const question = d.kind === 'midpoint' ? `locate the midpoint of ${a} ${b}` : `locate the foot from ${a} to line ${b} ${c}`;
  return { question, targets: { P1: [Math.round(at[0]), Math.round(at[1])] as [number, number] } };
}

/** The grey segment G H a foot definition added, identified by its endpoints' labels. */
function isSegmentOf(e: SceneElement, scene: Scene, labels: Set<string>): boolean {
  if (e.kind !== 'segment') return false;
  const at = (p: Pt) => scene.elements.some((q) => q.kind === 'point' && q.label && labels.has(q.label) && q.at[0] === p[0] && q.at[1] === p[1]);
  return at(e.from) && at(e.to);
}

