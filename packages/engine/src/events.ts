// What execution says, as data: reporters decide how to show it (terminal, JSON lines, a notebook, a test).
import type { Metrics } from './store.ts';

export type EngineEvent =
  | { type: 'plan'; profile: string; experiment?: string; stages: string[]; dry: boolean }
  | { type: 'fresh'; stage: string; key: string }
  | { type: 'cached'; stage: string; key: string; reasons: string[] }
  | { type: 'would-run'; stage: string; reasons: string[] }
  | { type: 'started'; stage: string; key: string; reasons: string[] }
  | { type: 'progress'; stage: string; done: number; total: number; note?: string }
  | { type: 'metric'; stage: string; name: string; value: number | string | boolean }
  | { type: 'log'; stage: string; line: string }
  | { type: 'waiting'; stage: string; holder: string }
  // reproduced: set when the lock already recorded this key; the outputs whose bytes differ from the lock's ([]: none).
  | { type: 'ran'; stage: string; key: string; durationS: number; metrics: Metrics; cutOff: boolean; reproduced?: string[] }
  | { type: 'failed'; stage: string; error: string }
  | { type: 'skipped'; stage: string; reason: string }
  | { type: 'notice'; message: string }
  | { type: 'done'; ok: boolean; counts: Record<string, number>; durationS: number };

export type EventSink = (event: EngineEvent) => void;
