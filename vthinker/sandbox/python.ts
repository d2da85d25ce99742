// The Python sandbox: runs a model's program on a read-only copy of the input image in a separate python3 process,
// the way the paper's evaluation runs model code, and returns the images it saved (or what it printed). Limits: wall
// time, CPU time, address space, file size, process count, bytes printed, output images' pixels. Isolation: Linux
// namespaces when `unshare` works here (a private read-only root without /etc/passwd, /home or the repository, no
// network, a pid namespace torn down on timeout), else an audit hook only. See README.md in this folder for the
// threat model. Like the drawing sandbox it never throws: every failure is a "Sandbox for <id>: ..." message.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import sharp from 'sharp';

export interface PythonLimits {
  /** Wall time of one run in milliseconds (the paper's sandbox: 10 s). */
  timeLimitMs: number;
  /** CPU seconds (RLIMIT_CPU): a busy loop ends here even if the wall clock is slow to notice. */
  cpuSeconds: number;
  /** Address space in bytes (RLIMIT_AS): numpy, OpenCV and matplotlib import in well under 1 GiB. */
  memoryBytes: number;
  /** Largest file the program may write (RLIMIT_FSIZE). */
  fileBytes: number;
  /** Processes and threads the program may have beyond what its uid already runs (RLIMIT_NPROC). */
  processes: number;
  /** Bytes of stdout plus stderr kept; more ends the run (a print loop would otherwise fill memory). */
  outputBytes: number;
  /** Pixels of one output image: a 20,000 x 20,000 picture is refused before it is decoded. */
  maxImagePixels: number;
  /** Size of the working folder's tmpfs in MiB (namespaced runs). */
  workMb: number;
}

export const DEFAULT_PYTHON_LIMITS: Readonly<PythonLimits> = {
  timeLimitMs: 10_000,
  cpuSeconds: 10,
  memoryBytes: 1024 * 1024 * 1024,
  fileBytes: 16 * 1024 * 1024,
  processes: 128,
  outputBytes: 64 * 1024,
  maxImagePixels: 4096 * 4096,
  workMb: 64,
};

export type Isolation = 'namespace' | 'audit-hook';

export type PythonResult =
  | { ok: true; images: Buffer[]; stdout: string; isolation: Isolation; ms: number }
  | { ok: false; message: string; isolation: Isolation; ms: number };

export interface PythonRun {
  /** Names the run in messages. */
  id: string;
  code: string;
  /** The input image, encoded (PNG, JPEG, ...); the program sees it as `image_path`. */
  image: Uint8Array;
  limits?: Partial<PythonLimits>;
  /** Force a mode (tests); by default the namespace when it works here. */
  isolation?: Isolation;
}

const HERE = join(import.meta.dirname, 'python');
/** Debian's interpreter, where apt installs PIL, numpy, matplotlib and OpenCV (not a pyenv shim on the PATH). */
export const PYTHON = process.env.VTHINKER_PYTHON ?? '/usr/bin/python3';
const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.gif', '.bmp', '.tif', '.tiff', '.webp']);
const INPUT = 'input.png';

let probed: Isolation | undefined;

/** The unshare flags of this machine: real root makes the namespaces itself; anyone else maps itself to root in one. */
const unshareArgs = () => ['--mount', '--net', '--pid', '--fork', '--kill-child', '--propagation', 'private', ...(process.getuid?.() === 0 ? [] : ['--map-root-user'])];

/** Whether namespaced runs work here (probed once: unshare, mount and chroot all have to be allowed). */
export function availableIsolation(): Isolation {
  if (probed) return probed;
  const dir = mkdtempSync(join(tmpdir(), 'vt-pyprobe-'));
  try {
    mkdirSync(join(dir, 'in'));
    mkdirSync(join(dir, 'sandbox'));
    writeFileSync(join(dir, 'in', 'probe.txt'), '');
    writeFileSync(join(dir, 'sandbox', 'probe.txt'), '');
    const r = spawnSync('unshare', [...unshareArgs(), '--', '/bin/sh', join(HERE, 'launch.sh'), dir, process.getuid?.() === 0 ? 'drop' : 'keep', '1', PYTHON, '-c', 'pass'], { timeout: 10_000, stdio: 'ignore' });
    probed = r.status === 0 ? 'namespace' : 'audit-hook';
  } catch {
    probed = 'audit-hook';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return probed;
}

/** Our uid's processes now: RLIMIT_NPROC counts all of them, so an unprivileged run's cap must start from there. */
function processesOfOurUid(): number {
  const uid = process.getuid?.();
  if (uid === undefined) return 0;
  let n = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (statSync(`/proc/${pid}`).uid === uid) n += readdirSync(`/proc/${pid}/task`).length;
    } catch { /* gone meanwhile */ }
  }
  return n;
}

/** Image files left in `dir` (recursively), in the order the program printed their paths, then by name. */
function discoverImages(dir: string, stdout: string): string[] {
  const found: string[] = [];
  const walk = (d: string, depth: number) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && depth < 3) walk(p, depth + 1);
      else if (e.isFile() && IMAGE_EXT.has(extname(e.name).toLowerCase())) found.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir, 0);
  const files = found.filter((f) => f !== INPUT).sort();
  const printed = (f: string) => {
    const i = stdout.indexOf(f);
    return i < 0 ? Infinity : i;
  };
  return files.sort((a, b) => printed(a) - printed(b));
}

