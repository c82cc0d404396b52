import { nadirError } from '../errors.js';
import { textLines } from './text-lines.js';
import { ColumnBuilder, parseCell } from './column-builder.js';
import type { RawColumns } from './csv.js';

/**
 * Zeek's ASCII (TSV) logs — conn.log and the others — as Zeek writes them: `#separator \x09`,
 * `#set_separator`, `#empty_field (empty)`, `#unset_field -`, `#path`, `#open`, then `#fields` and
 * `#types` naming and typing the tab-separated columns, data lines, and `#close`. The types say
 * how each column is read: `time`, `interval`, `double`, `count`, `int`, `port` → numbers (`ts`
 * is then recognised as an epoch time); `bool` (`T`/`F`) → 1/0; `addr`, `string`, `enum`,
 * `subnet`, sets and vectors → text (addresses are then identifiers). The unset field (`-`) and
 * the empty field are missing values; `\xNN` escapes in text are decoded. A data line with
 * another number of fields than `#fields` is skipped and counted, like a ragged CSV row.
 * Several log files concatenated (a second header block) must repeat the same `#fields`.
 * Zeek's JSON logs (`LogAscii::use_json`) are JSON lines, read by the JSON Lines reader.
 */
export async function readZeek(chunks: AsyncIterable<Buffer>, path: string, opts: { keepSkipped?: boolean } = {}): Promise<RawColumns> {
  const r = new ZeekReader(path, opts.keepSkipped ?? false);
  for await (const l of textLines(chunks)) r.line(l);
  return r.finish();
}

/** How a column's values are read: by its Zeek type, or inferred like a CSV cell when the log has no #types line. */
type Kind = 'number' | 'bool' | 'text' | 'infer';

const NUMERIC_TYPES = new Set(['time', 'interval', 'double', 'count', 'int', 'port']);

/** The first bytes of a Zeek ASCII log (its first directive). */
export function looksLikeZeek(head: string): boolean {
  return head.startsWith('#separator') || head.startsWith('#fields\t');
}

class ZeekReader {
  private separator = '\t';
  private unset = '-';
  private empty = '(empty)';
  private fields: string[] | null = null;
  private kinds: Kind[] = [];
  private builders: ColumnBuilder[] = [];
  private nRows = 0;
  private lineNo = 0;
  private records = 0;
  private skippedRows = 0;
  private readonly skippedExamples: number[] = [];
  private readonly skippedRecords: number[] = [];
  private pendingTypes: string[] | null = null;
  private logPath: string | null = null;

  constructor(
    private readonly path: string,
    private readonly keepSkipped: boolean,
  ) {}

  line(raw: string): void {
    this.lineNo++;
    const s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (s === '') return;
    if (s.startsWith('#')) {
      this.directive(s);
      return;
    }
    if (!this.fields) throw nadirError('NADIR_ERR_BAD_FORMAT', this.path, `line ${this.lineNo}: a data line before the #fields line of a Zeek log`);
    this.records++;
    const cells = s.split(this.separator);
    if (cells.length !== this.fields.length) {
      this.skippedRows++;
      if (this.skippedExamples.length < 5) this.skippedExamples.push(this.lineNo);
      if (this.keepSkipped) this.skippedRecords.push(this.records);
      return;
    }
    for (let j = 0; j < cells.length; j++) {
      const b = this.builders[j]!;
      const v = cells[j]!;
      if (v === this.unset || v === this.empty || v === '') {
        b.pushMissing();
        continue;
      }
      const kind = this.kinds[j]!;
      if (kind === 'bool') {
        if (v === 'T') b.pushNumber(1);
        else if (v === 'F') b.pushNumber(0);
        else throw nadirError('NADIR_ERR_BAD_VALUE', `${this.path} line ${this.lineNo} field '${this.fields[j]}'`, `expected T or F (a Zeek bool), got ${JSON.stringify(v.slice(0, 40))}`);
      } else if (kind === 'number') {
        const c = parseCell(v);
        if (c.kind !== 'number') throw nadirError('NADIR_ERR_BAD_VALUE', `${this.path} line ${this.lineNo} field '${this.fields[j]}'`, `expected a number (Zeek type ${this.typeOf(j)}), got ${JSON.stringify(v.slice(0, 40))}`);
        b.pushNumber(c.value);
      } else if (kind === 'text') b.pushText(unescape(v), this.lineNo);
      else b.pushCell(unescape(v), this.lineNo);
    }
    this.nRows++;
  }

  private typeOf(j: number): string {
    return this.pendingTypes?.[j] ?? this.kinds[j]!;
  }

  private directive(s: string): void {
    const sp = s.search(/[ \t]/);
    const key = sp < 0 ? s : s.slice(0, sp);
    const rest = sp < 0 ? '' : s.slice(sp + 1);
    switch (key) {
      case '#separator':
        this.separator = unescape(rest.trim());
        if (this.separator === '') throw nadirError('NADIR_ERR_BAD_FORMAT', this.path, `line ${this.lineNo}: empty #separator`);
        return;
      case '#unset_field':
        this.unset = rest;
        return;
      case '#empty_field':
        this.empty = rest;
        return;
      case '#fields': {
        const names = rest.split(this.separator);
        if (names.length === 0 || names.some((n) => n === '')) throw nadirError('NADIR_ERR_BAD_FORMAT', this.path, `line ${this.lineNo}: a #fields line with an empty name`);
        if (this.fields) {
          if (names.join('\t') !== this.fields.join('\t')) throw nadirError('NADIR_ERR_BAD_FORMAT', this.path, `line ${this.lineNo}: a second #fields line with other fields (concatenated logs of different kinds?)`);
          return;
        }
        this.fields = names;
        this.kinds = names.map(() => 'infer');
        this.builders = names.map((n) => new ColumnBuilder(n, 1024));
        return;
      }
      case '#types': {
        const types = rest.split(this.separator);
        if (!this.fields || types.length !== this.fields.length) throw nadirError('NADIR_ERR_BAD_FORMAT', this.path, `line ${this.lineNo}: #types must follow #fields, one type per field`);
        if (this.nRows > 0 || this.skippedRows > 0) return; // a repeated header block
        this.pendingTypes = types;
        this.kinds = types.map((t) => (NUMERIC_TYPES.has(t) ? 'number' : t === 'bool' ? 'bool' : 'text'));
        // text columns stay categorical even when a value looks like a number (a string field holding "80")
        this.builders.forEach((b, j) => {
          if (this.kinds[j] === 'text') b.forceCategorical();
        });
        return;
      }
      case '#path':
        this.logPath ??= rest.trim();
        return;
      default:
        return; // #set_separator, #open, #close, comments
    }
  }

  finish(): RawColumns {
    if (!this.fields) throw nadirError('NADIR_ERR_BAD_FORMAT', this.path, 'no #fields line: not a Zeek log');
    if (this.nRows === 0 && this.skippedRows === 0) throw nadirError('NADIR_ERR_EMPTY_FILE', this.path);
    return {
      header: this.fields,
      builders: this.builders,
      nRows: this.nRows,
      skippedRows: this.skippedRows,
      skippedExamples: this.skippedExamples,
      width: this.fields.length,
      ...(this.logPath ? { logPath: this.logPath } : {}),
      ...(this.keepSkipped ? { skippedRecords: this.skippedRecords } : {}),
    };
  }
}

/** Zeek's `\xNN` escapes (a separator or a non-printable byte inside a field) decoded. */
function unescape(s: string): string {
  return s.includes('\\x') ? s.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))) : s;
}
