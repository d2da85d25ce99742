// Stage 1 of the interactive framework: cold-start SFT on verified interactive trajectories (sandbox outputs masked).
import { from, json, stage } from 'vthinker/engine';

export default stage({
  name: 'rl1',
  description: 'cold-start SFT on interactive trajectories, from the perception checkpoint',
  module: import.meta.url,
  params: ['seed', 'rl1'],
  inputs: { policy: from('perception', 'model'), train: from('verify', 'train') },
  outputs: { plan: json('plan.json') },
  resources: { cpu: 2, gpu: 'optional', memoryMb: 4096 },
  checkpoint: true,
  run: async (ctx) => (await import('./pending.ts')).recordPlan(ctx, 'the tiny V-Thinker issue (policy and training)', ['policy', 'train']),
});
