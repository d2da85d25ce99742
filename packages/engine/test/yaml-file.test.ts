// YAML files read through the stat cache: an unchanged file's document comes from the cache, a changed one is parsed
// again, and values JSON cannot hold (.inf, .nan) are never cached, so they read back as written.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatCache } from '../src/stat-cache.ts';
import { readYamlFile } from '../src/yaml-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'vt-yaml-'));
const file = join(dir, 'params.yaml');
const cacheDir = join(dir, 'stat-cache');
const cacheFile = join(cacheDir, 'yaml.json');
/** What a later command sees: the cache as the last one saved it. */
const read = () => {
  const statCache = new StatCache(cacheDir);
  const doc = readYamlFile(file, { statCache, key: 'params.yaml' });
  statCache.save();
  return doc;
};

test('an unchanged file comes from the cache; an edited one is parsed again', () => {
  writeFileSync(file, 'seed: 1\nsynth: {count: 20, families: [angle, area]}\n');
  assert.equal(read(), { seed: 1, synth: { count: 20, families: ['angle', 'area'] } });
  // Rewriting the cached document shows that the next read takes it from there.
  writeFileSync(cacheFile, readFileSync(cacheFile, 'utf8').replace('\\"seed\\":1', '\\"seed\\":42'));
  assert.equal((read() as { seed: number }).seed, 42);
  writeFileSync(file, 'seed: 2\n');
  assert.equal(read(), { seed: 2 });
});

test('.inf and .nan read back as numbers, every time', () => {
  writeFileSync(file, 'limit: .inf\nscale: .nan\n');
  for (let i = 0; i < 2; i++) {
    const doc = read() as { limit: number; scale: number };
    assert.is(doc.limit, Infinity);
    assert.ok(Number.isNaN(doc.scale));
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
