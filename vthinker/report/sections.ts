// The V-Thinker report, in the order of the method: data flywheel, perception alignment, the two-stage curriculum,
// the benchmarks (VTBench, then the general one). The engine appends every stage's metrics.
import type { ReportSection } from '@vthinker/engine/report';
import { curriculum } from './curriculum.ts';
import { flywheel } from './flywheel.ts';
import { general } from './general.ts';
import { perception } from './perception.ts';
import { vtbench } from './vtbench.ts';

export const SECTIONS: readonly ReportSection[] = [flywheel, perception, curriculum, vtbench, general];
