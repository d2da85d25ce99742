// `vthinker push` / `vthinker pull`: the command-line face of sync.ts. Progress goes to stderr, the summary to stdout;
// exit 0 when everything the lock references was copied or already there, 1 when something was unavailable or
// corrupt (or the remote failed), 2 for a usage or configuration error.
import { UserError } from '../errors.ts';
import { out, str, type Command } from '../commands/command.ts';
import { profileParams } from '../project.ts';
import { resolveRemote, type RemoteSpec } from './config.ts';
import { remoteMsg as msg } from './messages.ts';
import { push, pull, type Progress, type SyncSummary } from './sync.ts';
import { RemoteError, type Transport } from './transport.ts';

const HELP = {
  push: `vthinker push [--profile P] [--remote NAME] [--jobs N]

  Copies what the profile's lock file references (run records, output blobs, run-journal lines) from the local
  store to a remote, skipping what the remote already holds. Remotes are set in .vthinker/config.yaml:
    remotes:
      team: /mnt/shared/vthinker-store
      lab: sftp://me@gpu-box/srv/vthinker
    default_remote: team
  See docs/remote.md.`,
  pull: `vthinker pull [--profile P] [--remote NAME] [--jobs N]

  Copies what the profile's lock file references from a remote into the local store (verifying every blob's hash)
  and lays out artifacts/<profile>/, so \`vthinker status\` shows the stages fresh and notebooks read their artifacts
  without running anything. Needs the lock file (lockfiles/<profile>.lock.yaml, from git). See docs/remote.md.`,
};

const OPTIONS = {
  profile: { type: 'string', short: 'p' },
  remote: { type: 'string', short: 'r' },
  jobs: { type: 'string', short: 'j' },
} as const;

const syncCommand = (command: 'push' | 'pull'): Command => ({
  help: HELP[command],
  options: OPTIONS,
  async run(project, values) {
    const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
    if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1 && jobs <= 64)) throw new UserError(msg.badJobs(String(values.jobs)));
    const { profile } = profileParams(project, str(values.profile));
    const spec = resolveRemote(project.root, str(values.remote));
    try {
      const remote = await openRemote(spec);
      try {
        const sync = command === 'push' ? push : pull;
        const summary = await sync(project, remote, { profile, jobs: jobs ?? spec.jobs, onProgress: progressReporter(command) });
        out(describe(command, summary));
        return summary.unavailable.length || summary.corrupt.length ? 1 : 0;
      } finally {
        await remote.close();
      }
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
      process.stderr.write(`vthinker: ${error.message}\n`);
      return 1;
    }
  },
});

export const pushCommand = syncCommand('push');
export const pullCommand = syncCommand('pull');

async function openRemote(spec: RemoteSpec): Promise<Transport> {
  if (spec.kind === 'dir') return (await import('./dir.ts')).openDir(spec);
  return (await import('./sftp.ts')).openSftp(spec);
}

function describe(command: 'push' | 'pull', s: SyncSummary): string {
  const lines = [msg.summary(command, s.profile, s.remote, s.blobs.copied, size(s.blobs.bytes), s.runs.copied, s.journal.copied, s.blobs.present, s.runs.present)];
  if (s.unavailable.length) lines.push(command === 'push' ? msg.notLocal(s.unavailable) : msg.notOnRemote(s.unavailable));
  if (s.corrupt.length) lines.push(msg.corrupt(s.corrupt));
  return lines.join('\n');
}

const size = (bytes: number): string =>
  bytes < 1024 ? `${bytes} B` : bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** On a terminal one line rewritten in place; otherwise a line every few seconds (logs stay short) and at the end. */
function progressReporter(command: string): (p: Progress) => void {
  const tty = process.stderr.isTTY;
  let last = 0;
  return (p) => {
    const now = Date.now();
    const end = p.done === p.total;
    if (!end && now - last < (tty ? 100 : 5000)) return;
    last = now;
    const text = `${command}: ${p.phase} ${p.done}/${p.total}${p.phase === 'blobs' ? `, ${size(p.bytes)}` : ''}`;
    process.stderr.write(tty ? `\r${text}\x1b[K${end ? '\n' : ''}` : `${text}\n`);
  };
}
