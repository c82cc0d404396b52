/**
 * Predictions as records — one object per input record, `{ row, fields?, label, class,
 * probability, explanation? }` — and as CSV or JSON lines: the documented output of `nadir
 * predict` that the HTTP API and the stream workers give too. `fields` holds the record's values
 * of the columns the model ignored as identifiers (addresses, time, flow id), so an alert still
 * says which flow it is about; in CSV they are columns after `row`.
 */
import type { Column } from '../data/types.js';
import type { Detector } from '../model/detector.js';
import type { Contribution } from '../model/explain.js';
import { displayLabel, firedPart, type Predictions } from './predict.js';

export interface PredictionRecord {
  row: number;
  fields?: Record<string, string | number | null>;
  label: string;
  class: string;
  probability: number;
  explanation?: Contribution[];
  /** Hybrid model: which part fired ('known-attack', 'anomaly', 'both', 'none'), the supervised part's P(attack), the anomaly score. */
  part?: 'known-attack' | 'anomaly' | 'both' | 'none';
  supervisedProbability?: number;
  anomalyScore?: number;
  /** Hybrid model with explanations: the anomaly part's top contributions (to its distance from normal traffic). */
  anomalyExplanation?: Contribution[];
}

export function predictionRecord(detector: Detector, p: Predictions, i: number): PredictionRecord {
  let fields: Record<string, string | number | null> | undefined;
  if (p.passthrough) {
    fields = {};
    for (let j = 0; j < p.passthrough.names.length; j++) fields[p.passthrough.names[j]!] = cellValue(p.passthrough.columns[j]!, i);
  }
  // `fields` second, after `row`, as in the CSV
  const rec: PredictionRecord = { row: p.recordNumbers[i]!, ...(fields ? { fields } : {}), label: displayLabel(detector, p.pred[i]!), class: p.classes[p.pred[i]!]!, probability: p.score[i]! };
  if (p.explanations) rec.explanation = p.explanations[i]!;
  if (p.hybrid) {
    rec.part = firedPart(p.hybrid.fired[i]!);
    rec.supervisedProbability = p.hybrid.probability[i]!;
    rec.anomalyScore = p.hybrid.anomaly[i]!;
    if (p.hybrid.anomalyExplanations) rec.anomalyExplanation = p.hybrid.anomalyExplanations[i]!;
  }
  return rec;
}

/** One contribution as text: `service=private:+3.5600` (the input value after '=' when known), `src_bytes=0:+1.2000`. */
export function contributionText(c: Contribution): string {
  const input = c.input === undefined ? '' : `=${c.input === null ? '' : typeof c.input === 'number' ? String(c.input) : c.input}`;
  return `${c.feature}${input}:${c.value >= 0 ? '+' : ''}${c.value.toFixed(4)}`;
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
  if (p.hybrid) header.push('part', 'supervised_probability', 'anomaly_score');
  if (p.explanations) header.push('explanation');
  if (p.hybrid?.anomalyExplanations) header.push('anomaly_explanation');
  const lines = [header.join(',')];
  for (let i = 0; i < p.nRows; i++) {
    const cells = [String(p.recordNumbers[i]), ...(pass ? pass.columns.map((c) => csvCell(String(cellValue(c, i) ?? ''))) : []), displayLabel(detector, p.pred[i]!), csvCell(p.classes[p.pred[i]!]!), p.score[i]!.toFixed(6)];
    if (p.hybrid) cells.push(firedPart(p.hybrid.fired[i]!), p.hybrid.probability[i]!.toFixed(6), p.hybrid.anomaly[i]!.toFixed(6));
    if (p.explanations) cells.push(csvCell(p.explanations[i]!.map(contributionText).join(' ')));
    if (p.hybrid?.anomalyExplanations) cells.push(csvCell(p.hybrid.anomalyExplanations[i]!.map(contributionText).join(' ')));
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
