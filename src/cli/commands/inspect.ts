import type { Command } from 'commander';
import { inspectDataset } from '../../app/inspect.js';
import { loadData, requireLabel } from '../../data/load.js';
import { CollectingLogger } from '../../logger.js';
import { checkKeep } from '../../data/drop-columns.js';
import { warningText, withFlagNames } from '../flags.js';
import { fmtInt, printJson, table } from '../output.js';
import { loadOptionsFrom, withDataOptions } from '../data-options.js';

export function registerInspect(program: Command): void {
  withDataOptions(
    program
      .command('inspect')
      .description('describe a dataset: format, rows, column types, class distribution, data-quality findings')
      .requiredOption('-d, --data <file>', 'dataset file (CSV, .csv.gz, JSONL, Parquet, Zeek conn.log, Suricata EVE JSON)'),
  )
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      `
Unlabelled data: a file without a label column (a Zeek conn.log, Suricata EVE JSON without
alerts, a flow table without a label) is described all the same: columns, roles and findings,
with "no label column (unlabelled data)" in place of the class distribution.

Zeek and Suricata: a Zeek conn.log (TSV with #fields/#types, or JSON lines) is read as format
zeek-conn, Suricata EVE JSON as suricata-eve (one row per flow event; when the file holds
alerts, a flow is labelled by its first alert's category and the others are 'normal').

Column roles: every column is a model input or an identifier. Identifiers name a flow
rather than describe it and are not model inputs: IP and MAC addresses, timestamps (ISO,
dd/mm/yyyy hh:mm[:ss] as CICFlowMeter writes them, epoch seconds in a column named ts,
stime, …), flow ids (src-dst-sport-dport-proto), Zeek uids, community ids, row numbers
(a column named id of distinct whole numbers). eda summarises them (top talkers); predict
passes them through to each prediction. --keep <columns> makes one a model input all the
same; --drop <columns> leaves any column out. Ports are not identifiers: they stay numeric
inputs (the service a flow talks to is informative).

One-hot: train keeps the 100 most frequent categories of a column (--max-categories); the
rarer ones share an '<other>' column, and inspect flags a column over that limit.

CIC-IDS2017 / CICFlowMeter: the padded CIC-IDS2017 names, the CICFlowMeter-V4 abbreviations
(Tot Fwd Pkts, Dst Port, …), later renamings (Packet Length Min, …) and their snake_case forms
are read under the canonical CIC-IDS2017 names (src/data/formats/cicids.ts); class names are
read in one spelling (Port Scan → PortScan, Botnet → Bot, Backdoors → Backdoor).

Example:
  nadir inspect --data data/nsl-kdd/KDDTest+.txt.gz
  nadir inspect --data flows.csv --label Label --json
  nadir inspect --data flows.csv --keep Timestamp
  nadir inspect --data conn.log`,
    )
    .action(async (o: Record<string, unknown>) => {
      // the findings are printed once, in the report (or in the JSON): collected, never echoed to stderr
      const load = loadOptionsFrom(o);
      // a label is optional: unlabelled data (a Zeek conn.log, EVE JSON without alerts) is described without classes;
      // a label named with --label must exist
      const loadOpts = { ...load, logger: new CollectingLogger() };
      const loaded = await loadData(String(o.data), loadOpts);
      const ds = loaded.labels !== null || load.label !== undefined ? requireLabel(loaded, loadOpts) : loaded;
      if (load.keep) {
        try {
          checkKeep(ds, load.keep);
        } catch (e) {
          withFlagNames(e);
        }
      }
      const r = inspectDataset(ds);
      if (o.json) return printJson(r);
      const out: string[] = [];
      out.push(`${r.file}`);
      out.push(`format: ${r.format}    rows: ${fmtInt(r.rows)}    features: ${r.features}    label: ${r.label ?? 'none'}`);
      const inputs = r.columns.filter((c) => c.role === 'feature');
      const nNum = inputs.filter((c) => c.kind === 'numeric').length;
      const nIds = r.columns.length - inputs.length;
      out.push(`columns: ${nNum} numeric, ${inputs.length - nNum} categorical${nIds ? `, ${nIds} identifier${nIds === 1 ? '' : 's'} (not model inputs)` : ''}`);
      out.push('');
      out.push(table(r.columns.map((c) => [c.name, c.kind, c.role === 'feature' ? 'input' : `identifier: ${c.role}`, c.distinct, c.missing]), ['column', 'type', 'role', 'distinct', 'missing']));
      if (!r.classes) {
        out.push('');
        out.push('no label column (unlabelled data): no class distribution; eda describes the columns, train --model iforest learns from every row as normal traffic, predict scores the rows');
      }
      for (const [kind, dist] of Object.entries(r.classes ?? {})) {
        if (kind === 'label' && Object.keys(dist).length > 40) continue;
        out.push('');
        out.push(`classes (${kind}):`);
        const total = Object.values(dist).reduce((a, b) => a + b, 0);
        out.push(table(Object.entries(dist).map(([k, v]) => [`  ${k}`, v, `${((100 * v) / total).toFixed(1)}%`])));
      }
      out.push('');
      out.push(r.findings.length ? `data-quality findings (${r.findings.length}):` : 'data-quality findings: none');
      for (const f of r.findings) out.push(`  - ${warningText(f)}`);
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
