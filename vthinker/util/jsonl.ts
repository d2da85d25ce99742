// JSON Lines: one sample per line, the format every dataset artifact uses (streamable, diff-friendly, and the
// notebook API reads it as an arquero table).
import { readFileSync, writeFileSync } from 'node:fs';

export function writeJsonl(path: string, rows: readonly unknown[]): void {
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
}

export function readJsonl<T>(path: string): T[] {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').flatMap((line, i) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line) as T];
    } catch (error) {
      throw new Error(`${path}:${i + 1}: not valid JSON (${(error as Error).message})`);
    }
  });
}
