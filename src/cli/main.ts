#!/usr/bin/env node
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { registerInspect } from './commands/inspect.js';
import { fail } from './output.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('nadir')
    .description('Network anomaly detection: explore traffic datasets, train and evaluate detectors, serve them.')
    .version(pkg.version)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  registerInspect(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  fail(e);
}
