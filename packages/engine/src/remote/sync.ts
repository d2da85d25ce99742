// `push` and `pull`: copy what a profile's lock file references between the local store and a remote, so that a fresh
// clone with the remote gets every stage fresh and the notebooks' artifacts without computing anything. That is, per
// locked stage: its run record (what `status` looks a key up by), the blobs of its outputs (directory manifests and
// the files they list), and the profile's run-journal lines (what notebooks' `runs()` reads). A pull then lays out
// artifacts/<profile>/<stage>/ as a run would.
//
// Remote layout (the store's own names, so a remote is easy to inspect and to serve from a plain folder):
//   vthinker-remote.json                    {"layout": 1}, written by the first push: marks the folder as a remote
//   blobs/<2 hex>/<62 hex>                   blobs by sha256, as in artifacts/store/blobs
//   runs/<key>.json                          run records by stage key
//   journal/<profile>/<sha256 of line>.json  run-journal lines
// Everything is named by its content or key, so every transfer is idempotent, only missing names move (listed first),
// and an interrupted push or pull resumes where it stopped; pulled blobs and records are verified before they count.
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { digestOf, sha256, type Digest } from '../hash.ts';
import { computeKey } from '../key.ts';
import { lockfilePath, readLockfile, type LockFile } from '../lockfile.ts';
import { ensureWorkspace } from '../workspace.ts';
import type { Project } from '../project.ts';
import type { RunRecord } from '../store.ts';
import { remoteMsg as msg } from './messages.ts';
import { RemoteError, type Transport } from './transport.ts';

const MARKER = 'vthinker-remote.json';
const LAYOUT = 1;

export interface Progress {
  /** What is moving: blobs, then run records and journal lines. */
  phase: 'blobs' | 'records';
  done: number;
  total: number;
  bytes: number;
}

export interface SyncOptions {
  profile: string;
  /** Transfers in flight at once. */
  jobs: number;
  onProgress?: (p: Progress) => void;
}

export interface SyncSummary {
  profile: string;
  remote: string;
  /** Blobs copied, and those the other side had already. */
  blobs: { copied: number; present: number; bytes: number };
  runs: { copied: number; present: number };
  journal: { copied: number };
  /** Stages whose run is not on the side we copy from (push: not in the local store; pull: not on the remote). */
  unavailable: string[];
  /** Pull only: what the remote holds but does not hash to its name (not installed). */
  corrupt: string[];
}

export async function push(project: Project, remote: Transport, options: SyncOptions): Promise<SyncSummary> {
  const { store } = project;
  const lock = requireLock(project.root, options.profile);
  const summary = emptySummary(options.profile, remote.label);
  const records: RunRecord[] = [];
  for (const [stage, entry] of sortedStages(lock)) {
    // getRun verifies the outputs' blobs (through the stat cache): a damaged local blob is never pushed.
    const record = store.getRun(entry.key);
    if (record) records.push(record);
    else summary.unavailable.push(stage);
  }
  const sizes = new Map<Digest, number>();
  for (const record of records) {
    for (const out of Object.values(record.outputs)) {
      if (out.kind !== 'dir') sizes.set(out.digest, out.size);
      else {
        sizes.set(out.digest, store.readBlob(out.digest).length);
        for (const [, digest, size] of store.manifest(out.digest).entries) sizes.set(digest, size);
      }
    }
  }
  if (!(await remote.read(MARKER))) await remote.upload(Buffer.from(JSON.stringify({ layout: LAYOUT })), MARKER);

  const onRemote = await listBlobs(remote, [...sizes.keys()], options.jobs);
  const missing = [...sizes.keys()].filter((d) => !onRemote.has(d)).sort();
  summary.blobs.present = sizes.size - missing.length;
  const blobProgress = progress('blobs', missing.length, options.onProgress);
  await inParallel(missing, options.jobs, async (digest) => {
    await remote.upload(store.blobPath(digest), remoteBlob(digest));
    summary.blobs.copied++;
    summary.blobs.bytes += sizes.get(digest)!;
    blobProgress.step(sizes.get(digest)!);
  });

  // Records after their blobs: a record on the remote promises that its outputs are there.
  const remoteRuns = new Set(await remote.list('runs'));
  const newRecords = records.filter((r) => !remoteRuns.has(`${r.key}.json`));
  summary.runs.present = records.length - newRecords.length;
  const journalDir = `journal/${options.profile}`;
  const remoteLines = new Set(await remote.list(journalDir));
  const newLines = journalLines(project, options.profile).filter((l) => !remoteLines.has(`${l.id}.json`));
  const recordProgress = progress('records', newRecords.length + newLines.length, options.onProgress);
  await inParallel(newRecords, options.jobs, async (record) => {
    await remote.upload(join(store.runs, `${record.key}.json`), `runs/${record.key}.json`);
    summary.runs.copied++;
    recordProgress.step(0);
  });
  await inParallel(newLines, options.jobs, async (line) => {
    await remote.upload(Buffer.from(line.text), `${journalDir}/${line.id}.json`);
    summary.journal.copied++;
    recordProgress.step(0);
  });
  project.statCache.save(); // getRun's blob checks, so the next command does not hash them again
  return summary;
}

