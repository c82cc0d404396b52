// nadir dashboard: plain ES module, no build step. Hash routes: #/models[/<id>], #/predict[/<id>], #/live.
// Talks to the same server's /api/v1 routes; charts are Vega-Lite specs drawn by vega-embed
// (window.vegaEmbed, loaded from /dashboard/vendor/ before this module).

const main = document.getElementById('main');
const keyForm = document.getElementById('key-form');
const keyInput = document.getElementById('key-input');
const KEY = 'nadir-api-key';

/** Elements from a tag, attributes and children (strings become text nodes: no HTML injection). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** JSON from the API, with the API key if one was entered; a 401 shows the key form. */
async function api(path, init = {}) {
  const headers = { accept: 'application/json', ...(init.headers ?? {}) };
  const key = sessionStorage.getItem(KEY);
  if (key) headers['x-api-key'] = key;
  const res = await fetch(path, { ...init, headers });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401) keyForm.hidden = false;
    throw new HttpError(res.status, body?.error?.message ?? `${res.status} ${res.statusText}`);
  }
  return body;
}

keyForm.addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(KEY, keyInput.value);
  keyForm.hidden = true;
  route();
});

const fmt = {
  num: (x, d = 4) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '—'),
  pct: (x, d = 2) => (typeof x === 'number' && Number.isFinite(x) ? `${(100 * x).toFixed(d)}%` : '—'),
  int: (x) => (typeof x === 'number' ? x.toLocaleString('en-US') : '—'),
};

function showError(e) {
  main.replaceChildren(h('p', { class: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e)));
}

async function chart(container, spec) {
  try {
    await window.vegaEmbed(container, spec, { actions: { export: true, source: false, compiled: false, editor: false }, renderer: 'svg' });
  } catch (e) {
    container.replaceChildren(h('p', { class: 'error' }, `chart: ${e.message}`));
  }
}

let models = null;
async function modelList() {
  models ??= await api('/api/v1/models');
  return models;
}

// ---- Models ----------------------------------------------------------------------------------

const METRICS = [
  ['accuracy', 'accuracy', 'pct'],
  ['precision', 'precision (attack)', 'pct'],
  ['recall', 'recall = detection rate', 'pct'],
  ['fpr', 'false-positive rate', 'pct'],
  ['f1', 'F1', 'num'],
  ['rocAuc', 'ROC AUC', 'num'],
  ['prAuc', 'PR AUC', 'num'],
  ['logLoss', 'log loss', 'num'],
  ['n', 'records', 'int'],
];

function metricsTable(card) {
  const sets = [];
  if (card.metrics.cv) sets.push(['cross-validation (out of fold)', card.metrics.cv]);
  for (const [file, m] of Object.entries(card.metrics.test ?? {})) sets.push([`hold-out: ${file}`, m]);
  if (sets.length === 0) return h('p', { class: 'muted' }, 'This model was trained without cross-validation or a hold-out file: no metrics.');
  const multi = card.task !== 'binary';
  const rows = METRICS.filter(([k]) => sets.some(([, m]) => typeof m[k] === 'number' || (multi && typeof m.macro?.[k] === 'number')));
  return h(
    'table',
    { class: 'metrics' },
    h('thead', {}, h('tr', {}, h('th', {}, 'metric'), sets.map(([name]) => h('th', {}, name)))),
    h('tbody', {}, rows.map(([k, name, kind]) => h('tr', {}, h('th', {}, multi && k !== 'accuracy' && k !== 'n' && k !== 'logLoss' ? `${name.replace(' (attack)', '')} (macro)` : name), sets.map(([, m]) => h('td', { class: 'num' }, fmt[kind](multi && m.macro?.[k] !== undefined ? m.macro[k] : m[k])))))),
  );
}