/** Runs a program; resolves with its images or a "Sandbox for" message, never rejects. */
export async function runPython(run: PythonRun): Promise<PythonResult> {
  const started = performance.now();
  const limits: PythonLimits = { ...DEFAULT_PYTHON_LIMITS, ...run.limits };
  const isolation = run.isolation ?? availableIsolation();
  const done = (r: { ok: true; images: Buffer[]; stdout: string } | { ok: false; reason: string }): PythonResult => {
    const ms = performance.now() - started;
    return r.ok ? { ...r, isolation, ms } : { ok: false, message: `Sandbox for ${run.id}: ${r.reason}`, isolation, ms };
  };
  if (typeof run.code !== 'string' || run.code.trim() === '') return done({ ok: false, reason: 'no code to run' });
  if (!existsSync(PYTHON)) return done({ ok: false, reason: `no Python interpreter at ${PYTHON} (install python3 or set VTHINKER_PYTHON)` });
  const dir = mkdtempSync(join(tmpdir(), 'vt-python-'));
  try {
    for (const sub of ['in', 'sandbox', 'out', 'tmp']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'sandbox', 'program.py'), run.code);
    writeFileSync(join(dir, 'sandbox', 'preamble.py'), readFileSync(join(HERE, 'preamble.py')));
    writeFileSync(join(dir, 'in', INPUT), run.image, { mode: 0o444 });
    const namespaced = isolation === 'namespace';
    const root = process.getuid?.() === 0;
    // Real root runs the program as nobody, whose count starts near 0; anyone else shares the count with their own processes.
    const processes = namespaced && root ? limits.processes : processesOfOurUid() + limits.processes;
    const preambleArgs = (base: string) => [`${base}/preamble.py`, `${base}/program.py`, INPUT, JSON.stringify({ cpu_s: limits.cpuSeconds, memory_bytes: limits.memoryBytes, file_bytes: limits.fileBytes, processes })];
    const env = {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', MPLBACKEND: 'Agg', OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1',
      ...(namespaced ? { HOME: '/work', TMPDIR: '/tmp', MPLCONFIGDIR: '/tmp' } : { HOME: join(dir, 'in'), TMPDIR: join(dir, 'tmp'), MPLCONFIGDIR: join(dir, 'tmp') }),
    };
    const [command, args, cwd] = namespaced
      ? ['unshare', [...unshareArgs(), '--', '/bin/sh', join(HERE, 'launch.sh'), dir, root ? 'drop' : 'keep', String(limits.workMb), PYTHON, '-I', ...preambleArgs('/sandbox')], dir] as const
      : [PYTHON, ['-I', ...preambleArgs(join(dir, 'sandbox'))], join(dir, 'in')] as const;
    const outcome = await new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; stop?: string }>((resolve) => {
      const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '', stderr = '', bytes = 0, stop: string | undefined;
      const kill = (why: string) => {
        stop ??= why;
        try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
      };
      const timer = setTimeout(() => kill(`time limit of ${limits.timeLimitMs / 1000} s exceeded`), limits.timeLimitMs);
      const take = (chunk: Buffer, into: 'out' | 'err') => {
        bytes += chunk.length;
        if (bytes > limits.outputBytes) return kill(`printed more than ${Math.round(limits.outputBytes / 1024)} KB`);
        if (into === 'out') stdout += chunk.toString('utf8');
        else stderr += chunk.toString('utf8');
      };
      child.stdout.on('data', (c: Buffer) => take(c, 'out'));
      child.stderr.on('data', (c: Buffer) => take(c, 'err'));
      child.on('error', (e) => kill(`could not start: ${e.message}`));
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr, stop });
      });
    });
    if (outcome.stop) return done({ ok: false, reason: outcome.stop });
    if (outcome.code !== 0) {
      const last = outcome.stderr.trim().split('\n').pop()?.trim();
      // Inside the namespace the shell reports a signal as 128 + its number (SIGXCPU 24, SIGKILL 9).
      if (outcome.signal === 'SIGXCPU' || outcome.code === 128 + 24) return done({ ok: false, reason: `CPU time limit of ${limits.cpuSeconds} s exceeded` });
      if (outcome.signal === 'SIGKILL' || outcome.code === 128 + 9) return done({ ok: false, reason: 'killed (memory or process limit)' });
      return done({ ok: false, reason: last ? last.slice(0, 500) : `the program exited with status ${outcome.code ?? outcome.signal}` });
    }
    const outDir = namespaced ? join(dir, 'out') : join(dir, 'in');
    const images: Buffer[] = [];
    for (const file of discoverImages(outDir, outcome.stdout)) {
      try {
        images.push(await sharp(readFileSync(join(outDir, file)), { limitInputPixels: limits.maxImagePixels }).png().toBuffer());
      } catch (error) {
        const m = (error as Error).message;
        return done({ ok: false, reason: /pixel limit/i.test(m) ? `output image ${file} has more than ${limits.maxImagePixels} pixels; save a smaller image` : `output image ${file} cannot be read: ${m}` });
      }
    }
    const stdout = outcome.stdout.trim();
    if (images.length === 0 && stdout === '') return done({ ok: false, reason: 'the code saved no image and printed nothing; save the edited image to a file (e.g. processed.png) and print its path' });
    return done({ ok: true, images, stdout });
  } catch (error) {
    return done({ ok: false, reason: `internal error: ${(error as Error).message}` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
