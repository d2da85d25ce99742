// One model replica: computes its shard's gradients, averages them with the others (if any), applies the update.
import * as tf from '@tensorflow/tfjs-core';
import type { GradExchange } from './grad-exchange.ts';
import type { HostBatch, Trainer } from './trainer.ts';

export class Replica {
  readonly nParams: number;

  constructor(private readonly trainer: Trainer, private exchange?: GradExchange) {
    this.nParams = trainer.variables.reduce((n, v) => n + v.size, 0);
    const names = new Set(trainer.variables.map((v) => v.name));
    if (names.size !== trainer.variables.length) throw new Error('trainer variables need unique names (gradients are matched by name)');
  }

  attach(exchange: GradExchange): void {
    this.exchange = exchange;
  }

  /** One optimisation step on this replica's shard; returns the shard's loss. */
  step(batch: HostBatch): number {
    const { variables, optimizer } = this.trainer;
    return tf.tidy(() => {
      const inputs = Object.fromEntries(Object.entries(batch).map(([k, v]) => [k, tf.tensor(v.data, v.shape)]));
      const { value, grads } = tf.variableGrads(() => this.trainer.loss(inputs), variables);
      if (this.exchange) {
        const slot = this.exchange.mine;
        let offset = 0;
        for (const v of variables) {
          slot.set(grads[v.name]!.dataSync() as Float32Array, offset);
          offset += v.size;
        }
        const avg = this.exchange.average();
        offset = 0;
        for (const v of variables) {
          grads[v.name] = tf.tensor(avg.subarray(offset, offset + v.size), v.shape);
          offset += v.size;
        }
      }
      optimizer.applyGradients(grads);
      return value.dataSync()[0]!;
    });
  }

  weights(): Float32Array[] {
    return this.trainer.variables.map((v) => v.dataSync().slice() as Float32Array);
  }
}