function decisionText(card) {
  const d = card.decision ?? {};
  if (card.task !== 'binary') return `The predicted class is the one with the highest probability among ${card.classes.length} classes.`;
  const positive = card.classes[1] ?? 'attack';
  const t = fmt.num(card.threshold);
  if (d.parts) return `A record is labelled Attack when either part fires: the supervised P(attack) reaches its threshold, or the anomaly distance reaches its threshold while P(attack) is at or above the gate; Normal otherwise. (The card's threshold, ${t}, applies to the combined score, which reaches it exactly when either part fires.)`;
  const score = d.score === 'anomaly' || card.learner.score === 'anomaly' ? 'anomaly score' : `probability of ${positive}`;
  let how = '';
  if (d.method === 'max-fpr') how = ` It was chosen on the out-of-fold scores so that at most ${fmt.pct(d.maxFpr, 1)} of normal traffic is flagged (there: false-positive rate ${fmt.pct(d.oofFpr)}, detection rate ${fmt.pct(d.oofTpr)}).`;
  else if (d.method) how = ` Chosen by: ${d.method}.`;
  return `A record is labelled Attack when its ${score} is ≥ ${t}, Normal otherwise.${how} A lower threshold catches more attacks and raises more false alarms.`;
}

/**
 * A hybrid model (decision.parts): its two thresholds and the gate, each with what it means. The
 * combined threshold on the card is reached exactly when either part fires.
 */
function hybridParts(card) {
  const parts = card.decision?.parts;
  if (!parts) return null;
  const a = parts.anomaly;
  const gate = a.gate ?? 0;
  const value = (field, x) => h('span', { 'data-field': field, 'data-value': String(x) }, fmt.num(x));
  const rows = [
    ['supervised: P(attack) threshold', value('supervised-threshold', parts.supervised.threshold), 'A record is flagged as a known attack when the supervised model’s probability of attack is at or above this.'],
    [
      a.profileScale === 'local' ? 'anomaly: local-scale distance threshold' : 'anomaly: distance threshold',
      value('anomaly-threshold', a.threshold),
      h('span', {}, a.profileScale === 'local' ? 'A record is flagged as an anomaly when its distance to the nearest normal training row, divided by the spacing of normal rows around that row, is at or above this; chosen so that at most ' : 'A record is flagged as an anomaly when its distance to the nearest normal training row is at or above this; chosen so that at most ', h('span', { 'data-field': 'anomaly-budget', 'data-value': String(a.maxFpr) }, fmt.pct(a.maxFpr, 1)), ' of normal training rows reach it out of fold (there: ', h('span', { 'data-field': 'anomaly-oof-fpr', 'data-value': String(a.oofFpr) }, fmt.pct(a.oofFpr)), ' of ', fmt.int(a.normalRows), ' normal rows).'),
    ],
    ['gate: P(attack) for an anomaly alarm', value('gate', gate), gate > 0 ? 'An anomaly alarm stands only when the supervised P(attack) is at or above this; below it the supervised part vetoes it.' : 'No gate: every anomaly alarm stands (a model written before the gate existed).'],
  ];
  return h(
    'div',
    { id: 'hybrid-parts' },
    h('p', {}, 'This is a hybrid model: a supervised classifier for known attacks and an anomaly profile of normal traffic for unknown ones, each with its threshold:'),
    h('table', { class: 'parts' }, h('thead', {}, h('tr', {}, ['part', 'value', 'meaning'].map((c) => h('th', {}, c)))), h('tbody', {}, rows.map(([k, v, m]) => h('tr', {}, h('th', {}, k), h('td', { class: 'num' }, v), h('td', {}, m))))),
  );
}

/** Identifier columns (addresses, time, flow id) the model does not learn from: passed through to alerts. */
function ignoredColumns(card) {
  if (!card.ignored?.length) return null;
  return h(
    'div',
    { id: 'ignored' },
    h('h2', {}, 'Ignored identifier columns'),
    h('p', { class: 'muted' }, 'Passed through, not inputs: each record’s values of these columns come back with its prediction so an alert says which flow it is about.'),
    h('ul', {}, card.ignored.map((c) => h('li', { 'data-column': c.name }, h('code', {}, c.name), c.role ? ` — ${c.role}` : ''))),
  );
}

