// `vthinker report`: the V-Thinker sections handed to the engine's report command (wired in pipeline.ts `commands`).
import { reportCommand as buildAndShow, REPORT_USAGE } from '../../engine/report/command.ts';
import { SECTIONS } from './sections.ts';

export { REPORT_USAGE };

export function reportCommand(args: string[], env: { root: string; profile: string }, log?: (line: string) => void): Promise<number> {
  return buildAndShow(args, env, { title: 'V-Thinker reproduction: report', sections: SECTIONS, ...(log ? { log } : {}) });
}
