import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { nadirError } from '../../errors.js';
import { NSL_KDD_COLUMNS } from '../../data/formats/nsl-kdd.js';
import { storedCurveSets } from '../../reports/report-common.js';
import { confusionMatrixSpec, curveSpec, gainSpec, permutationSpec } from '../../reports/training-report-charts.js';
import type { ModelBody } from '../../model/types.js';
import { unknownModel } from '../http-errors.js';
import type { ServedModel } from '../served-model.js';
import { errorResponseSchema } from '../schemas.js';

/**
 * The dashboard at `/`: plain ES modules and CSS with no build step. The files live in the package's
 * top-level `dashboard/` folder (tsc copies nothing but .ts, so keeping them out of src/ means a fresh
 * clone serves exactly what is in git; package.json "files" ships the folder). Vega, Vega-Lite and
 * vega-embed are served from their npm packages' browser bundles (no CDN: the dashboard works offline).
 * Everything is read once, at startup. dashboardApiPlugin adds the two JSON routes only the dashboard
 * needs: the model card's charts as Vega-Lite specs (the training report's own spec functions, so both
 * show the same charts) and two real NSL-KDD records to fill the Predict form.
 */
export const dashboardPlugin: FastifyPluginAsync = async (app) => {
  const root = dashboardRoot();
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const [name, type] of [
    ['index.html', 'text/html; charset=utf-8'],
    ['app.js', 'text/javascript; charset=utf-8'],
    ['app.css', 'text/css; charset=utf-8'],
  ] as const) {
    files.set(name, { body: readFileSync(join(root, name)), type });
  }
  for (const [pkg, name] of VENDOR) files.set(`vendor/${name}`, { body: readFileSync(join(vendorDir(pkg), name)), type: 'text/javascript; charset=utf-8' });

  const send = (name: string) => {
    const f = files.get(name);
    if (!f) throw nadirError('NADIR_ERR_NOT_FOUND', `dashboard file ${JSON.stringify(name.slice(0, 128))}`);
    return f;
  };
  const hidden = { hide: true } as const;
  app.get('/', { config: { rateLimit: false }, schema: hidden }, async (_req, reply) => {
    const f = send('index.html');
    return reply.type(f.type).header('cache-control', 'no-cache').send(f.body);
  });
  app.get('/dashboard/*', { config: { rateLimit: false }, schema: hidden }, async (req, reply) => {
    const f = send((req.params as { '*': string })['*']);
    return reply.type(f.type).header('cache-control', 'no-cache').send(f.body);
  });

};

/**
 * The dashboard's own JSON, registered under /api/v1 after the auth plugin (so the API key guards
 * it like the model card): /api/v1/dashboard/models/:id/charts and …/examples. Hidden from OpenAPI:
 * they serve the dashboard's pages, not clients.
 */
export const dashboardApiPlugin: FastifyPluginAsync = async (app) => {
  const charts = new Map<string, Record<string, unknown>>();
  const examples = new Map<string, Record<string, unknown>>();
  for (const m of app.nadir.models.values()) {
    charts.set(m.id, modelCharts(m.detector.body));
    examples.set(m.id, exampleRecords(m));
  }
  const params = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;
  const looseObject = { type: 'object', additionalProperties: true } as const;
  app.get(
    '/dashboard/models/:id/charts',
    { schema: { hide: true, params, response: { 200: looseObject, '4xx': errorResponseSchema } } },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const c = charts.get(id);
      if (!c) throw unknownModel(id, app.nadir.models.keys());
      return c;
    },
  );
  app.get(
    '/dashboard/models/:id/examples',
    { schema: { hide: true, params, response: { 200: looseObject, '4xx': errorResponseSchema } } },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const e = examples.get(id);
      if (!e) throw unknownModel(id, app.nadir.models.keys());
      return e;
    },
  );
};

/** The browser bundles: UMD builds that set window.vega, window.vegaLite and window.vegaEmbed. */
const VENDOR: ReadonlyArray<readonly [string, string]> = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
];

