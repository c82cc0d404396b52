import type { LoadedData } from '../data/load.js';
import { tableRecords } from '../data/table-records.js';

/** Loaded data as JSON records, the way a client sends them (numbers as numbers, categories as strings, missing as null). */
export function dataToRecords(data: LoadedData): Array<Record<string, unknown>> {
  return tableRecords(data.features);
}
