// The registry of question families, keyed by template id.
import type { TemplateId } from '../../knowledge/grammar.ts';
import type { Family } from '../types.ts';
import { barCompare, barsAbove } from './charts.ts';
import { boxCount, dotsInCircle, dotsInPolygon } from './counting.ts';
import { closerEndpoint, footInside, inCircle, midpointNearest, nearestLine } from './distance.ts';
import { curveCompare, curveCrossings, curveValue } from './functions.ts';
import { collinear, parallelCross, rayCount, rayCross, sameSide } from './lines.ts';
import { bisectorSide, medianCross } from './triangle.ts';

export const FAMILIES: Readonly<Record<TemplateId, Family>> = Object.fromEntries(
  [
    rayCross, rayCount, nearestLine, footInside, midpointNearest, inCircle, parallelCross, bisectorSide, closerEndpoint,
    medianCross, sameSide, collinear, curveCompare, curveValue, curveCrossings, barsAbove, barCompare, dotsInPolygon,
    dotsInCircle, boxCount,
  ].map((f) => [f.id, f]),
) as Record<TemplateId, Family>;

export const FAMILY_IDS = Object.keys(FAMILIES) as TemplateId[];

export function familyOf(id: string): Family {
  const f = (FAMILIES as Record<string, Family | undefined>)[id];
  if (!f) throw new Error(`synth: unknown family "${id}" (known: ${FAMILY_IDS.join(', ')})`);
  return f;
}
