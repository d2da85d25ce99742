// Optional peer dependencies: a package that is not installed is a UserError naming it and the feature that needs it;
// any other failure while loading one (a package it imports is missing, its code throws) is passed on unchanged.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isUserError } from '../src/errors.ts';
import { optionalPeer, requirePeer, resolvePeerFile } from '../src/optional.ts';

const NAME = 'vthinker-no-such-package';

test('a missing package: a UserError that names it, the feature and the install command', async () => {
  const error = await optionalPeer(NAME, 'the frobnicator', () => import(NAME)).then(
    () => assert.unreachable('resolved'),
    (e: unknown) => e,
  );
  assert.ok(isUserError(error), String(error));
  assert.is((error as Error).message, `the frobnicator needs the package ${NAME}, an optional peer dependency of @vthinker/engine: npm install ${NAME}`);
  assert.throws(() => requirePeer(NAME, 'x'), (e: Error) => isUserError(e) && e.message.includes(`npm install ${NAME}`));
  assert.throws(() => resolvePeerFile(NAME, 'package.json', 'x'), (e: Error) => isUserError(e) && e.message.includes(`npm install ${NAME}`));
});

test('an installed package that fails to load is not reported as missing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vt-optional-'));
  try {
    // A module that imports a package that is not there: the error names that package, not the one asked for.
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm', 'index.mjs'), `import '${NAME}-inner';\n`);
    const error = await optionalPeer('m', 'a feature', () => import(pathToFileURL(join(dir, 'm', 'index.mjs')).href)).then(
      () => assert.unreachable('resolved'),
      (e: unknown) => e,
    );
    assert.not.ok(isUserError(error));
    assert.match((error as Error).message, `${NAME}-inner`);
    const thrown = await optionalPeer('yaml', 'a feature', () => Promise.reject(new TypeError('broken'))).catch((e: unknown) => e);
    assert.instance(thrown, TypeError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an installed package loads', async () => {
  const yaml = await optionalPeer('yaml', 'a feature', () => import('yaml'));
  assert.is(yaml.stringify({ a: 1 }), 'a: 1\n');
  assert.is(typeof requirePeer<typeof import('yaml')>('yaml', 'a feature').parse, 'function');
});

test.run();
