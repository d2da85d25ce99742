// Every vthinker command reports a mistake on its command line or in an input file the same way: one line naming
// what is wrong, no stack trace, exit status 2. Commands throw a UsageError (or let parseArgs throw) and run their
// body inside withUsageErrors; anything else is a bug and keeps its stack trace.

/** A mistake the user fixes by changing the command line or an input file. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Runs a command's body; a UsageError or a parseArgs error becomes `<prefix>: <message>` on stderr and status 2. */
export async function withUsageErrors(run: () => Promise<number>, prefix = 'vthinker'): Promise<number> {
  try {
    return await run();
  } catch (error) {
    const parseArgsError = String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
    if (!(error instanceof UsageError) && !parseArgsError) throw error;
    console.error(`${prefix}: ${(error as Error).message}`);
    return 2;
  }
}

/** A numeric option: `fallback` when not given, else a number from min to max (an integer unless `integer` is false). */
export function numberOption(flag: string, value: string | undefined, fallback: number, min: number, max = Infinity, integer = true): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() !== '' && Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n))) return n;
  const range = max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
  throw new UsageError(`--${flag} must be ${integer ? 'an integer' : 'a number'} ${range}, got ${JSON.stringify(value)}`);
}
