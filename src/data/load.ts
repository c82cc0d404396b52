import { nadirError, opt, renderMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { asCategorical, asNumeric, DictionaryEncoder, parseCell } from './column-builder.js';
import type { CsvReadOptions, RawColumns } from './csv.js';
import { readCsv } from './csv.js';
import { LABEL_CANDIDATES, NSL_KDD_FEATURES, recognise } from './formats/index.js';
import { readJsonl, recordsToColumns } from './jsonl.js';
import { readParquet } from './parquet.js';
import { readZeek } from './zeek.js';
import { readEve } from './suricata.js';
import { assessQuality } from './quality.js';
import { columnRole, ROLE_DESCRIPTIONS } from './roles.js';
import { knownClasses, normaliseClassNames } from './class-names.js';
import { noNormalFinding } from './target.js';
import { probeSource, readChunks, readStream } from './source.js';
import type { CategoricalColumn, Column, Dataset, DatasetFormat, Finding, IdentifierColumn, KindOverrides, Table } from './types.js';

export interface LoadOptions {
  /** The label column (default: the format's own, or a column named label/class/attack/…). */
  label?: string;
  /** Force a format instead of recognising it. */
  format?: DatasetFormat;
  /** CSV header: true, false or 'auto' (default). */
  header?: boolean | 'auto';
  /** CSV field separator (default ','). */
  delimiter?: string;
  /** Override inferred column kinds. */
  kinds?: KindOverrides;
  /** Label values that count as normal traffic (default: per format — normal, BENIGN, 0). */
  normal?: readonly string[];
  /** Where data-quality findings go as warnings (they are also returned in `findings`). */
  logger?: Logger;
  /**
   * What the data is for (default 'train'). 'evaluate' and 'score' leave out the findings that only
   * matter for learning (constant columns, duplicated rows, labels seen once). 'score': the label
   * column, when present, is set aside and not read as a target, so rows with an empty label are
   * kept (they are what is being scored); `labels` and `categories` are null; rows skipped while
   * reading (wrong number of fields) are remembered, so `recordNumbers` names each row's input record.
   */
  role?: 'train' | 'evaluate' | 'score';
  /**
   * Columns recognised as identifiers (addresses, times, flow ids: roles.ts) to keep as model
   * inputs all the same (e.g. an engineered feature that happens to look like a time). Names that
   * are not identifiers, or not columns, are ignored here (the use cases check what the user typed).
   */
  keep?: readonly string[];
  /** Reading progress: bytes read from the file (compressed bytes for gzip) of its size. Parquet reports only the end. */
  onProgress?: (done: number, total: number) => void;
}

/** Findings that matter only for learning from the data, not for evaluating or scoring it. */
const LEARNING_FINDINGS: ReadonlySet<string> = new Set(['constant-column', 'duplicate-rows', 'single-label', 'identifier-columns', 'columns-renamed', 'duplicate-column', 'single-class']);

/** A loaded file whose label may be absent (scoring input). */
export interface LoadedData extends Omit<Dataset, 'labels' | 'categories' | 'labelColumn'> {
  readonly labelColumn: string | null;
  readonly labels: CategoricalColumn | null;
  readonly categories: CategoricalColumn | null;
  /**
   * Role 'score' only: the 1-based number of each row's record in the input (header and blank
   * lines not counted) when rows were skipped while reading, so row i is not record i + 1;
   * null (or absent, as in a Dataset) when row i is record i + 1 (nothing skipped, or another role).
   */
  readonly recordNumbers?: Uint32Array | null;
  /** JSON Lines (a file or stdin): the 1-based line of each row, which names it in errors (`stdin line 3`); null for other inputs. */
  readonly lineNumbers?: Uint32Array | null;
}

/** Read a file (CSV, gzipped CSV, JSONL, Parquet) into columns, recognising its format. Label optional. */
export async function loadData(path: string, opts: LoadOptions = {}): Promise<LoadedData> {
  const info = await probeSource(path);
  const progress = opts.onProgress;
  let raw: RawColumns;
  if (info.kind === 'parquet') {
    progress?.(0, info.size);
    raw = await readParquet(path);
    progress?.(info.size, info.size);
  } else if (info.kind === 'jsonl') raw = await readJsonl(readChunks(info, undefined, progress), path);
  else if (info.kind === 'eve') raw = await readEve(readChunks(info, undefined, progress), path);
  else if (info.kind === 'zeek') raw = await readZeek(readChunks(info, undefined, progress), path, { keepSkipped: opts.role === 'score' });
  else {
    const csvOpts: CsvReadOptions = { header: opts.header ?? 'auto', keepSkipped: opts.role === 'score' };
    if (opts.delimiter !== undefined) csvOpts.delimiter = opts.delimiter;
    raw = await readCsv(readChunks(info, undefined, progress), path, csvOpts);
  }
  return assemble(raw, path, opts);
}

/** Like loadData, but a label column is required: for training, evaluation and EDA. */
export async function loadDataset(path: string, opts: LoadOptions = {}): Promise<Dataset> {
  return requireLabel(await loadData(path, opts), opts);
}

/** JSON lines from a stream (stdin, a request body) through the same checks, recognition and typing as files; `name` names it in errors ('stdin'). */
export async function loadStream(chunks: AsyncIterable<Buffer>, name: string, opts: LoadOptions = {}): Promise<LoadedData> {
  return assemble(await readJsonl(readStream(chunks, name), name), name, opts);
}

/**
 * CSV from a stream (an HTTP upload) through the same checks, recognition and typing as a CSV
 * file; `name` names it in errors. Gzip'd input is for the caller to inflate (source.ts gunzipStream).
 */
export async function loadCsvStream(chunks: AsyncIterable<Buffer>, name: string, opts: LoadOptions = {}): Promise<LoadedData> {
  const csvOpts: CsvReadOptions = { header: opts.header ?? 'auto', keepSkipped: opts.role === 'score' };
  if (opts.delimiter !== undefined) csvOpts.delimiter = opts.delimiter;
  return assemble(await readCsv(readStream(chunks, name), name, csvOpts), name, opts);
}

/** Records from JSON (HTTP API, JSONL on stdin) through the same recognition and typing as files. */
export function dataFromRecords(records: readonly Record<string, unknown>[], opts: LoadOptions & { source?: string } = {}): LoadedData {
  return assemble(recordsToColumns(records, opts.source ?? 'input'), opts.source ?? 'input', opts);
}

export function requireLabel(d: LoadedData, opts: LoadOptions = {}): Dataset {
  if (d.labels && d.categories && d.labelColumn) {
    // the binary target needs normal rows: say so when the normal values match no label value
    const f = noNormalFinding(d.labels, d.normalLabels, d.source);
    if (!f) return d as Dataset;
    (opts.logger ?? silentLogger).warn(f);
    return { ...d, findings: [...d.findings, f] } as Dataset;
  }
  const cols = d.features.columns.map((c) => c.name);
  const shown = cols.slice(0, 12).join(', ') + (cols.length > 12 ? ', …' : '');
  if (d.format === 'nsl-kdd' && cols.length === NSL_KDD_FEATURES) {
    // headerless NSL-KDD without its last two columns: raw records to score, whatever label was asked for
    const what = opts.label !== undefined ? `label column '${opts.label}' not found` : 'no label column';
    throw nadirError('NADIR_ERR_NO_LABEL', d.source, `${what}: these are unlabelled NSL-KDD records (${NSL_KDD_FEATURES} columns, without label and difficulty); nadir predict scores them, everything else needs labelled records (42 or 43 columns)`);
  }
  if (opts.label !== undefined) throw nadirError('NADIR_ERR_NO_LABEL', d.source, `label column '${opts.label}' not found; columns are: ${shown}`);
  throw nadirError('NADIR_ERR_NO_LABEL', d.source, `no label column found (looked for ${LABEL_CANDIDATES.join(', ')}); name it with ${opt('label')} <column>. Columns: ${shown}`);
}

/**
 * Unlabelled data (a Zeek conn.log, EVE JSON without alerts, a flow table without a label
 * column) as a dataset whose every row is normal traffic, marked `unlabelled`: what an anomaly
 * detector (the isolation forest) learns from, and what the label-free parts of the EDA
 * describe. Labelled data is returned as requireLabel returns it. The label column is named
 * `label` (the first name looked for when a model is later evaluated on labelled data).
 */
export function asNormalTraffic(d: LoadedData, opts: LoadOptions = {}): Dataset {
  if (d.labels && d.categories && d.labelColumn) return requireLabel(d, opts);
  const n = d.features.nRows;
  const labels: CategoricalColumn = { kind: 'categorical', name: 'label', codes: new Int32Array(n), dictionary: ['normal'] };
  return { ...d, labelColumn: 'label', labels, categories: labels, normalLabels: ['normal'], unlabelled: true };
}

/** Turn raw builders into a recognised, typed dataset with its findings. */
export function assemble(raw: RawColumns, source: string, opts: LoadOptions = {}): LoadedData {
  const logger = opts.logger ?? silentLogger;
  let findings: Finding[] = [];
  if (raw.nRows === 0) throw nadirError('NADIR_ERR_EMPTY_FILE', source);

  // names: trim padding, name blank ones, make duplicates unique (pandas style: "name.1")
  let names = raw.header ? raw.header.map((h, i) => h.trim() || `c${i}`) : raw.builders.map((b) => b.name);
  if (raw.header) {
    const padded = raw.header.filter((h) => h !== h.trim());
    if (padded.length > 0) {
      findings.push({ code: 'padded-header', count: padded.length, examples: padded.slice(0, 5).map((p) => JSON.stringify(p)), message: `${padded.length} header name${padded.length === 1 ? ' was' : 's were'} padded with spaces (trimmed)` });
    }
    const seen = new Map<string, number>();
    names = names.map((nm) => {
      const k = seen.get(nm) ?? 0;
      seen.set(nm, k + 1);
      if (k === 0) return nm;
      findings.push({ code: 'duplicate-header', column: nm, message: `column '${nm}' appears ${k + 1} times in the header; the repeat is named '${nm}.${k}'` });
      return `${nm}.${k}`;
    });
  }
  if (raw.skippedRows > 0) {
    findings.push({ code: 'ragged-rows', count: raw.skippedRows, examples: raw.skippedExamples, message: `${raw.skippedRows} row${raw.skippedRows === 1 ? '' : 's'} skipped: wrong number of fields (expected ${raw.width}); first at line${raw.skippedExamples.length === 1 ? '' : 's'} ${raw.skippedExamples.join(', ')}` });
  }

  let columns: Column[] = raw.builders.map((b) => b.build());
  const first = (i: number): string | undefined => {
    const c = columns[i];
    if (!c) return undefined;
    if (c.kind === 'numeric') return String(c.values[0]);
    return c.codes[0]! >= 0 ? c.dictionary[c.codes[0]!] : undefined;
  };
  const rec = recognise({ header: raw.header ? names : null, width: columns.length, firstRow: first, ...(raw.logPath !== undefined ? { logPath: raw.logPath } : {}) }, { ...opts, source });
  if (rec.names) names = rec.names.slice(0, columns.length);
  columns = columns.map((c, i) => ({ ...c, name: names[i]! }));
  if (rec.renamed?.length) {
    const shown = rec.renamed.slice(0, 4).map(([f, t]) => `'${f}' → '${t}'`).join(', ');
    findings.push({ code: 'columns-renamed', count: rec.renamed.length, examples: rec.renamed.slice(0, 10).map(([f]) => f), message: `${rec.renamed.length} column${rec.renamed.length === 1 ? '' : 's'} read under ${rec.format === 'cic-ids2017' ? 'the canonical CIC-IDS2017' : 'canonical'} names (${shown}${rec.renamed.length > 4 ? ', …' : ''})` });
  }
  for (const [first, copy] of rec.duplicates ?? []) {
    const a = columns.findIndex((c) => c.name === first);
    const b = columns.findIndex((c) => c.name === copy);
    if (a < 0 || b < 0 || !sameValues(columns[a]!, columns[b]!)) continue;
    columns.splice(b, 1);
    raw.builders.splice(b, 1);
    names.splice(b, 1);
    const dup = findings.findIndex((f) => f.code === 'duplicate-header' && f.column === first);
    if (dup >= 0) findings.splice(dup, 1);
    findings.push({ code: 'duplicate-column', column: copy, message: `column '${copy}' (the second '${first}' in the header) equals '${first}' on every row: read once` });
  }
  for (let i = 0; i < raw.builders.length; i++) {
    const b = raw.builders[i]!;
    if (b.numericTokens > 0 && b.textTokens > 0) {
      findings.push({ code: 'mixed-types', column: names[i]!, count: b.textTokens, examples: [b.firstTextLine], message: `column '${names[i]}' mixes numbers and text (${b.numericTokens} number${b.numericTokens === 1 ? '' : 's'}, ${b.textTokens} text value${b.textTokens === 1 ? '' : 's'}, first text at line ${b.firstTextLine}); read as categorical` });
    }
  }

  // kind overrides
  if (opts.kinds) {
    for (const [name, kind] of Object.entries(opts.kinds)) {
      const i = columns.findIndex((c) => c.name === name);
      if (i < 0) throw nadirError('NADIR_ERR_MISSING_COLUMN', name, `${source} (named in a type override)`);
      if (kind === 'categorical') columns[i] = asCategorical(columns[i]!);
      else {
        const num = asNumeric(columns[i]!);
        if (!num) {
          const c = columns[i] as CategoricalColumn;
          const text = c.dictionary.find((d) => parseCell(d).kind === 'text');
          throw nadirError('NADIR_ERR_BAD_VALUE', `${source} column '${name}'`, `cannot be read as numeric: it holds text such as ${JSON.stringify(text)}`);
        }
        columns[i] = num;
      }
    }
  }

  let nRows = raw.nRows;
  let lineNumbers = raw.recordLines ?? null;
  let labels: CategoricalColumn | null = null;
  const labelIdx = rec.labelColumn === null ? -1 : columns.findIndex((c) => c.name === rec.labelColumn);
  if (labelIdx >= 0 && opts.role !== 'score') {
    labels = asCategorical(columns[labelIdx]!) as CategoricalColumn;
    // rows without a label cannot be used to learn or evaluate: drop them, say so
    let missing = 0;
    for (let i = 0; i < nRows; i++) if (labels.codes[i]! < 0) missing++;
    if (missing > 0) {
      const keep = new Uint32Array(nRows - missing);
      let k = 0;
      for (let i = 0; i < nRows; i++) if (labels.codes[i]! >= 0) keep[k++] = i;
      columns = columns.map((c) => takeColumn(c, keep));
      labels = takeColumn(labels, keep) as CategoricalColumn;
      if (lineNumbers) {
        const lines = lineNumbers;
        lineNumbers = keep.map((r) => lines[r]!);
      }
      findings.push({ code: 'missing-label', column: labels.name, count: missing, message: `${missing} row${missing === 1 ? ' has' : 's have'} no label and ${missing === 1 ? 'was' : 'were'} dropped` });
      nRows = keep.length;
    }
  }
  // class names in one spelling per format (labels, and UNSW-NB15's attack_cat); the raw labels kept for display
  let rawLabels: CategoricalColumn | null = null;
  if (opts.role !== 'score' && rec.format !== 'nsl-kdd') {
    const known = knownClasses(rec.format);
    const classColumns = new Set([...(rec.labelColumn !== null ? [rec.labelColumn] : []), ...(rec.format === 'unsw-nb15' ? ['attack_cat'] : [])]);
    for (const name of classColumns) {
      const isLabel = labels !== null && labels.name === name;
      const idx = columns.findIndex((c) => c.name === name);
      const col = isLabel ? labels : idx >= 0 ? columns[idx] : undefined;
      if (!col || col.kind !== 'categorical') continue;
      const r = normaliseClassNames(col, known);
      if (r.column === col) continue;
      if (isLabel) {
        rawLabels = labels;
        labels = r.column;
      } else columns[idx] = r.column;
      for (const m of r.merged) {
        const list = m.spellings.map((s) => `'${s.raw}' (${s.rows} row${s.rows === 1 ? '' : 's'})`).join(', ');
        findings.push({ code: 'labels-merged', column: name, count: m.spellings.length, examples: m.spellings.map((s) => s.raw), message: `column '${name}': ${m.spellings.length} spellings of one class read as '${m.name}': ${list}` });
      }
    }
  }
  if (labels) {
    const single = singleClassFinding(labels, rawLabels, opts.normal ?? rec.normalLabels);
    if (single) findings.push(single);
  }
  const dropped = new Set([...rec.drop, ...(labelIdx >= 0 ? [rec.labelColumn!] : [])]);
  const byName = (n: string): Column | undefined => columns.find((c) => c.name === n);
  let categories: CategoricalColumn | null = null;
  if (labels) {
    let perRow = rec.categories(labels, byName);
    if (opts.normal && Array.isArray(perRow)) {
      // the user's normal values decide what is 'normal' in the category target too
      const normal = new Set(opts.normal.map((s) => s.toLowerCase()));
      const isNormal = labels.dictionary.map((l) => normal.has(l.toLowerCase()));
      const lab = labels;
      perRow = perRow.map((cat, i) => {
        const c = lab.codes[i]!;
        if (c < 0) return cat;
        if (isNormal[c]) return 'normal';
        return cat === 'normal' ? lab.dictionary[c]! : cat;
      });
    }
    categories = fromStrings('category', perRow);
  }
  // identifiers (addresses, times, flow ids) are set aside: kept for EDA and pass-through, not model inputs
  const keep = new Set(opts.keep ?? []);
  const identifiers: IdentifierColumn[] = [];
  const featureColumns: Column[] = [];
  for (const c of columns) {
    if (dropped.has(c.name)) continue;
    const role = keep.has(c.name) ? 'feature' : (raw.roles?.[c.name] ?? columnRole(c));
    if (role === 'feature') featureColumns.push(c);
    else identifiers.push({ column: c, role });
  }
  if (identifiers.length > 0) findings.push(identifierFinding(identifiers));
  const features: Table = { nRows, columns: featureColumns };
  const quality = assessQuality(features, labels ?? undefined);
  findings.push(...quality);
  if ((opts.role ?? 'train') !== 'train') findings = findings.filter((f) => !LEARNING_FINDINGS.has(f.code));
  // as warnings they name the file (several files are read in one run); the findings themselves belong to it
  for (const f of findings) logger.warn(namedFinding(f, source));
  const normalLabels = opts.normal ?? rec.normalLabels;
  return {
    format: rec.format,
    source,
    features,
    labelColumn: labels ? rec.labelColumn : null,
    labels,
    normalLabels,
    categories,
    findings,
    identifiers,
    rawLabels,
    skippedRows: raw.skippedRows,
    recordNumbers: opts.role === 'score' ? recordNumbers(nRows, raw.skippedRecords) : null,
    lineNumbers,
  };
}

/** The 1-based input record number of each kept row, given the (ascending) numbers of the skipped ones; null when none was skipped. */
export function recordNumbers(nRows: number, skipped: readonly number[] | undefined): Uint32Array | null {
  if (!skipped || skipped.length === 0) return null;
  const out = new Uint32Array(nRows);
  let rec = 1;
  let s = 0;
  for (let i = 0; i < nRows; i++) {
    while (s < skipped.length && skipped[s] === rec) {
      s++;
      rec++;
    }
    out[i] = rec++;
  }
  return out;
}

/** Names row i of loaded data in an error: `stdin line 3` (JSON Lines: its line), else `flows.csv row 7` (its record number in the input). */
export function rowName(d: Pick<LoadedData, 'source' | 'recordNumbers' | 'lineNumbers'>, i: number): string {
  if (d.lineNumbers) return `${d.source} line ${d.lineNumbers[i]!}`;
  return `${d.source} row ${d.recordNumbers ? d.recordNumbers[i]! : i + 1}`;
}

/** A finding as a warning: its message prefixed with the source file. */
function namedFinding(f: Finding, source: string): Finding {
  return { ...f, message: `${source}: ${f.message}`, ...(f.template !== undefined ? { template: `${source}: ${f.template}` } : {}) };
}

/**
 * The finding when every labelled row has the same label: a supervised model needs normal and
 * attack rows; normal rows alone suit an anomaly detector; CICFlowMeter's `No Label` means the
 * flows are unlabelled.
 */
function singleClassFinding(labels: CategoricalColumn, raw: CategoricalColumn | null, normalLabels: readonly string[]): Finding | null {
  let first = -1;
  let n = 0;
  for (let i = 0; i < labels.codes.length; i++) {
    const c = labels.codes[i]!;
    if (c < 0) continue;
    if (first < 0) first = c;
    else if (c !== first) return null;
    n++;
  }
  if (first < 0) return null;
  const value = labels.dictionary[first]!;
  const isNormal = normalLabels.some((v) => v.toLowerCase() === value.toLowerCase());
  const rows = `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;
  let template: string;
  if (/^no ?label$/i.test(value)) template = `all ${rows} are '${value}' (CICFlowMeter's mark for flows it has no label for): unlabelled flows; nadir predict scores them, and ${opt('normal')} '${value}' reads them as normal traffic to train an anomaly detector (${opt('model')} iforest)`;
  else if (isNormal) template = `all ${rows} are ${value}: a supervised model needs attacks too; see ${opt('model')} iforest, which learns from normal traffic only`;
  else template = `all ${rows} are '${value}' and none counts as normal: a model needs normal rows too; check ${opt('label')} / ${opt('normal')}`;
  return { code: 'single-class', column: (raw ?? labels).name, count: n, message: renderMessage(template), template };
}

/** The finding that names the columns set aside as identifiers, and how to keep one. */
function identifierFinding(ids: readonly IdentifierColumn[]): Finding {
  const list = ids.slice(0, 8).map((i) => `'${i.column.name}' (${ROLE_DESCRIPTIONS[i.role]})`).join(', ') + (ids.length > 8 ? ', …' : '');
  const template =
    `${ids.length} column${ids.length === 1 ? ' is an identifier' : 's are identifiers'}, not model inputs: ${list}; ` +
    `they name flows rather than describe them (shown by eda, passed through predictions); ${opt('keep')} <column> makes one an input`;
  return { code: 'identifier-columns', count: ids.length, examples: ids.map((i) => i.column.name), message: renderMessage(template), template };
}

/** Two columns hold the same values on every row (NaN equals NaN; categorical columns compared by value). */
function sameValues(a: Column, b: Column): boolean {
  if (a.kind === 'numeric' && b.kind === 'numeric') {
    for (let i = 0; i < a.values.length; i++) {
      const x = a.values[i]!;
      const y = b.values[i]!;
      if (x !== y && !(x !== x && y !== y)) return false;
    }
    return true;
  }
  if (a.kind === 'categorical' && b.kind === 'categorical') {
    for (let i = 0; i < a.codes.length; i++) {
      const x = a.codes[i]!;
      const y = b.codes[i]!;
      if ((x < 0) !== (y < 0) || (x >= 0 && a.dictionary[x] !== b.dictionary[y])) return false;
    }
    return true;
  }
  return false;
}

/** Copy of a column restricted to the given rows. */
export function takeColumn(c: Column, rows: Uint32Array): Column {
  if (c.kind === 'numeric') {
    const v = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) v[i] = c.values[rows[i]!]!;
    return { ...c, values: v };
  }
  const codes = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) codes[i] = c.codes[rows[i]!]!;
  return { ...c, codes };
}

/** A table restricted to the given rows (a copy). */
export function takeRows(t: Table, rows: Uint32Array): Table {
  return { nRows: rows.length, columns: t.columns.map((c) => takeColumn(c, rows)) };
}

function fromStrings(name: string, values: string[] | Int32Array): CategoricalColumn {
  if (values instanceof Int32Array) throw new TypeError('categories must be strings');
  const dict = new DictionaryEncoder();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const s = values[i]!;
    codes[i] = s === '' ? -1 : dict.code(s);
  }
  return { kind: 'categorical', name, codes, dictionary: dict.dictionary };
}
