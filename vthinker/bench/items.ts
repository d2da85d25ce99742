// Benchmark items from held-out flywheel samples, and a seeded, domain- and family-balanced selection of them.
import { formatProgram } from '../scene/drawlang.ts';
import { encodePng, renderScene } from '../scene/render.ts';
import type { DrawOp } from '../scene/types.ts';
import type { Sample } from '../synth/types.ts';
import { rng as makeRng } from '../util/random.ts';
import type { BenchItem, FullBenchItem } from './types.ts';

export interface BuildItemOptions {
  /** Rendered width in pixels (default: the scene's width, i.e. one pixel per scene unit). */
  size?: number;
}

/** Why a sample cannot become an item, or null when it can. */
export function unusableReason(sample: Sample): string | null {
  // A zoom replaces the whole view: "pixels that changed" then says nothing about whether the right box was chosen,
  // and VTBench's IGI instructions are drawings, so zoom-only constructions are left out.
  if (sample.overlay.some((op) => op.op === 'crop')) return 'the construction zooms (crop): not judgeable as a drawing edit';
  if (sample.overlay.length === 0) return 'no construction to draw';
  const targets = Object.values(sample.perceptionTask.targets);
  if (targets.length === 0) return 'the perception task names no target';
  // A mark off the canvas changes no pixel: the image judge could never credit it.
  const { width, height } = sample.scene;
  if (targets.some(([x, y]) => x < 0 || y < 0 || x > width || y > height)) return 'a perception target lies outside the canvas';
  return null;
}

/** One item: the original, the perception annotation (targets marked), the IGI annotation (overlay drawn). */
export function buildItem(sample: Sample, options: BuildItemOptions = {}): FullBenchItem {
  const reason = unusableReason(sample);
  if (reason) throw new Error(`buildItem ${sample.id}: ${reason}`);
  const render = (ops: DrawOp[]) => encodePng(renderScene(sample.scene, ops, { size: options.size }));
  const targets = Object.fromEntries(Object.entries(sample.perceptionTask.targets).map(([k, p]) => [k, [p[0], p[1]] as [number, number]]));
  // Marks are drawn with the same `point` operation the policy writes, so an exact answer reproduces them exactly.
  const marks: DrawOp[] = Object.values(targets).map((at) => ({ op: 'point', at }));
  const ops = sample.overlay.map((op) => structuredClone(op) as DrawOp);
  return {
    id: sample.id,
    domain: sample.domain,
    family: sample.family,
    image: render([]),
    perception: { question: sample.perceptionTask.question, annotation: render(marks) },
    instruction: { question: sample.instruction, annotation: render(ops), answer: formatProgram(ops) },
    reasoning: { question: sample.question, answer: sample.answer },
    truth: { width: sample.scene.width, height: sample.scene.height, targets, ops },
  };
}

export interface BuiltItems {
  items: FullBenchItem[];
  skipped: { id: string; reason: string }[];
}

/** Items for every usable sample, in input order; the others are listed with their reason. */
export function buildItems(samples: readonly Sample[], options: BuildItemOptions = {}): BuiltItems {
  const items: FullBenchItem[] = [];
  const skipped: BuiltItems['skipped'] = [];
  for (const s of samples) {
    const reason = unusableReason(s);
    if (reason) {
      skipped.push({ id: s.id, reason });
      continue;
    }
    const item = buildItem(s, options);
    // Checked on the rendered pixels, whatever the reason (off the canvas, under a figure stroke): an IGI truth equal
    // to the original gives nothing to credit, and the judge never credits an unchanged picture.
    if (Buffer.from(item.image).equals(item.instruction.annotation)) {
      skipped.push({ id: s.id, reason: 'the construction changes no pixel (off the canvas?): the image judge could never credit it' });
    } else items.push(item);
  }
  return { items, skipped };
}

export interface SelectOptions {
  /** Items wanted per task; every item carries all three tasks, so this is the number of images. */
  perTask: number;
  seed: number;
}

/**
 * A balanced subset: domains take turns (as equal as the pool allows), and within a domain its families take turns,
 * each family's items drawn in a seeded order. When a domain or family runs out, the others fill in. Deterministic
 * for a seed and pool (the pool's order does not matter); returned in domain, then id order.
 */
export function selectItems<T extends BenchItem>(pool: readonly T[], options: SelectOptions): T[] {
  const { perTask, seed } = options;
  if (!Number.isInteger(perTask) || perTask < 0) throw new Error(`selectItems: perTask must be a non-negative integer, got ${perTask}`);
  const r = makeRng(seed).fork('bench select');
  const sorted = [...pool].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byDomain = new Map<string, Map<string, T[]>>();
  for (const item of sorted) {
    const families = byDomain.get(item.domain) ?? new Map<string, T[]>();
    byDomain.set(item.domain, families);
    const fam = item.family ?? '';
    families.set(fam, [...(families.get(fam) ?? []), item]);
  }
  // Queues: per domain, a round-robin over shuffled families, each family in a shuffled order.
  const domainQueues = [...byDomain.keys()].sort().map((domain) => {
    const fams = [...byDomain.get(domain)!.keys()].sort();
    const lists = r.shuffle(fams).map((f) => r.shuffle(byDomain.get(domain)!.get(f)!));
    const queue: T[] = [];
    for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (i < l.length) queue.push(l[i]!);
    return queue;
  });
  const order = r.shuffle(domainQueues.map((_, i) => i));
  const chosen: T[] = [];
  const next = domainQueues.map(() => 0);
  while (chosen.length < perTask && next.some((n, i) => n < domainQueues[i]!.length)) {
    for (const d of order) {
      if (chosen.length >= perTask) break;
      if (next[d]! < domainQueues[d]!.length) chosen.push(domainQueues[d]![next[d]!++]!);
    }
  }
  if (chosen.length < perTask) throw new Error(`selectItems: asked for ${perTask} items per task, the pool has only ${pool.length}`);
  return chosen.sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