/** A package's build folder: each package's entry point sits in build/, next to its .min.js bundle. */
function vendorDir(pkg: string): string {
  return dirname(createRequire(import.meta.url).resolve(pkg));
}

/** The package root's dashboard/ folder, found upwards from this file (dist/src/serve/plugins/ once compiled). */
export function dashboardRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'dashboard');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw nadirError('NADIR_ERR_FILE_NOT_FOUND', 'dashboard/index.html (the dashboard files of the nadir package)');
    dir = up;
  }
}

/**
 * The model card's charts, as the training report draws them: importance (gain, permutation),
 * confusion matrices, and for a binary model whose file stores them, the ROC (linear and log FPR)
 * and precision–recall curves of cross-validation and every hold-out file (`curves`; absent for a
 * file without curves: `curvesNote` says why).
 */
function modelCharts(body: ModelBody): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const { gain, permutation } = body.importance ?? {};
  if (gain && gain.length > 0) out.gain = gainSpec(gain);
  if (permutation && permutation.length > 0) out.permutation = permutationSpec(permutation, body.task === 'binary' ? 'ROC AUC' : 'macro F1');
  const confusion: Record<string, unknown> = {};
  const { cv, test } = body.metrics ?? {};
  if (cv) confusion.cv = confusionMatrixSpec(cv, 'Cross-validation (out of fold)');
  for (const [file, m] of Object.entries(test ?? {})) confusion[`test:${file}`] = confusionMatrixSpec(m, `Hold-out: ${file}`);
  out.confusion = confusion;
  const sets = storedCurveSets(body);
  if (body.task !== 'binary' || body.classes.length !== 2) out.curvesNote = 'ROC and precision–recall curves are drawn for binary (normal vs attack) models.';
  else if (sets.length === 0) out.curvesNote = 'This model was trained without cross-validation or a hold-out file: no curves.';
  else if (!sets.some((s) => s.metrics.curves)) out.curvesNote = 'This model file stores no ROC or precision–recall curves (it was written by a nadir that did not keep them): train it again to see them here.';
  else {
    out.curves = { roc: curveSpec('roc', sets), 'roc-log': curveSpec('roc', sets, { logFpr: true }), pr: curveSpec('pr', sets) };
    // the specs draw no legend (as in the training report): the page shows this one, with each set's areas
    out.curveLegend = sets.map((s) => ({ label: s.label, color: s.color, rocAuc: s.metrics.rocAuc, prAuc: s.metrics.prAuc }));
  }
  return out;
}

/**
 * Two real records of KDDTest+ (lines 3 and 1: an ftp_data transfer labelled normal, and a
 * rejected SYN to a private port labelled neptune, a SYN flood), offered by the Predict page when
 * the model reads NSL-KDD columns; other models get none.
 */
const NSL_KDD_EXAMPLES = {
  normal: '2,tcp,ftp_data,SF,12983,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1,0.00,0.00,0.00,0.00,1.00,0.00,0.00,134,86,0.61,0.04,0.61,0.02,0.00,0.00,0.00,0.00',
  attack: '0,tcp,private,REJ,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,229,10,0.00,0.00,1.00,1.00,0.04,0.06,0.00,255,10,0.04,0.06,0.00,0.00,0.00,0.00,1.00,1.00',
};

function exampleRecords(m: ServedModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [kind, line] of Object.entries(NSL_KDD_EXAMPLES)) {
    const cells = line.split(',');
    const full = new Map<string, string>(NSL_KDD_COLUMNS.slice(0, cells.length).map((c, i) => [c, cells[i] as string]));
    if (!m.inputs.every((f) => full.has(f.name))) return {};
    const rec: Record<string, string | number> = {};
    for (const f of m.inputs) {
      const v = full.get(f.name) as string;
      rec[f.name] = f.kind === 'numeric' ? Number(v) : v;
    }
    out[kind] = rec;
  }
  return out;
}