function provenance(card) {
  const p = card.provenance ?? {};
  const rows = [];
  if (p.data) rows.push(['training data', `${p.data.file} (${fmt.int(p.data.rows)} rows, sha256 ${String(p.data.sha256 ?? '').slice(0, 12)}…)`]);
  if (p.command) rows.push(['command', h('code', {}, p.command)]);
  rows.push(['created', card.createdAt], ['nadir', card.nadirVersion]);
  if (p.node) rows.push(['node', p.node]);
  return h('table', { class: 'provenance' }, h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v)))));
}

async function modelsPage(id) {
  const list = await modelList();
  id ??= list.default;
  const card = await api(`/api/v1/models/${encodeURIComponent(id)}`);
  const charts = await api(`/api/v1/dashboard/models/${encodeURIComponent(id)}/charts`);
  const boxes = [];
  const section = (specs) =>
    h('div', { class: 'charts' }, Object.entries(specs).map(([k, spec]) => {
      const box = h('div', { class: 'chart', 'data-chart': k });
      boxes.push([box, spec]);
      return box;
    }));
  main.replaceChildren(
    h('h1', {}, 'Models'),
    h('ul', { class: 'model-list' }, list.models.map((m) => h('li', {}, h('a', { href: `#/models/${m.id}` }, m.id), ` — ${m.learner.name}, ${m.task}`, m.default ? ' (default)' : ''))),
    h('h2', {}, `Model card: ${card.id}`),
    h(
      'div',
      { class: 'cards', id: 'model-card' },
      [
        ['task', card.task],
        ['learner', `${card.learner.name} (${card.learner.type})`],
        ['classes', card.classes.join(', ')],
        ['threshold', card.threshold === null ? '—' : fmt.num(card.threshold)],
        ['data format', card.format],
        ['inputs', String(card.inputs.length)],
      ].map(([k, v]) => h('div', { class: 'card' }, h('div', { class: 'k' }, k), h('div', { class: 'v', 'data-field': k }, v))),
    ),
    h('h2', {}, 'Decision'),
    h('p', { id: 'decision' }, decisionText(card)),
    hybridParts(card),
    ignoredColumns(card),
    h('h2', {}, 'Metrics: cross-validation vs hold-out'),
    metricsTable(card),
    h('h2', {}, 'Confusion matrices'),
    Object.keys(charts.confusion ?? {}).length ? section(charts.confusion) : h('p', { class: 'muted' }, 'none (no metrics)'),
    h('h2', {}, 'ROC and precision–recall curves'),
    charts.curves
      ? h(
          'div',
          { id: 'curves' },
          h('p', { class: 'muted' }, 'Cross-validation (out-of-fold scores) and every hold-out file, as stored in the model file; ◆ marks the operating point at the decision threshold.'),
          h('p', { class: 'legend', id: 'curve-legend' }, (charts.curveLegend ?? []).map((s) => h('span', { class: 'legend-item' }, h('span', { class: 'swatch', style: `background:${s.color}` }), h('strong', {}, s.label), ` ROC AUC ${fmt.num(s.rocAuc)} · AP ${fmt.num(s.prAuc)}`))),
          section(charts.curves),
        )
      : h('p', { class: 'muted', id: 'curves-note' }, charts.curvesNote ?? 'none'),
    h('h2', {}, 'Feature importance'),
    charts.gain || charts.permutation ? section({ ...(charts.gain ? { gain: charts.gain } : {}), ...(charts.permutation ? { permutation: charts.permutation } : {}) }) : h('p', { class: 'muted' }, 'none recorded'),
    h('h2', {}, 'Provenance'),
    provenance(card),
    h('p', {}, h('a', { href: `#/predict/${card.id}` }, 'Score a record with this model →')),
  );
  await Promise.all(boxes.map(([box, spec]) => chart(box, spec)));
}

// ---- Predict ---------------------------------------------------------------------------------

function recordForm(card) {
  const form = h('form', { class: 'record', id: 'record-form' });
  for (const f of card.inputs) {
    const id = `f-${f.name}`;
    const input =
      f.kind === 'categorical'
        ? h('select', { id, name: f.name }, (f.categories ?? []).map((c) => h('option', { value: c }, c)))
        : h('input', { id, name: f.name, type: 'number', step: 'any', value: '0', required: true });
    form.append(h('label', { for: id }, f.name), input);
  }
  return form;
}

