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
