// Original | overlay pairs: samples rendered from their scene programs (vthinker/scene/render.ts), the overlay being
// the auxiliary construction drawn on the same scene, tiled into one captioned sheet.
import type { Sample } from '../../vthinker/synth/types.ts';
import { contactSheet, encodePng, renderScene, type RasterImage } from '../../vthinker/scene/render.ts';

/** Pictures of `size` pixels, `perRow` samples (figure, then figure with its construction) to a row. */
export function pairs(samples: readonly Sample[], size = 192, perRow = 2): Uint8Array {
  const images: RasterImage[][] = [];
  const captions: string[][] = [];
  samples.forEach((s, i) => {
    if (i % perRow === 0) images.push([]), captions.push([]);
    images.at(-1)!.push(renderScene(s.scene, [], { size }), renderScene(s.scene, s.overlay, { size }));
    captions.at(-1)!.push(`#${i + 1} ${s.family}`, `#${i + 1} + ${s.tools.join(', ')}`);
  });
  return new Uint8Array(encodePng(contactSheet(images, { captions, fontSize: 12 })));
}

/** The first sample of each family, in family order: one of every kind, the same ones for the same data. */
export function onePerFamily(samples: readonly Sample[], limit: number): Sample[] {
  const seen = new Map<string, Sample>();
  for (const s of samples) if (!seen.has(s.family)) seen.set(s.family, s);
  return [...seen.keys()].sort().slice(0, limit).map((k) => seen.get(k)!);
}