export async function pull(project: Project, remote: Transport, options: SyncOptions): Promise<SyncSummary> {
  const { store } = project;
  const lock = requireLock(project.root, options.profile);
  const summary = emptySummary(options.profile, remote.label);
  if (!(await remote.read(MARKER))) {
    throw new RemoteError(msg.notAStore(remote.label, MARKER));
  }
  const remoteRuns = new Set(await remote.list('runs'));
  const fetched: RunRecord[] = [];
  for (const [stage, entry] of sortedStages(lock)) {
    if (store.getRun(entry.key)) {
      summary.runs.present++;
      continue;
    }
    if (!remoteRuns.has(`${entry.key}.json`)) {
      summary.unavailable.push(stage);
      continue;
    }
    const record = parseRecord(await remote.read(`runs/${entry.key}.json`), entry.key);
    if (record) fetched.push(record);
    else summary.corrupt.push(`run record ${entry.key} (${stage})`);
  }

  const tmp = store.makeTmp('pull');
  try {
    const blobProgress = progress('blobs', 0, options.onProgress);
    const fetchBlobs = async (digests: Digest[]): Promise<void> => {
      const wanted = [...new Set(digests)].filter((d) => !store.hasBlob(d)).sort();
      summary.blobs.present += new Set(digests).size - wanted.length;
      const onRemote = await listBlobs(remote, wanted, options.jobs);
      blobProgress.grow(wanted.length);
      await inParallel(wanted, options.jobs, async (digest, i) => {
        // Absent or corrupt blobs are reported in the summary; the record that needs them is then not installed.
        if (!onRemote.has(digest)) return blobProgress.step(0);
        const file = join(tmp, String(i));
        await remote.download(remoteBlob(digest), file);
        const bytes = await readFile(file);
        if (digestOf(bytes) !== digest) {
          rmSync(file, { force: true });
          summary.corrupt.push(`blob ${digest}`);
          return blobProgress.step(0);
        }
        store.adoptFile(file, digest);
        summary.blobs.copied++;
        summary.blobs.bytes += bytes.length;
        blobProgress.step(bytes.length);
      });
    };
    // A record's outputs are not part of its key: a blob it calls a manifest may be something else.
    const manifestDigests = (digest: string): Digest[] => {
      try {
        return store.manifest(digest).entries.map(([, d]) => d);
      } catch {
        summary.corrupt.push(`manifest ${digest}`);
        return [];
      }
    };
    const outputs = fetched.flatMap((r) => Object.values(r.outputs));
    // Manifests first: they name the files of directory outputs.
    await fetchBlobs(outputs.map((o) => o.digest));
    await fetchBlobs(outputs.filter((o) => o.kind === 'dir' && store.hasBlob(o.digest)).flatMap((o) => manifestDigests(o.digest)));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  for (const record of fetched) {
    if (!store.hasRun(record)) {
      summary.unavailable.push(record.stage);
      continue;
    }
    store.putRun(record);
    summary.runs.copied++;
  }
  for (const [, entry] of sortedStages(lock)) {
    const record = store.getRun(entry.key);
    if (record) ensureWorkspace(project, options.profile, record);
  }
  summary.journal.copied = await pullJournal(project, remote, options);
  project.statCache.save();
  summary.unavailable.sort();
  return summary;
}

function requireLock(root: string, profile: string): LockFile {
  const path = lockfilePath(root, profile);
  const lock = readLockfile(root, profile);
  if (!existsSync(path) || !Object.keys(lock.stages).length) {
    throw new UserError(msg.noLock(profile, existsSync(path)));
  }
  return lock;
}

const sortedStages = (lock: LockFile) => Object.entries(lock.stages).sort(([a], [b]) => (a < b ? -1 : 1));

function emptySummary(profile: string, remote: string): SyncSummary {
  return { profile, remote, blobs: { copied: 0, present: 0, bytes: 0 }, runs: { copied: 0, present: 0 }, journal: { copied: 0 }, unavailable: [], corrupt: [] };
}

/** A pulled run record, when it is one and its pre-image hashes to the key it is filed under (else undefined). */
function parseRecord(bytes: Buffer | undefined, key: string): RunRecord | undefined {
  try {
    const record = JSON.parse(bytes!.toString('utf8')) as RunRecord;
    return record.key === key && computeKey(record.preimage) === key && record.outputs && typeof record.stage === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

const remoteBlob = (digest: string): string => {
  const hex = digest.replace(/^sha256:/, '');
  return `blobs/${hex.slice(0, 2)}/${hex.slice(2)}`;
};

/** Which of `digests` the remote holds: one listing per shard folder they fall in, not one call per blob. */
async function listBlobs(remote: Transport, digests: readonly string[], jobs: number): Promise<Set<string>> {
  const shards = [...new Set(digests.map((d) => remoteBlob(d).split('/')[1]!))].sort();
  const present = new Set<string>();
  await inParallel(shards, jobs, async (shard) => {
    for (const name of await remote.list(`blobs/${shard}`)) present.add(`sha256:${shard}${name}`);
  });
  return present;
}

interface JournalLine {
  id: string;
  text: string;
}

/** The profile's lines of the local run journal, each with the hash that names it on a remote. */
function journalLines(project: Project, profile: string): JournalLine[] {
  const path = project.store.journal;
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((text) => {
      try {
        return (JSON.parse(text) as { profile?: string }).profile === profile;
      } catch {
        return false; // a line cut by a crash stays local
      }
    })
    .map((text) => ({ id: sha256(text), text }));
}

/** Appends the remote's journal lines of the profile that the local journal lacks, oldest first. */
async function pullJournal(project: Project, remote: Transport, options: SyncOptions): Promise<number> {
  const dir = `journal/${options.profile}`;
  const local = new Set(journalLines(project, options.profile).map((l) => `${l.id}.json`));
  const names = (await remote.list(dir)).filter((n) => !local.has(n));
  const lines: Array<{ at: string; text: string }> = [];
  await inParallel(names, options.jobs, async (name) => {
    const text = (await remote.read(`${dir}/${name}`))?.toString('utf8');
    if (!text || `${sha256(text)}.json` !== name) return; // damaged lines are skipped: the journal is history, not data
    try {
      lines.push({ at: String((JSON.parse(text) as { at?: string }).at ?? ''), text });
    } catch {
      /* not JSON: skipped like a damaged line */
    }
  });
  lines.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.text < b.text ? -1 : 1));
  if (lines.length) appendFileSync(project.store.journal, lines.map((l) => `${l.text}\n`).join(''));
  return lines.length;
}

/** Runs `task` over `items` with at most `jobs` in flight; the first failure stops new starts and is rethrown. */
async function inParallel<T>(items: readonly T[], jobs: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        await task(items[i]!, i);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

function progress(phase: Progress['phase'], total: number, report?: (p: Progress) => void) {
  const p: Progress = { phase, done: 0, total, bytes: 0 };
  return {
    grow(n: number) {
      p.total += n;
    },
    step(bytes: number) {
      p.done++;
      p.bytes += bytes;
      report?.({ ...p });
    },
  };
}
