// Debian's chromium, headless, for tests that open a page as a reader would. Without it the browser tests fail in
// CI (CI=true: .ci/run installs it) and are skipped locally with a notice.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['chromium', 'chromium-browser'];

export function findChromium(): string | undefined {
  return CANDIDATES.find((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
}

/** The browser to use, or undefined (with a notice) when tests should skip; throws in CI when it is missing. */
export function requireChromium(): string | undefined {
  const found = findChromium();
  if (found) return found;
  const text = 'chromium is not installed: the report browser tests need it (apt-get install -y --no-install-recommends chromium)';
  if (process.env.CI && !['0', 'false'].includes(process.env.CI)) throw new Error(`${text}; .ci/run installs it in CI`);
  console.log(`NOTICE: skipping browser tests: ${text}`);
  return undefined;
}

export interface Loaded {
  /** The DOM after the load event, serialised. */
  dom: string;
  /** Messages the page wrote to its console (chromium logs them as CONSOLE lines). */
  console: string[];
}

/** Opens a local HTML file headless and returns its DOM after load, and its console messages. */
export function openPage(browser: string, file: string): Loaded {
  const profile = mkdtempSync(join(tmpdir(), 'vt-chromium-'));
  try {
    const r = spawnSync(browser, [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions',
      `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', '--dump-dom', pathToFileURL(file).href,
    ], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOME: profile } });
    if (r.status !== 0) throw new Error(`${browser} exited with ${r.status ?? r.signal}: ${r.stderr.slice(-2000)}`);
    return { dom: r.stdout, console: r.stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l)) };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** A `data-NAME` attribute of the root element, as the page's own check left it. */
export function rootData(dom: string, name: string): string | undefined {
  const tag = /<html\b[^>]*>/.exec(dom)?.[0] ?? '';
  return new RegExp(`data-${name}="([^"]*)"`).exec(tag)?.[1];
}
