// A clean copy of the project's sources in a temp folder, as a fresh clone has them: the installed packages linked
// from the repository, but the engine package from the copy (as `npm ci` links the workspace package), and the
// native kernels that `npm ci` built on this machine (stages that declare the compute stack in their key would
// otherwise see another stack in the copy than in the repository).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
const SOURCES = ['package.json', 'package-lock.json', 'pipeline.ts', 'params.yaml', 'tsconfig.json', 'packages', 'stages', 'vthinker', 'bin', 'native'];

/** The copy's root (the caller removes it). */
export function cleanCopy(prefix: string): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const copied = (p: string) => !p.includes(`${'native'}/build`) && !p.includes(`${'packages'}/engine/node_modules`);
  for (const s of SOURCES) cpSync(join(REPO, s), join(root, s), { recursive: true, filter: copied });
  mkdirSync(join(root, 'node_modules', '@vthinker'), { recursive: true });
  for (const name of readdirSync(join(REPO, 'node_modules'))) {
    if (name !== '@vthinker' && name !== '.cache') symlinkSync(join(REPO, 'node_modules', name), join(root, 'node_modules', name));
  }
  symlinkSync(join(root, 'packages', 'engine'), join(root, 'node_modules', '@vthinker', 'engine'));
  if (existsSync(join(REPO, 'native/build'))) symlinkSync(join(REPO, 'native/build'), join(root, 'native/build'));
  return root;
}
