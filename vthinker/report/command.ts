// `vthinker report`: the V-Thinker sections handed to the engine's report command (wired in pipeline.ts `commands`).
import { REPORT_USAGE, reportCommand as buildAndShow } from '@vthinker/engine/report';
import { SECTIONS } from './sections.ts';

export { REPORT_USAGE };

export function reportCommand(args: string[], env: { root: string; profile: string }, log?: (line: string) => void): Promise<number> {
  return buildAndShow(args, env, { title: 'V-Thinker reproduction: report', sections: SECTIONS, ...(log ? { log } : {}) });
}
