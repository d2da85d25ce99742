// Axes with numeric tick labels for charts and function graphs. The tick texts are the figure's only statement of
// the value scale, so the independent solver reads values back from them.
import type { SceneElement } from '../scene/types.ts';

export interface Axes {
  /** Value -> pixel column / row. */
  px(x: number): number;
  py(y: number): number;
  elements: SceneElement[];
}

/**
 * An x axis over [0, xMax] and a y axis over [0, yMax] inside the canvas, ticks every `yStep` (and every integer on x
 * when `xTicks`). Plot area: x from 18 to width - 8, y from height - 16 up to 8.
 */
export function makeAxes(width: number, height: number, opts: { xMax: number; yMax: number; yStep: number; xTicks: boolean }): Axes {
  const x0 = 18, x1 = width - 8, y0 = height - 16, y1 = 8;
  const px = (x: number) => x0 + ((x1 - x0) * x) / opts.xMax;
  const py = (y: number) => y0 - ((y0 - y1) * y) / opts.yMax;
  const elements: SceneElement[] = [
    { kind: 'segment', from: [x0, y0], to: [x1, y0], color: 'grey' },
    { kind: 'segment', from: [x0, y0], to: [x0, y1], color: 'grey' },
  ];
  for (let v = 0; v <= opts.yMax; v += opts.yStep) elements.push({ kind: 'text', at: [x0 - 9, Math.round(py(v))], text: String(v), color: 'grey', size: 8 });
  if (opts.xTicks) for (let v = 0; v <= opts.xMax; v++) elements.push({ kind: 'text', at: [Math.round(px(v)), y0 + 8], text: String(v), color: 'grey', size: 8 });
  return { px, py, elements };
}
