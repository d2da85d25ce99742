// The V-Thinker reproduction as a stage graph: the data flywheel, the training curriculum, the benchmark.
//   synthesize -> evolve -> verify -> perception -> rl1 -> rl2 -> vtbench
import { pipeline } from 'vthinker/engine';
import evolve from './stages/evolve.ts';
import perception from './stages/perception.ts';
import rl1 from './stages/rl1.ts';
import rl2 from './stages/rl2.ts';
import synthesize from './stages/synthesize.ts';
import verify from './stages/verify.ts';
import vtbench from './stages/vtbench.ts';

export default pipeline({
  name: 'vthinker',
  params: 'params.yaml',
  stages: [synthesize, evolve, verify, perception, rl1, rl2, vtbench],
  commands: {
    judge: {
      summary: 'score outputs produced elsewhere on a benchmark file (JSON layout or parquet)',
      usage: 'vthinker judge --bench FILE --outputs DIR [--json]',
      run: async (args) => (await import('./vthinker/bench/cli.ts')).judgeCommand(args),
    },
  },
});
