// Learning-rate schedule: linear warmup from lr/warmup to lr, then cosine decay to lr * minRatio at `steps`.

export interface ScheduleOptions {
  lr: number;
  warmup: number;
  steps: number;
  /** Final learning rate as a fraction of lr (default 0.1). */
  minRatio?: number;
}

export function learningRate(step: number, o: ScheduleOptions): number {
  const min = o.minRatio ?? 0.1;
  if (step < o.warmup) return (o.lr * (step + 1)) / o.warmup;
  const span = Math.max(1, o.steps - o.warmup);
  const progress = Math.min(1, (step - o.warmup) / span);
  return o.lr * (min + (1 - min) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
