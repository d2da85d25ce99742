// One JSON object per line per event: for tools, CI logs and notebooks that follow a run.
import type { EventSink } from '../events.ts';

export const jsonReporter = (write: (line: string) => void = (l) => process.stdout.write(l)): EventSink => (event) =>
  write(`${JSON.stringify(event)}\n`);
