// The V-Thinker report, in the order of the method: data flywheel, perception alignment, the two-stage curriculum,
// the benchmark. The engine appends every stage's metrics.
import type { ReportSection } from '@vthinker/engine/report';
import { curriculum } from './curriculum.ts';
import { flywheel } from './flywheel.ts';
import { perception } from './perception.ts';
import { vtbench } from './vtbench.ts';

export const SECTIONS: readonly ReportSection[] = [flywheel, perception, curriculum, vtbench];
