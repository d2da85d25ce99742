// The one font every picture uses, loaded from the pinned npm package rather than the system, so text renders the
// same on every machine. Registered under a private family name that no system font can shadow.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from './canvas.ts';

/** The family name to put in a canvas font string. */
export const FONT_FAMILY = 'VThinkerDejaVuSans';

const fontPath = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf');

// Registering is idempotent in effect; doing it at import keeps every draw call free of checks.
if (!GlobalFonts.has(FONT_FAMILY) && !GlobalFonts.registerFromPath(fontPath, FONT_FAMILY)) {
  throw new Error(`Could not load the pinned font ${fontPath}: run npm install (package dejavu-fonts-ttf)`);
}

/** Canvas font string for the pinned font at `px` pixels. */
export function fontAt(px: number): string {
  return `${px}px ${FONT_FAMILY}`;
}
