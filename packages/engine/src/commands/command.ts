// What every `vthinker` command is: its help, its options (parsed strictly, so a
// typo is an error that points at the help) and a body that gets the loaded project. Results go to stdout (with
// `out`), progress and notes to stderr, so `vthinker status | head -1` and `--json | jq` see only results.
import type { ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.ts';
import type { Project } from '../project.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  /** Usage line(s), then what the options do: printed by `vthinker COMMAND --help`. */
  help: string;
  options: Options;
  run(project: Project, values: Values, positionals: string[]): Promise<number> | number;
}

export const PROFILE = { profile: { type: 'string', short: 'p' } } as const;
export const EXP = { exp: { type: 'string', short: 'e' } } as const;
export const JSON_OUT = { json: { type: 'boolean' } } as const;
export const VERIFY = { verify: { type: 'boolean' } } as const;
export const VERIFY_HELP = `  --verify           check every workspace file against its blob, also in views sealed as unchanged since the
                     last such check (a file written in place, after a chmod or as root, shows only so)`;

/** A result line on stdout. */
export const out = (text: string): void => void process.stdout.write(`${text}\n`);

export const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);
export const strings = (v: Values[string]): string[] => (Array.isArray(v) ? v.map(String) : []);

export function positiveInt(value: Values[string], flag: string, zero = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(Number.isInteger(n) && (n > 0 || (zero && n === 0)))) throw new UserError(`${flag} must be a ${zero ? 'non-negative' : 'positive'} integer, got ${value}`);
  return n;
}

/** The one positional a command needs, or its usage as the error. */
export function onePositional(positionals: string[], help: string): string {
  if (!positionals[0]) throw new UserError(`usage: ${help.split('\n')[0]}`);
  return positionals[0];
}
