// VTBench: the held-out benchmark (Perception, Instruction-Guided Interaction, Interactive Reasoning).
import { from, json, stage } from 'vthinker/engine';

export default stage({
  name: 'vtbench',
  description: 'held-out benchmark: perception, instruction-guided interaction, interactive reasoning',
  module: import.meta.url,
  params: ['seed', 'vtbench'],
  inputs: { heldout: from('verify', 'heldout'), policy: from('rl2', 'plan') },
  outputs: { plan: json('plan.json') },
  resources: { cpu: 2, memoryMb: 4096 },
  run: async (ctx) => (await import('./pending.ts')).recordPlan(ctx, 'the VTBench issue', ['heldout', 'policy']),
});
