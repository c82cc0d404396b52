/**
 * Predictions as records — one object per input record, `{ row, label, class, probability,
 * explanation? }` — and as CSV or JSON lines: the documented output of `nadir predict` that the
 * HTTP API and the stream workers give too.
 */
import type { Detector } from '../model/detector.js';
import { displayLabel, type Predictions } from './predict.js';

export interface PredictionRecord {
  row: number;
  label: string;
  class: string;
  probability: number;
  explanation?: Array<{ feature: string; value: number }>;
}

export function predictionRecord(detector: Detector, p: Predictions, i: number): PredictionRecord {
  const rec: PredictionRecord = { row: p.recordNumbers[i]!, label: displayLabel(detector, p.pred[i]!), class: p.classes[p.pred[i]!]!, probability: p.score[i]! };
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
  const header = ['row', 'label', 'class', 'probability'];
  if (p.explanations) header.push('explanation');
  const lines = [header.join(',')];
  for (let i = 0; i < p.nRows; i++) {
    const cells = [String(p.recordNumbers[i]), displayLabel(detector, p.pred[i]!), csvCell(p.classes[p.pred[i]!]!), p.score[i]!.toFixed(6)];
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

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
