import type { Command } from 'commander';
import type { LoadOptions } from '../data/load.js';
import type { ColumnKind, DatasetFormat } from '../data/types.js';
import { nadirError } from '../errors.js';

/** The options every command that reads a dataset shares. */
export function withDataOptions(cmd: Command): Command {
  return cmd
    .option('-l, --label <column>', 'label column (default: the format\'s own, or a column named label/class/attack)')
    .option('--format <name>', 'force a format: nsl-kdd | cic-ids2017 | unsw-nb15 | zeek-conn | suricata-eve | generic')
    .option('--normal <values>', 'comma-separated label values that count as normal traffic (default per format: normal, BENIGN, 0)')
    .option('--categorical <columns>', 'comma-separated columns to treat as categorical')
    .option('--numeric <columns>', 'comma-separated columns to treat as numeric')
    .option('--keep <columns>', 'comma-separated identifier columns (addresses, times, flow ids) to use as model inputs all the same')
    .option('--no-header', 'the CSV has no header row (default: detected)');
}

const FORMATS: DatasetFormat[] = ['nsl-kdd', 'cic-ids2017', 'unsw-nb15', 'zeek-conn', 'suricata-eve', 'generic'];

export function loadOptionsFrom(o: Record<string, unknown>): LoadOptions {
  const opts: LoadOptions = {};
  if (typeof o.label === 'string') opts.label = o.label;
  if (typeof o.format === 'string') {
    if (!FORMATS.includes(o.format as DatasetFormat)) throw nadirError('NADIR_ERR_BAD_OPTION', 'format', `expected one of ${FORMATS.join(', ')}, got '${o.format}'`);
    opts.format = o.format as DatasetFormat;
  }
  if (typeof o.normal === 'string') opts.normal = splitList(o.normal);
  const kinds: Record<string, ColumnKind> = {};
  if (typeof o.categorical === 'string') for (const c of splitList(o.categorical)) kinds[c] = 'categorical';
  if (typeof o.numeric === 'string') for (const c of splitList(o.numeric)) kinds[c] = 'numeric';
  if (Object.keys(kinds).length) opts.kinds = kinds;
  if (o.header === false) opts.header = false;
  if (typeof o.keep === 'string') {
    const keep = splitList(o.keep);
    if (!keep.length) throw nadirError('NADIR_ERR_BAD_OPTION', '--keep', 'expected one or more comma-separated column names');
    opts.keep = keep;
  }
  return opts;
}

/**
 * `--drop <columns>`: input columns to leave out of training (an identifier such as a flow id, a
 * timestamp, an address). Only `train` takes it: a model never sees the dropped columns, so
 * `evaluate` and `predict` ignore them in their input without being told.
 */
export function withDropOption(cmd: Command): Command {
  return cmd.option('--drop <columns>', 'comma-separated input columns to leave out of training (identifiers such as a flow id or a timestamp)');
}

/** The `--drop` columns, or undefined when the option was not given. */
export function dropListFrom(o: Record<string, unknown>): string[] | undefined {
  if (typeof o.drop !== 'string') return undefined;
  const names = splitList(o.drop);
  if (!names.length) throw nadirError('NADIR_ERR_BAD_OPTION', '--drop', 'expected one or more comma-separated column names');
  return names;
}

export function splitList(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter((x) => x !== '');
}
