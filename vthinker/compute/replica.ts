// One model replica: computes its shard's gradients, averages them with the others (if any), applies the update.
// Asynchronous because GPU data can only be read back asynchronously (the loss, the gradients to exchange, the
// trainer's own reads before and after the update); on the CPU stacks the same ops run in the same order.
import * as tf from '@tensorflow/tfjs-core';
import type { GradExchange } from './grad-exchange.ts';
import type { HostBatch, Trainer } from './trainer.ts';
import { readable } from './webgpu.ts';

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
  async step(batch: HostBatch): Promise<number> {
    const { variables, optimizer } = this.trainer;
    const { value, grads } = tf.tidy(() => {
      const inputs = Object.fromEntries(Object.entries(batch).map(([k, v]) => [k, tf.tensor(v.data, v.shape)]));
      return tf.variableGrads(() => this.trainer.loss(inputs), variables);
    });
    try {
      if (this.exchange) {
        const slot = this.exchange.mine;
        let offset = 0;
        for (const v of variables) {
          slot.set((await grads[v.name]!.data()) as Float32Array, offset);
          offset += v.size;
        }
        const avg = this.exchange.average();
        offset = 0;
        for (const v of variables) {
          grads[v.name]!.dispose();
          grads[v.name] = tf.tensor(avg.subarray(offset, offset + v.size), v.shape);
          offset += v.size;
        }
      }
      await this.trainer.beforeUpdate?.(grads);
      tf.tidy(() => optimizer.applyGradients(grads));
      await this.trainer.afterUpdate?.();
      return (await value.data())[0]!;
    } finally {
      tf.dispose([value, ...Object.values(grads)]);
    }
  }

  async weights(): Promise<Float32Array[]> {
    return Promise.all(this.trainer.variables.map(async (v) => (await v.data()).slice() as Float32Array));
  }
}
