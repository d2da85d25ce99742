// The human view of a run: one line per decision with its reasons, live progress bars for running stages on a TTY
// (plain throttled lines otherwise), all on stderr, and a closing summary: the run's result, on stdout.
import type { EngineEvent, EventSink } from '../events.ts';
import { shortDigest } from '../hash.ts';
import { msg } from '../messages.ts';

interface Live {
  done: number;
  total: number;
  note?: string;
  started: number;
}

const color = (code: number, text: string, on: boolean) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

export interface TerminalOptions {
  /** Progress: decisions, bars, notes (default stderr). */
  write?: (text: string) => void;
  /** The closing summary (default stdout; `write` when only that is given, as tests do). */
  result?: (text: string) => void;
  tty?: boolean;
  /** Show every log line a stage prints (otherwise only the tail of a failing stage's log). */
  verbose?: boolean;
}

export function terminalReporter(options: TerminalOptions = {}): EventSink {
  const write = options.write ?? ((t: string) => process.stderr.write(t));
  const result = options.result ?? (options.write ? write : (t: string) => process.stdout.write(t));
  const tty = options.tty ?? !!process.stderr.isTTY;
  const live = new Map<string, Live>();
  const logs = new Map<string, string[]>();
  const lastPrinted = new Map<string, number>();
  let drawn = 0;

  const clear = () => {
    if (tty && drawn) write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = () => {
    if (!tty) return;
    const lines = [...live].map(([stage, p]) => progressLine(stage, p));
    if (lines.length) write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const say = (text: string) => {
    clear();
    write(`${text}\n`);
    draw();
  };
  const why = (reasons: string[]) => (reasons.length ? `\n    ${reasons.join('\n    ')}` : '');

  return (e: EngineEvent) => {
    switch (e.type) {
      case 'plan':
        return say(`${e.dry ? 'dry run: ' : ''}profile ${e.profile}${e.experiment ? `, experiment ${e.experiment}` : ''}, ${e.stages.length} stage(s)`);
      case 'fresh':
        return say(`${color(32, 'fresh ', tty)} ${e.stage} ${color(2, shortDigest(e.key), tty)}`);
      case 'cached':
        return say(`${color(32, 'cached', tty)} ${e.stage} ${color(2, shortDigest(e.key), tty)} (restored from the store)${why(e.reasons)}`);
      case 'would-run':
        return say(`${color(33, 'would run', tty)} ${e.stage}${why(e.reasons)}`);
      case 'started':
        live.set(e.stage, { done: 0, total: 0, started: Date.now() });
        return say(`${color(36, 'run   ', tty)} ${e.stage} ${color(2, shortDigest(e.key), tty)}${why(e.reasons)}`);
      case 'waiting':
        return say(`${color(33, 'wait  ', tty)} ${e.stage}: ${e.holder} is running it`);
      case 'progress': {
        const p = live.get(e.stage);
        if (!p) return;
        Object.assign(p, { done: e.done, total: e.total, note: e.note });
        if (tty) {
          clear();
          draw();
        } else {
          // Off a terminal, a line per 10 % at most, so CI logs stay readable.
          const step = e.total ? Math.floor((10 * e.done) / e.total) : 0;
          if (step !== lastPrinted.get(e.stage)) {
            lastPrinted.set(e.stage, step);
            write(`  ${progressLine(e.stage, p)}\n`);
          }
        }
        return;
      }
      case 'log': {
        const tail = logs.get(e.stage) ?? [];
        tail.push(e.line);
        if (tail.length > 20) tail.shift();
        logs.set(e.stage, tail);
        if (options.verbose) say(color(2, `  ${e.stage}| ${e.line}`, tty));
        return;
      }
      case 'metric':
        return;
      case 'ran': {
        live.delete(e.stage);
        const metrics = Object.entries(e.metrics).slice(0, 6).map(([k, v]) => `${k}=${typeof v === 'number' ? +v.toPrecision(4) : v}`);
        const cut = e.cutOff ? ' outputs unchanged: downstream stays cached' : '';
        const check = !e.reproduced ? '' : e.reproduced.length ? `\n    ${color(33, msg.notReproduced(e.reproduced), tty)}` : `\n    ${msg.reproduced()}`;
        return say(`${color(32, 'done  ', tty)} ${e.stage} in ${e.durationS.toFixed(1)}s${metrics.length ? `  ${metrics.join(' ')}` : ''}${cut}${check}`);
      }
      case 'failed': {
        live.delete(e.stage);
        const tail = logs.get(e.stage) ?? [];
        return say(`${color(31, 'FAILED', tty)} ${e.stage}: ${e.error}${tail.length ? `\n  last output:\n    ${tail.join('\n    ')}` : ''}`);
      }
      case 'skipped':
        return say(`${color(2, 'skip  ', tty)} ${e.stage}: ${e.reason}`);
      case 'notice':
        return say(`note: ${e.message}`);
      case 'done': {
        const parts = Object.entries(e.counts).map(([k, v]) => `${v} ${k}`);
        clear();
        result(`${e.ok ? color(32, 'ok', tty) : color(31, 'failed', tty)}: ${parts.join(', ') || 'nothing to do'} in ${e.durationS.toFixed(2)}s\n`);
        return draw();
      }
    }
  };
}

function progressLine(stage: string, p: Live): string {
  const width = 24;
  const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const fill = Math.round(frac * width);
  const secs = ((Date.now() - p.started) / 1000).toFixed(0);
  const count = p.total > 0 ? `${p.done}/${p.total}` : '';
  return `${stage.padEnd(14)} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% ${count} ${secs}s${p.note ? `  ${p.note}` : ''}`;
}