function fill(form, rec) {
  for (const [k, v] of Object.entries(rec)) {
    const el = form.elements.namedItem(k);
    if (el) el.value = String(v);
  }
}

function readRecord(form, card) {
  const rec = {};
  for (const f of card.inputs) {
    const el = form.elements.namedItem(f.name);
    if (f.kind === 'numeric') rec[f.name] = el.value === '' ? null : Number(el.value);
    else rec[f.name] = el.value;
  }
  return rec;
}

function explanationSpec(explanation, card) {
  const positive = card.task === 'binary' ? (card.classes[1] ?? 'attack') : 'the predicted class';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Why: contributions to the score', subtitle: `positive pushes towards ${positive}` },
    width: 320,
    height: { step: 18 },
    data: { values: explanation.map((e) => ({ ...e, towards: e.value >= 0 ? positive : 'against' })) },
    mark: { type: 'bar', cornerRadiusEnd: 2 },
    encoding: {
      y: { field: 'feature', type: 'nominal', sort: { field: 'value', order: 'descending', op: 'max' }, title: null, axis: { labelLimit: 240 } },
      x: { field: 'value', type: 'quantitative', title: 'contribution' },
      color: { field: 'towards', type: 'nominal', scale: { domain: [positive, 'against'], range: ['#d62728', '#4c78a8'] }, legend: null },
      tooltip: [{ field: 'feature' }, { field: 'value', format: '.4f' }],
    },
  };
}

// ---- Predict: CSV upload -------------------------------------------------------------------
// POST /api/v1/models/<id>/predict/csv with the file as the body (gzip'd or not: the server tells
// by the bytes) and Accept: application/x-ndjson → one { row, label, class, probability } a line.

const CSV_SHOWN = 500;
const isAttack = (label) => String(label).toLowerCase() !== 'normal';

/** A CSV cell, quoted when it needs to be. */
const csvCell = (v) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The API's error message from a failed response (JSON { error: { code, message } }, or the status). */
async function responseError(res) {
  const body = await res.json().catch(() => null);
  if (res.status === 401) keyForm.hidden = false;
  const code = body?.error?.code;
  return new HttpError(res.status, `${res.status}${code ? ` ${code}` : ` ${res.statusText}`}: ${body?.error?.message ?? 'the server gave no message'}`);
}

