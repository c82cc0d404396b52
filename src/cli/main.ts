#!/usr/bin/env node
import { Command } from 'commander';
import { NADIR_VERSION } from '../version.js';
import { registerEda } from './commands/eda.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerInspect } from './commands/inspect.js';
import { registerPredict } from './commands/predict.js';
import { registerTrain } from './commands/train.js';
import { fail } from './output.js';

const pkg = { version: NADIR_VERSION };

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('nadir')
    .description('Network anomaly detection: explore traffic datasets, train and evaluate detectors, serve them.')
    .version(pkg.version)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  registerInspect(program);
  registerEda(program);
  registerTrain(program);
  registerEvaluate(program);
  registerPredict(program);
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  fail(e);
}
