// Stage 2 of the interactive framework: GRPO with the sandbox in the loop.
import { from, json, stage } from 'vthinker/engine';

export default stage({
  name: 'rl2',
  description: 'GRPO in the sandbox, from the rl1 checkpoint',
  module: import.meta.url,
  params: ['seed', 'rl2'],
  inputs: { policy: from('rl1', 'plan'), train: from('verify', 'train') },
  outputs: { plan: json('plan.json') },
  resources: { cpu: 2, gpu: 'optional', memoryMb: 4096 },
  checkpoint: true,
  run: async (ctx) => (await import('./pending.ts')).recordPlan(ctx, 'the tiny V-Thinker issue (policy and training)', ['policy', 'train']),
});
