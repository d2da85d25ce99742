// The V-Thinker reproduction as a stage graph: the data flywheel, the training curriculum, the benchmark.
//   synthesize -> evolve -> verify -> perception -> (warm-start) -> rl1 -> rl2 -> vtbench
// plus what the benchmark's ablations need: the direct-answer `base`, and `rl1-noperc -> rl2-noperc` (the
// curriculum without perception alignment). `benchmark` builds the held-out items; `eval@<variant>` scores each
// model on them; `vtbench` gathers the table.
import { from, pipeline } from '@vthinker/engine';
import evolve from './stages/evolve.ts';
import perception from './stages/perception.ts';
import { coldStartStage } from './stages/rl1.ts';
import rl2, { grpoStage } from './stages/rl2.ts';
import synthesize from './stages/synthesize.ts';
import verify from './stages/verify.ts';
import warmStart from './stages/warm-start.ts';
import benchmark from './stages/benchmark.ts';
import evaluations from './stages/eval.ts';
import vtbench from './stages/vtbench.ts';

// rl1 starts from the perception checkpoint as handed over by warm-start (shrunk and perturbed). It is built here, not
// as stages/rl1.ts's default export, so that file (shared with base and rl1-noperc) and their keys stay as they were.
const rl1 = coldStartStage({ name: 'rl1', block: 'rl1', init: from('warm-start', 'model'), description: 'cold-start SFT on interactive trajectories, from the perception checkpoint (via warm-start)' });
const base = coldStartStage({ name: 'base', block: 'base', direct: true, description: 'direct-answer base model: the reasoning questions and answers, no interaction, no perception alignment' });
const rl1NoPerc = coldStartStage({ name: 'rl1-noperc', block: 'rl1', description: 'ablation: cold-start SFT from scratch (no perception alignment)' });
const rl2NoPerc = grpoStage('rl2-noperc', 'rl1-noperc', 'ablation: GRPO from rl1-noperc');

export default pipeline({
  name: 'vthinker',
  params: 'params.yaml',
  stages: [synthesize, evolve, verify, perception, warmStart, rl1, rl2, base, rl1NoPerc, rl2NoPerc, benchmark, ...evaluations, vtbench],
  commands: {
    judge: {
      summary: 'score outputs produced elsewhere on a benchmark file (official JSON, JSON lines or parquet); --judge rules|model|both; --help',
      usage: 'vthinker judge --bench FILE --outputs DIR [--results DIR] [--against DIR2] [--judge rules|model|both --judge-endpoint URL --judge-model NAME] [--json]',
      run: async (args) => (await import('./vthinker/bench/cli.ts')).judgeCommand(args),
    },
    eval: {
      summary: 'run a model (our trained policy, or any VLM behind --endpoint) on a benchmark file and score it as judge does; --help',
      usage: 'vthinker eval --model STAGE|DIR --bench FILE [--out DIR] [--results DIR] [--judge rules|model|both ...] [--json] | --endpoint URL --model NAME --bench FILE [--concurrency N]',
      run: async (args, env) => (await import('./vthinker/bench/eval-cli.ts')).evalCommand(args, env),
    },
    serve: {
      summary: 'serve a trained model behind an OpenAI-compatible /v1/chat/completions endpoint',
      usage: 'vthinker serve --model STAGE|DIR [--port 8000] [--host 127.0.0.1] [--name NAME]',
      run: async (args, env) => (await import('./vthinker/serve/cli.ts')).serveCommand(args, env),
    },
    sandbox: {
      summary: 'run one program (Python or the drawing language) on an image in the sandbox',
      usage: 'vthinker sandbox --image FILE --code FILE [--lang python|draw] [--out DIR]',
      run: async (args) => (await import('./vthinker/sandbox/cli.ts')).sandboxCommand(args),
    },
    report: {
      summary: 'write a static HTML report of a profile (tables, vega-lite charts, galleries) into the store',
      usage: 'vthinker report [--profile P] [--json]',
      run: async (args, env) => (await import('./vthinker/report/command.ts')).reportCommand(args, env),
    },
    infer: {
      summary: 'run a trained model on one image and question; prints the trajectory, writes each view',
      usage: 'vthinker infer --stage STAGE|--model DIR --image FILE.png --question "..." [--rounds 5] [--out DIR]',
      run: async (args, env) => (await import('./vthinker/cli/model-commands.ts')).inferCommand(args, env),
    },
  },
});
