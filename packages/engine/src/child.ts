// The child process side of ProcessExecutor: loads the pipeline, runs one stage body, reports events over IPC.
// If the coordinator dies, the IPC channel closes and the child exits: an orphan never keeps working unseen.
import { pathToFileURL } from 'node:url';
import { makeContext } from './context.ts';
import type { PipelineDef, FunctionStage } from './define.ts';
import type { ChildMessage, ParentMessage } from './executor.ts';

const send = (m: ChildMessage) => process.send?.(m);
const sendAndWait = (m: ChildMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));
const orphaned = () => process.exit(70);
process.on('disconnect', orphaned);

process.once('message', async (m: ParentMessage) => {
  try {
    const { spec } = m;
    const def = ((await import(pathToFileURL(m.pipelinePath).href)) as { default: PipelineDef }).default;
    const stage = def.stages.find((s) => s.name === spec.stage) as FunctionStage | undefined;
    if (!stage || typeof stage.run !== 'function') throw new Error(`stage ${spec.stage} not found in ${m.pipelinePath}`);
    const ctx = makeContext(spec, {
      progress: (done, total, note) => send({ type: 'event', event: { type: 'progress', stage: spec.stage, done, total, ...(note ? { note } : {}) } }),
      metric: (name, value) => send({ type: 'event', event: { type: 'metric', stage: spec.stage, name, value } }),
      log: (line) => console.log(line),
    });
    await stage.run(ctx);
    await sendAndWait({ type: 'done' });
    finish(0);
  } catch (error) {
    const e = error as Error;
    await sendAndWait({ type: 'error', message: e.name === 'UserError' ? e.message : (e.stack ?? String(e)) });
    finish(1);
  }
});

/** Exits even if the stage left timers or workers running: its outputs are already on disk. */
function finish(code: number): void {
  process.off('disconnect', orphaned);
  process.exit(code);
}
