// The V-Thinker reproduction as a stage graph: the data flywheel, the training curriculum, the benchmarks.
//   synthesize -> evolve -> verify -> curriculum-data -> pretrain -> perception -> warm-start -> rl1 -> rl-data -> rl2
// Every model starts from one pretrained generalist (`pretrain`, the base row), as the paper's from Qwen2.5-VL-7B:
// M0 = pretrain -> perception -> rl1 -> rl2 (three RL seeds: rl2, rl2@s1, rl2@s2), M1 = ... -> rl1, M2 = pretrain ->
// rl1-noperc -> rl2-noperc, and the control rft (SFT on rl2's right rollouts). RL trains on its own data (rl-data).
// `benchmark` builds VTBench's items and curriculum-data the general benchmark's; `eval@<variant>` scores each model
// on both; `vtbench` and `general` gather the tables (docs/curriculum.md).
import { pipeline } from '@vthinker/engine';
import evolve from './stages/evolve.ts';
import perception from './stages/perception.ts';
import { pretrain, rl1, rl1NoPerc } from './stages/rl1.ts';
import { rl2NoPerc, rl2Seeds } from './stages/rl2.ts';
import rlData from './stages/rl-data.ts';
import rft from './stages/rft.ts';
import synthesize from './stages/synthesize.ts';
import verify from './stages/verify.ts';
import curriculumData from './stages/curriculum-data.ts';
import warmStart from './stages/warm-start.ts';
import benchmark from './stages/benchmark.ts';
import evaluations from './stages/eval.ts';
import vtbench from './stages/vtbench.ts';
import general from './stages/general.ts';

export default pipeline({
  name: 'vthinker',
  params: 'params.yaml',
  stages: [
    synthesize, evolve, verify, curriculumData, pretrain, perception, warmStart, rl1, rlData, ...rl2Seeds, rl1NoPerc, rl2NoPerc, rft,
    benchmark, ...evaluations, vtbench, general,
  ],
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
