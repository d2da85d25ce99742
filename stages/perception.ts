// Perception alignment: point-level supervised fine-tuning of the policy on the perception data.
import { from, json, stage } from 'vthinker/engine';

export default stage({
  name: 'perception',
  description: 'point-level SFT (V-Perception analogue) -> policy checkpoint',
  module: import.meta.url,
  params: ['seed', 'perception'],
  inputs: { data: from('synthesize', 'perception') },
  outputs: { plan: json('plan.json') },
  resources: { cpu: 2, gpu: 'optional', memoryMb: 4096 },
  checkpoint: true,
  run: async (ctx) => (await import('./pending.ts')).recordPlan(ctx, 'the tiny V-Thinker issue (policy and training)', ['data']),
});
