// The benchmark's plain data: one item is one image carrying VTBench's three tasks. Images stay encoded (PNG bytes)
// so a 500-item benchmark of full-size real images does not sit decoded in memory; judges decode on demand.
import type { DrawOp } from '../scene/types.ts';

/** The three VTBench tasks. `instruction` is Instruction-Guided Interaction (IGI), `reasoning` Interactive Reasoning. */
export type Task = 'perception' | 'instruction' | 'reasoning';
export const TASKS: readonly Task[] = ['perception', 'instruction', 'reasoning'];

/**
 * Geometric truth, in the scene's coordinate frame (`width` x `height` units spanning the whole image, whatever its
 * pixel size). Our items have it; the public release does not (the field is optional everywhere).
 */
export interface GeometricTruth {
  width: number;
  height: number;
  /** Perception: requested point name -> coordinates. */
  targets: Record<string, [number, number]>;
  /** IGI: the ground-truth construction (the overlay of the sample). */
  ops: DrawOp[];
}

export interface BenchItem {
  id: string;
  /** VTBench domain (Logic, Geometry, Algebra, Statistics); "unknown" when a loaded file has none. */
  domain: string;
  /** The release's `dataset-entity` (the collection an item comes from; the official summaries group by it). */
  entity?: string;
  /** Question family (our items; absent for the public release). */
  family?: string;
  /** The original image, encoded (PNG, or whatever the release ships: JPEG/WebP decode too). */
  image: Uint8Array;
  /**
   * The tasks this item carries. Ours always carry all three; a release item lacks a task whose annotation (or
   * question, or answer) is absent, and is judged on the others. `perception.answer` is the release's optional
   * answer_perception, which no judge reads.
   */
  perception?: { question: string; annotation: Uint8Array; answer?: string };
  /** `answer` is the release's answer_instruction: for our items, the ground-truth program in the drawing language. */
  instruction?: { question: string; annotation: Uint8Array; answer?: string };
  reasoning?: { question: string; answer: string };
  truth?: GeometricTruth;
}

/** An item carrying all three tasks (every item we build). */
export type FullBenchItem = BenchItem & Required<Pick<BenchItem, 'perception' | 'instruction' | 'reasoning'>>;

/** The question of a task of an item, or undefined when the item lacks that task. */
export function questionOf(item: BenchItem, task: Task): string | undefined {
  return item[task]?.question;
}

/** The ground-truth image of a drawing task; throws when the item lacks the task (judges only see tasks it has). */
export function annotationOf(item: BenchItem, task: 'perception' | 'instruction'): Uint8Array {
  const t = item[task];
  if (!t) throw new Error(`item ${item.id} has no ${task} task`);
  return t.annotation;
}
