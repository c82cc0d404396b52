/**
 * Shared by the serve tests: the fixture model files (test/fixtures/models-v1, written by an
 * earlier nadir and migrated on read), bundled data turned into JSON records, and servers.
 */
import type { FastifyInstance } from 'fastify';
import { readRecords } from '../../app/predict.js';
import type { LoadedData } from '../../data/load.js';
import { Detector } from '../../model/detector.js';
import { dataToRecords } from '../records.js';
import { createServer } from '../server.js';
import type { ModelEntry, ServeOptions } from '../types.js';

const ROOT = new URL('../../../../', import.meta.url);
export const FIXTURES = new URL('test/fixtures/models-v1/', ROOT).pathname;
export const DATA = new URL('data/nsl-kdd/', ROOT).pathname;
/** Every 75th line of KDDTest+ (301 records). */
export const RECORDS_FILE = `${FIXTURES}records.txt.gz`;

export type FixtureModel = 'gbdt-binary' | 'gbdt-category' | 'iforest-binary' | 'logreg-binary' | 'rf-binary';

const cache = new Map<string, Promise<Detector>>();
export function fixtureDetector(name: FixtureModel): Promise<Detector> {
  let d = cache.get(name);
  if (!d) cache.set(name, (d = Detector.load(`${FIXTURES}${name}.nadir`)));
  return d;
}

export async function fixtureModels(...names: FixtureModel[]): Promise<ModelEntry[]> {
  return Promise.all(names.map(async (id) => ({ id, detector: await fixtureDetector(id) })));
}

/** A server over fixture models (the first is the default). */
export async function fixtureServer(names: FixtureModel[], opts: Omit<ServeOptions, 'models'> = {}): Promise<FastifyInstance> {
  return createServer({ models: await fixtureModels(...names), ...opts });
}

/** Loaded data as JSON records, the way a client would send them. */
export const toRecords = dataToRecords;

/** A data file's records as JSON records, read as the model reads them (nadir predict). */
export async function recordsOf(detector: Detector, path: string): Promise<{ data: LoadedData; records: Array<Record<string, unknown>> }> {
  const data = await readRecords(detector, path);
  return { data, records: toRecords(data) };
}
