// Which artifacts a notebook shows: the profile the runner passes in VTHINKER_PROFILE (`npm run notebooks --
// --profile P`), or, when opened by hand, the lock file's default profile.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadOptions } from '@vthinker/engine/notebook';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Options for every notebook-API call: `load('verify', 'report', at)`. */
export const at: LoadOptions = { root, ...(process.env.VTHINKER_PROFILE ? { profile: process.env.VTHINKER_PROFILE } : {}) };
