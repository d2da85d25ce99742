// The `vthinker` command line: finds the command (src/commands/, or one the project adds in pipeline.ts), answers
// --help without loading the project, and turns errors the user can fix into one line and exit code 2.
import { parseArgs } from 'node:util';
import { COMMANDS, usage } from './commands/index.ts';
import { out } from './commands/command.ts';
import { isUserError, UserError } from './errors.ts';
import { ensureTsxEsm } from './load-module.ts';
import { nearest } from './params.ts';
import { findRoot, loadProject, profileParams, type Project } from './project.ts';

const wantsHelp = (args: readonly string[]) => args.includes('--help') || args.includes('-h');

export async function main(argv: string[], cwd = process.cwd()): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (!name || name === 'help' || name === '--help' || name === '-h') {
      const about = name === 'help' && rest[0] ? rest[0] : undefined;
      if (about && COMMANDS[about]) return (out((await COMMANDS[about].load()).help), 0);
      out(usage((await projectIfAny(cwd))?.def.commands));
      return name ? 0 : 2;
    }
    const entry = COMMANDS[name];
    if (entry && wantsHelp(rest)) return (out((await entry.load()).help), 0);
    const project = await loadProject(findRoot(cwd));
    if (entry) {
      const command = await entry.load();
      const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
      return await command.run(project, values, positionals);
    }
    const extra = project.def.commands?.[name];
    if (!extra) {
      const known = [...Object.keys(COMMANDS), ...Object.keys(project.def.commands ?? {})];
      const guess = nearest(name, known);
      throw new UserError(`unknown command ${name}${guess ? ` (did you mean ${guess}?)` : ''}; \`vthinker --help\` lists the commands`);
    }
    if (wantsHelp(rest)) return (out(`${extra.usage}\n\n  ${extra.summary}`), 0);
    await ensureTsxEsm(); // project commands import more TypeScript at run time
    const profile = profileParams(project, parseProfileOnly(rest)).profile;
    return (await extra.run(rest, { root: project.root, profile })) ?? 0;
  } catch (error) {
    const parseError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (isUserError(error) || parseError) {
      const help = parseError && name && COMMANDS[name] ? `; \`vthinker ${name} --help\` lists its options` : '';
      process.stderr.write(`vthinker: ${(error as Error).message}${help}\n`);
      return 2;
    }
    throw error;
  }
}

/** The project around `cwd`, for help that lists its commands; help works without one. */
async function projectIfAny(cwd: string): Promise<Project | undefined> {
  try {
    return await loadProject(findRoot(cwd));
  } catch {
    return undefined;
  }
}

function parseProfileOnly(args: string[]): string | undefined {
  const i = args.findIndex((a) => a === '--profile' || a === '-p');
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith('--profile='))?.slice(10);
}