function csvUpload(id) {
  const input = h('input', { type: 'file', id: 'csv-file', accept: '.csv,.gz,.csv.gz,.txt,text/csv,application/gzip' });
  const onlyAttacks = h('input', { type: 'checkbox', id: 'csv-attacks-only' });
  const download = h('button', { type: 'button', id: 'csv-download', disabled: true }, 'Download predictions (CSV)');
  const status = h('div', { id: 'csv-status', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Choose a CSV file of records (with or without header, or .csv.gz) to score it with this model.'));
  const counts = h('div', { class: 'cards', id: 'csv-counts' });
  const body = h('tbody');
  const more = h('p', { class: 'muted', id: 'csv-more' });
  const table = h('table', { class: 'csv-results', id: 'csv-table', hidden: true },
    h('thead', {}, h('tr', {}, ['row', 'label', 'class', 'probability'].map((c) => h('th', {}, c)))), body);
  let rows = [];
  let fileName = 'predictions';
  let uploads = 0; // a newer upload wins over a slower earlier one

  const shown = () => (onlyAttacks.checked ? rows.filter((r) => isAttack(r.label)) : rows);
  const render = () => {
    const view = shown();
    body.replaceChildren(...view.slice(0, CSV_SHOWN).map((r) => {
      const kind = isAttack(r.label) ? 'attack' : 'normal';
      return h('tr', { class: kind }, h('td', { class: 'num' }, r.row), h('td', {}, h('span', { class: `badge ${kind}` }, r.label)), h('td', {}, r.class), h('td', { class: 'num' }, fmt.num(r.probability)));
    }));
    table.dataset.rows = String(view.length);
    more.textContent = view.length > CSV_SHOWN ? `Showing the first ${fmt.int(CSV_SHOWN)} of ${fmt.int(view.length)} rows; ${fmt.int(view.length - CSV_SHOWN)} more are in the download.` : `${fmt.int(view.length)} row${view.length === 1 ? '' : 's'}${onlyAttacks.checked ? ' labelled as attacks' : ''}.`;
    download.disabled = view.length === 0;
  };

  const upload = async () => {
    const file = input.files?.[0];
    if (!file) return;
    const mine = ++uploads;
    rows = [];
    table.hidden = true;
    counts.replaceChildren();
    more.textContent = '';
    download.disabled = true;
    delete table.dataset.rows;
    status.replaceChildren(h('p', { class: 'muted' }, `Scoring ${file.name} (${fmt.int(file.size)} bytes)…`));
    try {
      const gz = /\.gz$/i.test(file.name);
      const headers = { accept: 'application/x-ndjson', 'content-type': gz ? 'application/gzip' : 'text/csv' };
      const key = sessionStorage.getItem(KEY);
      if (key) headers['x-api-key'] = key;
      const res = await fetch(`/api/v1/models/${encodeURIComponent(id)}/predict/csv`, { method: 'POST', headers, body: file });
      if (!res.ok) throw await responseError(res);
      const text = await res.text();
      if (mine !== uploads) return;
      rows = text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
      fileName = file.name.replace(/\.gz$/i, '').replace(/\.[^.]*$/, '') || 'predictions';
      const byLabel = new Map();
      for (const r of rows) byLabel.set(r.label, (byLabel.get(r.label) ?? 0) + 1);
      counts.replaceChildren(
        h('div', { class: 'card' }, h('div', { class: 'k' }, 'records'), h('div', { class: 'v', 'data-label': '' }, fmt.int(rows.length))),
        ...[...byLabel].sort((a, b) => b[1] - a[1]).map(([k, v]) => h('div', { class: 'card' }, h('div', { class: 'k' }, k), h('div', { class: 'v', 'data-label': k }, fmt.int(v)))),
      );
      let warnings = [];
      try {
        warnings = JSON.parse(res.headers.get('x-nadir-warnings') ?? '[]');
      } catch {
        warnings = [];
      }
      status.replaceChildren(h('p', {}, `${file.name}: ${fmt.int(rows.length)} records scored by ${id}.`), warnings.map((w) => h('p', { class: 'warning' }, w)));
      table.hidden = false;
      render();
    } catch (e) {
      if (mine !== uploads) return;
      status.replaceChildren(h('p', { class: 'error', role: 'alert', id: 'csv-error' }, e instanceof Error ? e.message : String(e)));
    }
  };

  input.addEventListener('change', upload);
  onlyAttacks.addEventListener('change', render);
  download.addEventListener('click', () => {
    const lines = ['row,label,class,probability', ...shown().map((r) => [r.row, r.label, r.class, r.probability].map(csvCell).join(','))];
    const url = URL.createObjectURL(new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }));
    const a = h('a', { href: url, download: `${fileName}.predictions${onlyAttacks.checked ? '.attacks' : ''}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 1000);
  });

  return h('section', { class: 'csv-upload', id: 'csv-upload' },
    h('h2', {}, 'Score a CSV file'),
    h('div', { class: 'actions' }, h('label', {}, 'CSV file ', input), h('label', {}, onlyAttacks, ' attacks only'), download),
    status, counts, more, table);
}

async function predictPage(id) {
  const list = await modelList();
  id ??= list.default;
  const card = await api(`/api/v1/models/${encodeURIComponent(id)}`);
  const examples = await api(`/api/v1/dashboard/models/${encodeURIComponent(id)}/examples`);
  const form = recordForm(card);
  const result = h('div', { class: 'result', id: 'result' }, h('p', { class: 'muted' }, 'Fill the form (or load an example) and press Score.'));
  const picker = h('select', { id: 'model-picker', onchange: (e) => (location.hash = `#/predict/${e.target.value}`) }, list.models.map((m) => h('option', { value: m.id, selected: m.id === id }, m.id)));
  const score = async () => {
    result.replaceChildren(h('p', { class: 'muted' }, 'Scoring…'));
    try {
      const route = id === list.default ? '/api/v1/predict' : `/api/v1/models/${encodeURIComponent(id)}/predict`;
      const r = await api(`${route}?explain=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(readRecord(form, card)) });
      const cls = r.label === 'Attack' ? 'attack' : r.label === 'Normal' ? 'normal' : '';
      const box = h('div', { class: 'chart', id: 'explanation-chart' });
      result.replaceChildren(
        h('div', { class: `label ${cls}`, id: 'result-label' }, r.label),
        h('p', {}, card.task === 'binary' ? `P(${card.classes[1]}) = ${fmt.num(r.probability)}, threshold ${fmt.num(r.threshold)}` : `class ${r.class}, probability ${fmt.num(r.probability)}`),
        (r.warnings ?? []).map((w) => h('p', { class: 'error' }, `${w.code}: ${w.message}`)),
        r.explanation?.length ? box : h('p', { class: 'muted' }, 'This model gives no explanation.'),
      );
      if (r.explanation?.length) await chart(box, explanationSpec(r.explanation, card));
    } catch (e) {
      result.replaceChildren(h('p', { class: 'error', role: 'alert' }, e.message));
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    score();
  });
  const exampleButton = (kind, text) => (examples[kind] ? h('button', { type: 'button', id: `example-${kind}`, onclick: () => fill(form, examples[kind]) }, text) : null);
  main.replaceChildren(
    h('h1', {}, 'Predict'),
    h('p', {}, h('label', {}, 'Model ', picker), ' ', h('span', { class: 'muted' }, `${card.inputs.length} inputs; categorical fields list the categories seen in training.`)),
    h('div', { class: 'actions' }, exampleButton('normal', 'Load a normal example'), exampleButton('attack', 'Load an attack example'), h('button', { type: 'button', class: 'primary', id: 'score', onclick: score }, 'Score')),
    h('div', { class: 'predict' }, form, result),
    csvUpload(id),
  );
}

// ---- Router ----------------------------------------------------------------------------------

// ---- Live ------------------------------------------------------------------------------------
// GET /api/v1/events (Server-Sent Events): one event per scored record — API clients' and, with
// `nadir serve --demo`, the replay's. EventSource cannot send headers, so the key goes as ?key=.

const LIVE_ROWS = 50;
const BUCKET_MS = 5000;
const WINDOW_MS = 5 * 60_000;
let leave = null;

async function livePage() {
  const rows = h('tbody');
  const byLabel = h('div', { class: 'cards', id: 'live-labels' });
  const byClass = h('tbody', { id: 'live-classes' });
  const status = h('span', { class: 'muted', id: 'live-status' }, 'connecting…');
  const total = h('span', { id: 'live-total' }, '0');
  const dropped = h('span', { class: 'muted', id: 'live-dropped' });
  const chartBox = h('div', { class: 'chart', id: 'live-chart' });
  main.replaceChildren(
    h('h1', {}, 'Live detections'),
    h('p', {}, status, ' · ', total, ' records scored since this page opened ', dropped),
    h('div', { class: 'charts' },
      h('div', {}, h('h2', {}, 'Attack rate (5-second buckets, last 5 minutes)'), chartBox),
      h('div', {}, h('h2', {}, 'By label'), byLabel, h('h2', {}, 'By class'), h('table', { class: 'live-classes' }, h('thead', {}, h('tr', {}, h('th', {}, 'class'), h('th', {}, 'count'))), byClass)),
    ),
    h('h2', {}, `Latest ${LIVE_ROWS}`),
    h('table', { class: 'live', id: 'live-table' },
      h('thead', {}, h('tr', {}, ['time', 'model', 'label', 'class', 'probability', 'top explanation'].map((c) => h('th', {}, c)))),
      rows),
  );

  const labels = new Map();
  const classes = new Map();
  const buckets = new Map(); // bucket start (ms) → [records, attacks]
  let n = 0;
  let lost = 0;
  let view = null;
  let dirty = false;

  const onDetection = (e) => {
    const d = JSON.parse(e.data);
    n++;
    labels.set(d.label, (labels.get(d.label) ?? 0) + 1);
    classes.set(d.class, (classes.get(d.class) ?? 0) + 1);
    const b = Math.floor(Date.parse(d.time) / BUCKET_MS) * BUCKET_MS;
    const cell = buckets.get(b) ?? [0, 0];
    cell[0]++;
    if (isAttack(d.label)) cell[1]++;
    buckets.set(b, cell);
    const top = d.explanation?.[0];
    const kind = isAttack(d.label) ? 'attack' : 'normal';
    rows.prepend(h('tr', { class: kind },
      h('td', {}, new Date(d.time).toLocaleTimeString()),
      h('td', {}, d.model),
      h('td', {}, h('span', { class: `badge ${kind}` }, d.label)),
      h('td', {}, d.class),
      h('td', { class: 'num' }, fmt.num(d.probability)),
      h('td', {}, top ? `${top.feature} ${top.value >= 0 ? '+' : ''}${fmt.num(top.value, 3)}` : '—')));
    while (rows.children.length > LIVE_ROWS) rows.lastElementChild.remove();
    dirty = true;
  };

  const render = () => {
    if (!dirty) return;
    dirty = false;
    total.textContent = fmt.int(n);
    byLabel.replaceChildren(...[...labels].sort((a, b) => b[1] - a[1]).map(([k, v]) =>
      h('div', { class: 'card' }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, fmt.int(v)))));
    byClass.replaceChildren(...[...classes].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) =>
      h('tr', {}, h('td', {}, k), h('td', { class: 'num' }, fmt.int(v)))));
    const since = Date.now() - WINDOW_MS;
    for (const b of buckets.keys()) if (b < since) buckets.delete(b);
    const values = [...buckets].sort((a, b) => a[0] - b[0]).map(([t, [r, a]]) => ({ time: t, rate: a / r, records: r }));
    if (view) view.data('rate', values).run();
  };

  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 520, height: 200,
    data: { name: 'rate' },
    mark: { type: 'line', point: true, color: '#d62728' },
    encoding: {
      x: { field: 'time', type: 'temporal', title: null },
      y: { field: 'rate', type: 'quantitative', title: 'attack rate', axis: { format: '%' }, scale: { domain: [0, 1] } },
      tooltip: [{ field: 'time', type: 'temporal', timeUnit: 'hoursminutesseconds' }, { field: 'rate', format: '.1%' }, { field: 'records' }],
    },
  };
  try {
    view = (await window.vegaEmbed(chartBox, spec, { actions: false, renderer: 'svg' })).view;
  } catch (e) {
    chartBox.replaceChildren(h('p', { class: 'error' }, `chart: ${e.message}`));
  }

  const key = sessionStorage.getItem(KEY);
  const source = new EventSource(`/api/v1/events${key ? `?key=${encodeURIComponent(key)}` : ''}`);
  source.addEventListener('open', () => { status.textContent = 'connected'; });
  source.addEventListener('error', () => { status.textContent = source.readyState === EventSource.CLOSED ? 'disconnected (reload to retry; an API key may be needed)' : 'reconnecting…'; });
  source.addEventListener('detection', onDetection);
  source.addEventListener('dropped', (e) => {
    lost += JSON.parse(e.data).dropped;
    dropped.textContent = `(${fmt.int(lost)} not shown: this page fell behind)`;
  });
  const timer = window.setInterval(render, 2000);
  const fast = window.setTimeout(render, 300);
  leave = () => {
    source.close();
    window.clearInterval(timer);
    window.clearTimeout(fast);
  };
}

const PAGES = { models: modelsPage, predict: predictPage, live: livePage };

async function route() {
  const [, page = 'models', id] = location.hash.split('/');
  const name = page in PAGES ? page : 'models';
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.page === name);
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  leave?.();
  leave = null;
  delete main.dataset.ready;
  try {
    await PAGES[name](id ? decodeURIComponent(id) : undefined);
    main.dataset.ready = name;
  } catch (e) {
    if (e instanceof HttpError && e.status === 401) models = null;
    showError(e);
  }
}

window.addEventListener('hashchange', route);
route();
