/**
 * Predictions as records — one object per input record, `{ row, fields?, label, class,
 * probability, explanation? }` — and as CSV or JSON lines: the documented output of `nadir
 * predict` that the HTTP API and the stream workers give too. `fields` holds the record's values
 * of the columns the model ignored as identifiers (addresses, time, flow id), so an alert still
 * says which flow it is about; in CSV they are columns after `row`.
 */
import type { Column } from '../data/types.js';
import type { Detector } from '../model/detector.js';
import { displayLabel, type Predictions } from './predict.js';

export interface PredictionRecord {
  row: number;
  fields?: Record<string, string | number | null>;
  label: string;
  class: string;
  probability: number;
  explanation?: Array<{ feature: string; value: number }>;
}

export function predictionRecord(detector: Detector, p: Predictions, i: number): PredictionRecord {
  const rec: PredictionRecord = { row: p.recordNumbers[i]!, label: displayLabel(detector, p.pred[i]!), class: p.classes[p.pred[i]!]!, probability: p.score[i]! };
  if (p.passthrough) {
    const fields: Record<string, string | number | null> = {};
    p.passthrough.names.forEach((n, j) => (fields[n] = cellValue(p.passthrough!.columns[j]!, i)));
    // `fields` second, after `row`, as in the CSV
    return { row: rec.row, fields, label: rec.label, class: rec.class, probability: rec.probability, ...(p.explanations ? { explanation: p.explanations[i]! } : {}) };
  }
  if (p.explanations) rec.explanation = p.explanations[i]!;
  return rec;
}

export function predictionRecords(detector: Detector, p: Predictions): PredictionRecord[] {
  const out: PredictionRecord[] = [];
  for (let i = 0; i < p.nRows; i++) out.push(predictionRecord(detector, p, i));
  return out;
}

/** Predictions per display label, e.g. { Normal: 9000, Attack: 13544 }. */
export function labelCounts(detector: Detector, p: Predictions): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let c = 0; c < p.classes.length; c++) counts[displayLabel(detector, c)] = 0;
  for (let i = 0; i < p.nRows; i++) counts[displayLabel(detector, p.pred[i]!)]!++;
  return counts;
}

/** CSV with a header: row,label,class,probability[,explanation as "column:+value …"]. */
export function predictionsCsv(detector: Detector, p: Predictions): string {
  const pass = p.passthrough;
  const header = ['row', ...(pass ? pass.names.map(csvCell) : []), 'label', 'class', 'probability'];
  if (p.explanations) header.push('explanation');
  const lines = [header.join(',')];
  for (let i = 0; i < p.nRows; i++) {
    const cells = [String(p.recordNumbers[i]), ...(pass ? pass.columns.map((c) => csvCell(String(cellValue(c, i) ?? ''))) : []), displayLabel(detector, p.pred[i]!), csvCell(p.classes[p.pred[i]!]!), p.score[i]!.toFixed(6)];
    if (p.explanations) cells.push(csvCell(p.explanations[i]!.map((c) => `${c.feature}:${c.value >= 0 ? '+' : ''}${c.value.toFixed(4)}`).join(' ')));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** One JSON object per line. */
export function predictionsJsonl(detector: Detector, p: Predictions): string {
  const lines: string[] = [];
  for (let i = 0; i < p.nRows; i++) lines.push(JSON.stringify(predictionRecord(detector, p, i)));
  return `${lines.join('\n')}\n`;
}

/** A column's value at row i as JSON gives it: a number, a string, or null when missing. */
function cellValue(c: Column, i: number): string | number | null {
  if (c.kind === 'numeric') {
    const v = c.values[i]!;
    return Number.isNaN(v) ? null : v;
  }
  const k = c.codes[i]!;
  return k < 0 ? null : c.dictionary[k]!;
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
