// How a model used its sandbox on one task, the same figures whether it ran in process (run-policy.ts) or behind an
// endpoint (endpoint/run-endpoint.ts), so `eval --model` and `eval --endpoint` report alike.

export interface ToolUse {
  /** Sandbox calls per item, and the share that ran. */
  callsPerItem: number;
  callSuccess: number;
  /** Share of items whose response ended on its answer (think ... answer). */
  answered: number;
  /** Calls in Python (endpoint runs only: our policy writes the drawing language). */
  python?: number;
}

/** One (item, task) run as far as tool use goes. */
export interface ToolRun {
  calls: { ok: boolean; lang?: string | null }[];
  answered: boolean;
}

export function toolUseOf(runs: readonly ToolRun[], countPython = false): ToolUse {
  const calls = runs.flatMap((r) => r.calls);
  return {
    callsPerItem: runs.length ? calls.length / runs.length : 0,
    callSuccess: calls.length ? calls.filter((c) => c.ok).length / calls.length : 0,
    answered: runs.length ? runs.filter((r) => r.answered).length / runs.length : 0,
    ...(countPython ? { python: calls.filter((c) => c.lang === 'python').length } : {}),
  };
}

/** The terminal line of one task's tool use. */
export function toolUseText(t: ToolUse): string {
  const python = t.python === undefined ? '' : `  python ${t.python}`;
  return `calls/item ${t.callsPerItem.toFixed(2)}  ran ${(100 * t.callSuccess).toFixed(0)}%  answered ${(100 * t.answered).toFixed(0)}%${python}`;
}
