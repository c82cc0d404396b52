import type { Command } from 'commander';
import { flowsFormatOf, flowsSummary, writeFlows } from '../../app/flows.js';
import { nadirError } from '../../errors.js';
import { CollectingLogger, type Warning } from '../../logger.js';
import { warningText } from '../flags.js';
import { positiveNumber } from '../option-values.js';
import { checkOutputs, printJson } from '../output.js';
import { createProgress } from '../progress.js';

export function registerFlows(program: Command): void {
  program
    .command('flows')
    .description('packet captures (pcap, pcapng, .gz, or - for stdin) → a flow table with CIC-IDS2017’s columns (CICFlowMeter’s features)')
    .argument('<capture...>', "pcap or pcapng files, gzip'd or not, read in order into one flow table; '-' reads stdin (e.g. tcpdump -w -)")
    .option('-o, --out <file>', 'write the flows to a file: .csv, .jsonl or .parquet (default: CSV on stdout)')
    .option('--mode <mode>', "cic2017: CICFlowMeter's features as CIC-IDS2017 has them, bugs included (so models trained on it see what they were trained on); corrected: its bugs fixed (docs/flows.md)", 'cic2017')
    .option('--active-timeout <s>', "seconds after its first packet at which a flow ends (CICFlowMeter's flow timeout)", '120')
    .option('--idle-timeout <s>', "seconds of silence that end an active period (CICFlowMeter's activity timeout)", '5')
    .option('--label <text>', 'add a Label column with this value to every flow (a training set from a labelled capture)')
    .option('--json', 'print a JSON summary (counts) on stdout; needs --out')
    .addHelpText(
      'after',
      `
Flows are bidirectional, keyed by the 5-tuple; the first packet sets the
forward direction. A TCP flow ends at the first FIN (cic2017) or when both
sides have sent a FIN or one a RST (corrected); every flow ends --active-timeout
seconds after its first packet; open flows end with the input. Columns: the 84
of CICFlowMeter's CIC-IDS2017 CSVs (Flow ID, endpoints and Timestamp as
identifiers; lengths are payload bytes, times microseconds), plus Label with
--label. Skipped packets (not IP, fragments, truncated) are counted on stderr.
Ctrl-C stops reading and writes the open flows.

Examples:
  nadir flows capture.pcapng --out flows.csv
  nadir flows day1.pcap.gz day2.pcap.gz --out flows.jsonl --mode corrected
  nadir flows scan.pcap --label PortScan --out scan-flows.csv
  tcpdump -i eth0 -w - -U | nadir flows - > flows.csv`,
    )
    .action(async (captures: string[], o: Record<string, unknown>) => {
      const out = typeof o.out === 'string' ? o.out : null;
      const format = out === null ? 'csv' : flowsFormatOf(out);
      if (o.json === true && out === null) throw nadirError('NADIR_ERR_BAD_INPUT', '--json prints a summary: write the flows with --out');
      checkOutputs(
        [['--out', out ?? undefined]],
        captures.map((c) => ['capture', c] as const),
      );
      if (captures.includes('-') && process.stdin.isTTY) throw nadirError('NADIR_ERR_BAD_INPUT', "'-' reads a capture from stdin: pipe one in (e.g. tcpdump -w - -U)");
      const logger = new CollectingLogger();
      // warnings are printed as they come (a long capture should not keep them to the end)
      const live = { warn: (w: Warning) => (o.json === true ? logger.warn(w) : process.stderr.write(`warning: ${warningText(w)}\n`)), info: () => {} };
      const progress = createProgress(out !== null && o.json !== true && process.stderr.isTTY === true);
      let started = false;
      const t0 = performance.now();
      // Ctrl-C (e.g. ending a live capture piped in): stop reading, write the open flows, exit 0
      const abort = new AbortController();
      const onSignal = (): void => {
        process.stderr.write('\nstopping: writing the open flows\n');
        abort.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const stats = await writeFlows(captures, out === null ? { stream: process.stdout } : { path: out }, format, {
        mode: String(o.mode),
        activeTimeout: positiveNumber(o.activeTimeout, '--active-timeout', 'seconds, e.g. 120'),
        idleTimeout: positiveNumber(o.idleTimeout, '--idle-timeout', 'seconds, e.g. 5'),
        ...(typeof o.label === 'string' ? { label: o.label } : {}),
        logger: live,
        signal: abort.signal,
        onProgress: (done, total) => {
          if (total <= 0) return;
          if (!started) progress.start('reading packets', total);
          started = true;
          progress.update(done);
        },
      });
      progress.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // stopped while stdin was still open: let go of it, or the process would wait on it
      if (captures.includes('-')) process.stdin.destroy();
      const seconds = (performance.now() - t0) / 1000;
      if (o.json === true) printJson({ out, format, mode: String(o.mode), ...stats, seconds, warnings: logger.warnings.map(warningText) });
      else process.stderr.write(`${flowsSummary(stats, seconds)}${out ? `; written to ${out}` : ''}\n`);
    });
}
