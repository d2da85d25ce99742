// Where `push` and `pull` copy the store: remotes named in .vthinker/config.yaml (committed, shared by the team) and
// .vthinker/config.local.yaml (not committed: a user's own remotes, user names and keys), the local file winning.
//
//   remotes:
//     team: /mnt/shared/vthinker-store          # a directory, e.g. a shared mount (relative: to the project root)
//     lab: sftp://me@gpu-box:2222/srv/vthinker   # SSH/SFTP; /~/path for a path under the login's home
//     lab2: { url: sftp://gpu-box/srv/vthinker, identity: ~/.ssh/lab_ed25519, known_hosts: ~/.ssh/known_hosts, jobs: 8 }
//   default_remote: team                        # optional when there is only one remote
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { nearest } from '../params.ts';
import { readYamlFile } from '../yaml-file.ts';
import { remoteMsg as msg } from './messages.ts';

export const CONFIG_FILES = ['.vthinker/config.yaml', '.vthinker/config.local.yaml'] as const;

/** The blobs and records of a remote live under one folder, on a filesystem or on an SSH server. */
export type RemoteSpec = { name: string; url: string; jobs: number } & (
  | { kind: 'dir'; path: string }
  | { kind: 'sftp'; host: string; port: number; user: string; path: string; identity?: string; knownHosts: string }
);

/** A small default: enough to hide per-file latency, few enough not to swamp a shared mount or an sshd. */
const DEFAULT_JOBS = 4;

interface RawRemote {
  url?: unknown;
  identity?: unknown;
  known_hosts?: unknown;
  jobs?: unknown;
}

/** The remote named `name`, or the default one; a clear error when none is configured or the name is unknown. */
export function resolveRemote(root: string, name?: string): RemoteSpec {
  const { remotes, defaultRemote, sources } = readRemoteConfig(root);
  const names = Object.keys(remotes).sort();
  if (!names.length) throw new UserError(msg.noRemotes(sources));
  const chosen = name ?? defaultRemote ?? (names.length === 1 ? names[0] : undefined);
  if (!chosen) throw new UserError(msg.noDefault(names));
  const raw = remotes[chosen];
  if (!raw) throw new UserError(msg.unknownRemote(chosen, names, nearest(chosen, names)));
  return parseRemote(root, chosen, raw);
}

function readRemoteConfig(root: string): { remotes: Record<string, RawRemote>; defaultRemote?: string; sources: string[] } {
  const remotes: Record<string, RawRemote> = {};
  let defaultRemote: string | undefined;
  const sources: string[] = [];
  for (const file of CONFIG_FILES) {
    const path = join(root, file);
    if (!existsSync(path)) continue;
    sources.push(file);
    let doc: unknown;
    try {
      doc = readYamlFile(path);
    } catch (error) {
      throw new UserError(msg.configYaml(file, (error as Error).message.split('\n')[0]!));
    }
    if (doc == null) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new UserError(msg.configShape(file));
    const { remotes: r, default_remote: d, ...rest } = doc as Record<string, unknown>;
    const unknownKey = Object.keys(rest)[0];
    if (unknownKey) throw new UserError(msg.configUnknownKey(file, unknownKey));
    if (r != null && (typeof r !== 'object' || Array.isArray(r))) throw new UserError(msg.configRemotesShape(file));
    for (const [n, v] of Object.entries((r ?? {}) as Record<string, unknown>)) remotes[n] = typeof v === 'string' ? { url: v } : ((v ?? {}) as RawRemote);
    if (d != null) {
      if (typeof d !== 'string') throw new UserError(msg.configDefaultShape(file));
      defaultRemote = d;
    }
  }
  return { remotes, ...(defaultRemote ? { defaultRemote } : {}), sources };
}

function parseRemote(root: string, name: string, raw: RawRemote): RemoteSpec {
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new UserError(msg.remoteShape(name));
  const extra = Object.keys(raw).find((k) => !['url', 'identity', 'known_hosts', 'jobs'].includes(k));
  if (extra) throw new UserError(msg.remoteUnknownSetting(name, extra));
  if (typeof raw.url !== 'string' || !raw.url) throw new UserError(msg.remoteUrl(name));
  const jobs = raw.jobs === undefined ? DEFAULT_JOBS : Number(raw.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UserError(msg.remoteJobs(name, raw.jobs));
  const url = raw.url;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (!scheme || scheme === 'file') {
    if (raw.identity !== undefined || raw.known_hosts !== undefined) throw new UserError(msg.remoteSshSettings(name));
    const path = scheme ? decodeURIComponent(new URL(url).pathname) : expandHome(url);
    return { name, url, jobs, kind: 'dir', path: isAbsolute(path) ? path : resolve(root, path) };
  }
  if (scheme !== 'sftp' && scheme !== 'ssh') {
    throw new UserError(msg.remoteScheme(name, scheme));
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(msg.remoteSftpUrl(name, url));
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const rawPath = decodeURIComponent(parsed.pathname);
  if (!host || !rawPath || rawPath === '/') throw new UserError(msg.remoteSftpUrl(name, url));
  if (parsed.password) throw new UserError(msg.remotePassword(name));
  for (const k of ['identity', 'known_hosts'] as const) {
    if (raw[k] !== undefined && typeof raw[k] !== 'string') throw new UserError(msg.remoteFileSetting(name, k));
  }
  return {
    name, url, jobs, kind: 'sftp', host,
    port: parsed.port ? Number(parsed.port) : 22,
    user: decodeURIComponent(parsed.username) || userInfo().username,
    // A path after the host is absolute on the server; /~/x names x under the login's home (SFTP's relative paths).
    path: rawPath.startsWith('/~/') ? rawPath.slice(3) : rawPath,
    ...(raw.identity ? { identity: expandHome(raw.identity as string, root) } : {}),
    knownHosts: raw.known_hosts ? expandHome(raw.known_hosts as string, root) : join(homedir(), '.ssh', 'known_hosts'),
  };
}

/** `~/x` under the home folder; a relative path against the project root when one is given. */
function expandHome(path: string, root?: string): string {
  const p = path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
  return root && !isAbsolute(p) ? resolve(root, p) : p;
}
