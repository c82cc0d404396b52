#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { nadirError } from '../errors.js';
import { NADIR_VERSION } from '../version.js';
import { fail } from './output.js';

const pkg = { version: NADIR_VERSION };

/**
 * The commands, in help order, each with the module that defines it. A command's module (and what
 * it imports: DuckDB, Fastify, the learners, the report renderers…) is loaded only when needed:
 * `nadir flows …` loads the flows command alone; help, version and anything that is not a
 * command name load them all.
 */
const COMMANDS: readonly (readonly [string, () => Promise<(program: Command) => void>])[] = [
  ['inspect', async () => (await import('./commands/inspect.js')).registerInspect],
  ['eda', async () => (await import('./commands/eda.js')).registerEda],
  ['train', async () => (await import('./commands/train.js')).registerTrain],
  ['evaluate', async () => (await import('./commands/evaluate.js')).registerEvaluate],
  ['predict', async () => (await import('./commands/predict.js')).registerPredict],
  ['serve', async () => (await import('./commands/serve.js')).registerServe],
  ['flows', async () => (await import('./commands/flows.js')).registerFlows],
  ['monitor', async () => (await import('./commands/monitor.js')).registerMonitor],
];
const COMMAND_NAMES = COMMANDS.map(([name]) => name);

/**
 * The CLI. Usage errors (unknown command or option, missing option or value, stray argument)
 * do not go through commander's own printing and process.exit: every command's exit hook
 * turns them into one line `nadir: <message> (see nadir <cmd> --help)` and exit code 2,
 * printed by fail() like every other error. --help and --version exit 0.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const first = argv[2];
  const needed = COMMANDS.filter(([name]) => first === undefined || !COMMAND_NAMES.includes(first) || name === first);
  const registers = await Promise.all(needed.map(([, load]) => load()));
  const program = new Command();
  program
    .name('nadir')
    .description('Network anomaly detection: explore traffic datasets, train and evaluate detectors, serve them.')
    .version(pkg.version)
    // commander prints nothing itself for errors; the exit hooks below build the one line
    .configureOutput({ outputError: () => {} });
  for (const register of registers) register(program);
  const names = COMMAND_NAMES;
  program.exitOverride(usageExit(program, names));
  for (const c of program.commands) c.configureOutput({ outputError: () => {} }).exitOverride(usageExit(c, names));
  return program;
}

/** The exit hook of one command: help and version pass through (exit 0), usage errors become a NadirError. */
function usageExit(cmd: Command, commands: readonly string[]): (err: CommanderError) => never {
  return (err) => {
    if (err.exitCode === 0 || err.code === 'commander.help') throw err;
    if (err.code === 'commander.missingMandatoryOptionValue') {
      // commander checks required options before unknown ones; a typo such as --dat is the better error
      const unknown = cmd.args.find((a) => a.startsWith('-') && a !== '-');
      const report = (cmd as unknown as { unknownOption?: (flag: string) => void }).unknownOption;
      if (unknown !== undefined && typeof report === 'function') report.call(cmd, unknown); // throws through this hook
    }
    throw nadirError('NADIR_ERR_BAD_INPUT', usageMessage(err, cmd, commands));
  };
}

/** commander's `error: …` text → nadir's one line, naming the flag by its long form. */
export function usageMessage(err: CommanderError, cmd: Command, commands: readonly string[]): string {
  const [first = '', ...rest] = err.message.replace(/^error: /, '').split('\n');
  const suggestion = /^\(Did you mean (.+)\?\)$/.exec(rest.join(' ').trim())?.[1];
  const long = (flags: string): string => flags.split(/,\s*/).pop()!;
  let msg = first;
  switch (err.code) {
    case 'commander.unknownCommand': {
      const name = /unknown command '(.*)'/.exec(first)?.[1] ?? '';
      return `unknown command '${name}'${suggestion ? `, did you mean '${suggestion}'?` : ''} (commands: ${commands.join(', ')})`;
    }
    case 'commander.unknownOption':
      msg = `${first}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`;
      break;
    case 'commander.missingMandatoryOptionValue':
      msg = first.replace(/^required option '(.+)' not specified$/, (_, f: string) => `missing required option ${long(f)}`);
      break;
    case 'commander.optionMissingArgument':
      msg = first.replace(/^option '(.+)' argument missing$/, (_, f: string) => `option ${long(f)} needs a value`);
      break;
    case 'commander.excessArguments': {
      const stray = cmd.args.slice(cmd.registeredArguments.length);
      if (stray.length) msg = `unexpected argument '${stray[0]}' (options are written --name value)`;
      break;
    }
  }
  const where = cmd.parent ? `nadir ${cmd.name()}` : 'nadir';
  return `${msg} (see ${where} --help)`;
}

export async function main(argv: readonly string[]): Promise<void> {
  const [first, second] = argv.slice(2);
  const names = COMMAND_NAMES;
  try {
    const program = await buildProgram(argv);
    // `nadir help <name>`: commander would print the general help and exit 1 for an unknown name
    if (first === 'help' && second !== undefined && !second.startsWith('-') && !names.includes(second)) {
      throw nadirError('NADIR_ERR_BAD_INPUT', `unknown command '${second}' (commands: ${names.join(', ')})`);
    }
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // help or version (already printed): exit 0; help shown because no command was given: 2
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    fail(e);
  }
}

// `nadir predict … | head`: a reader that stops early is not an error
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
await main(process.argv);
