// The test command: runs every uvu suite under test/ and each workspace package's test/ (packages/*/test), or the
// files/folders given as arguments, in one process, and ends with the line "N passed, N failed" that CI reads (uvu's
// own summary is not in a form CI recognises).
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type UvuResult = [errors: string | true, ran: number, skipped: number, total: number];
type UvuGroup = [string | null, ...Array<() => Promise<UvuResult>>];
const globals = globalThis as unknown as { UVU_DEFER: number; UVU_QUEUE: UvuGroup[]; UVU_INDEX: number };

function testFiles(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const full = join(path, name);
      if (statSync(full).isDirectory()) return name === 'fixtures' ? [] : testFiles(full);
      return /\.test\.ts$/.test(name) ? [full] : [];
    });
}

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const packageTests = readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name, 'test'));
const files = (args.length ? args : [join(root, 'test'), ...packageTests]).flatMap((p) => testFiles(resolve(p)));

globals.UVU_DEFER = 1;
globals.UVU_QUEUE = [];
for (const [index, file] of files.entries()) {
  globals.UVU_INDEX = index;
  globals.UVU_QUEUE.push([relative(root, file)]);
  await import(pathToFileURL(file).href);
}

let passed = 0;
let failed = 0;
for (const [name, ...suites] of globals.UVU_QUEUE) {
  process.stdout.write(`${name}\n`);
  for (const suite of suites) {
    const [errors, ran, skipped, total] = await suite();
    passed += ran;
    failed += total - ran - skipped;
    if (errors !== true) process.stdout.write(`\n${errors}\n`);
  }
  process.stdout.write('\n');
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
