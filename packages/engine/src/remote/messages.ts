// Every message `push` and `pull` show a user, in one place (as src/messages.ts for the rest of the engine).
const URL_FORMS = 'a directory path or sftp://[user@]host[:port]/path';

export const remoteMsg = {
  // .vthinker/config.yaml
  configYaml: (file: string, detail: string) => `${file} is not valid YAML: ${detail}`,
  configShape: (file: string) => `${file} must be a mapping with \`remotes:\` (and optional \`default_remote:\`)`,
  configUnknownKey: (file: string, key: string) => `${file}: unknown setting ${key}; it may hold \`remotes:\` and \`default_remote:\``,
  configRemotesShape: (file: string) => `${file}: \`remotes:\` must map names to ${URL_FORMS}, or to { url: ... }`,
  configDefaultShape: (file: string) => `${file}: \`default_remote:\` must be a remote's name`,
  noRemotes: (sources: readonly string[]) =>
    `no remote is configured${sources.length ? ` in ${sources.join(' or ')}` : ''}: add one to .vthinker/config.yaml, e.g.\n` +
    '  remotes:\n    team: /mnt/shared/vthinker-store\n  default_remote: team\n(see docs/remote.md)',
  noDefault: (names: readonly string[]) =>
    `several remotes (${names.join(', ')}) and no default: pass --remote NAME or set \`default_remote:\` in .vthinker/config.yaml`,
  unknownRemote: (name: string, names: readonly string[], suggestion?: string) =>
    `no remote named ${name}${suggestion ? ` (did you mean ${suggestion}?)` : ''}; configured: ${names.join(', ')}`,
  remoteShape: (name: string) => `remote ${name}: give ${URL_FORMS}, or { url: ... }`,
  remoteUnknownSetting: (name: string, key: string) => `remote ${name}: unknown setting ${key} (settings: url, identity, known_hosts, jobs)`,
  remoteUrl: (name: string) => `remote ${name}: \`url:\` must be ${URL_FORMS}`,
  remoteJobs: (name: string, value: unknown) => `remote ${name}: \`jobs:\` must be an integer from 1 to 64, got ${String(value)}`,
  remoteSshSettings: (name: string) => `remote ${name}: identity and known_hosts apply to sftp:// remotes only`,
  remoteScheme: (name: string, scheme: string) => `remote ${name}: ${scheme}:// remotes are not supported; use ${URL_FORMS} (S3 is planned: docs/remote.md)`,
  remoteSftpUrl: (name: string, url: string) => `remote ${name}: ${url} needs a host and a folder: sftp://[user@]host[:port]/path`,
  remotePassword: (name: string) => `remote ${name}: passwords in URLs are not supported; use a key (identity:) or ssh-agent`,
  remoteFileSetting: (name: string, key: string) => `remote ${name}: \`${key}:\` must be a file path`,

  // the command line
  badJobs: (value: string) => `--jobs must be an integer from 1 to 64, got ${value}`,
  noLock: (profile: string, exists: boolean) =>
    `no lock file for profile ${profile} (lockfiles/${profile}.lock.yaml ${exists ? 'lists no stage' : 'is missing'}): ` +
    `run \`vthinker run --profile ${profile}\` first, or check the lock file out of git`,

  // reaching a remote
  shareMissing: (label: string, parent: string) => `cannot reach remote ${label}: ${parent} does not exist (is the share mounted?)`,
  ioFailed: (label: string, what: string, detail: string) => `remote ${label}: cannot ${what}: ${detail}`,
  notAStore: (label: string, marker: string) => `remote ${label} holds no vthinker store (no ${marker} at its root): push to it first, or check its url`,
  unreachable: (label: string, detail: string, port: number) => `cannot reach remote ${label}: ${detail} (is the host up and sshd listening on port ${port}?)`,
  handshakeTimeout: (label: string, seconds: number) => `cannot reach remote ${label}: no SSH handshake within ${seconds} s`,
  noSftp: (label: string, detail: string) => `remote ${label}: the server offers no SFTP (${detail})`,
  noKey: (label: string) =>
    `remote ${label}: no SSH key to log in with: set \`identity:\` for it in .vthinker/config.local.yaml, create ~/.ssh/id_ed25519, or start ssh-agent`,
  identityUnreadable: (label: string, path: string, detail: string) => `remote ${label}: cannot read identity ${path}: ${detail}`,
  identityUnusable: (label: string, path: string, detail: string) =>
    `remote ${label}: cannot use identity ${path} (${detail}); if it has a passphrase, load it with \`ssh-add ${path}\``,
  hostKeyUnknown: (label: string, host: string, port: number, knownHosts: string) =>
    `remote ${label}: host key of ${host}:${port} is not in ${knownHosts}; check its fingerprint, then \`ssh-keyscan -p ${port} ${host} >> ${knownHosts}\``,
  hostKeyRefused: (label: string, host: string, port: number, knownHosts: string, verdict: string) =>
    `remote ${label}: host key of ${host}:${port} does not match ${knownHosts} (${verdict}): someone may be impersonating it; refusing to connect`,
  authFailed: (label: string, login: string) =>
    `remote ${label}: authentication failed for ${login}: add your public key to its ~/.ssh/authorized_keys, or set \`identity:\` (or load the key into ssh-agent)`,

  // summaries (stdout)
  summary: (command: 'push' | 'pull', profile: string, remote: string, blobs: number, size: string, runs: number, lines: number, presentBlobs: number, presentRuns: number) =>
    `${command === 'push' ? 'pushed' : 'pulled'} profile ${profile} ${command === 'push' ? 'to' : 'from'} ${remote}: ${blobs} blob(s), ${size}; ` +
    `${runs} run record(s); ${lines} journal line(s). Already there: ${presentBlobs} blob(s), ${presentRuns} run record(s)`,
  notLocal: (stages: readonly string[]) => `not in the local store, not pushed: ${stages.join(', ')} (run them, or pull them from where they ran)`,
  notOnRemote: (stages: readonly string[]) => `not on the remote, not pulled: ${stages.join(', ')} (push them from where they ran, or run them)`,
  corrupt: (items: readonly string[]) => `corrupt on the remote, not installed (push them again from a good copy): ${items.join(', ')}`,
} as const;
