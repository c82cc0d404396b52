import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { monitor, type AlertRecord } from '../../app/monitor.js';
import { flowsSummary } from '../../app/flows.js';
import { nadirError } from '../../errors.js';
import type { Warning } from '../../logger.js';
import { Detector } from '../../model/detector.js';
import type { CaptureInput } from '../../traffic/read-flows.js';
import { warningText } from '../flags.js';
import { positiveNumber, wholeNumber } from '../option-values.js';
import { checkOutputs } from '../output.js';

export function registerMonitor(program: Command): void {
  program
    .command('monitor')
    .description('score traffic as its flows end: a live interface (through tcpdump) or a capture (file or -), alerts as EVE-like JSON lines')
    .option('-i, --interface <if>', "capture live on this interface: runs 'tcpdump -i IF -w - -U' (needs CAP_NET_RAW and CAP_NET_ADMIN, or root)")
    .option('--pcap <file>', "score a capture instead: pcap or pcapng, gzip'd or not, or '-' for stdin")
    .requiredOption('-M, --model <file>', 'model file written by nadir train (trained on flows with CIC-IDS2017 columns: nadir flows output, or CIC-IDS2017 CSVs)')
    .option('--alerts <file>', 'append alerts to this file as JSON lines (default: stdout)')
    .option('--serve <url>', "also push each alert to a running nadir serve's Live page: POST <url>/api/v1/events/detections (API key from NADIR_API_KEY)")
    .option('--realtime', 'replay --pcap at the speed it was captured (demos)')
    .option('--mode <mode>', 'flow features: cic2017 or corrected (use what the model was trained on)', 'cic2017')
    .option('--active-timeout <s>', 'seconds after its first packet at which a flow ends', '120')
    .option('--idle-timeout <s>', 'seconds of silence that end an active period', '5')
    .option('--filter <bpf>', "with --interface: a tcpdump filter expression, e.g. 'tcp or udp'")
    .option('--top <n>', 'contributing input columns per alert (0: none)', '3')
    .addHelpText(
      'after',
      `
Each flow is scored when it ends (TCP FIN or RST, --active-timeout, end of
input; live, the wall clock ends timed-out flows too). A flow the model calls
an attack is an alert, one JSON object per line:
  {"timestamp","event_type":"alert","flow_id","src_ip","src_port","dest_ip",
   "dest_port","proto","flow":{start,end,pkts_toserver,pkts_toclient,
   bytes_toserver,bytes_toclient,reason},"alert":{label,class,probability,
   explanation},"model"}
Every second with traffic, stderr gets: <time> flows <n> alerts <n>.
Ctrl-C ends the open flows, scores them and exits.

Live capture runs Debian's tcpdump as a child: root, or
  sudo setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump)

Examples:
  nadir monitor --pcap capture.pcapng --model flows.nadir --alerts alerts.jsonl
  sudo nadir monitor --interface eth0 --model flows.nadir --serve http://127.0.0.1:8080
  nadir monitor --pcap demo.pcap --realtime --model flows.nadir`,
    )
    .action(async (o: Record<string, unknown>) => {
      const iface = typeof o.interface === 'string' ? o.interface : null;
      const pcap = typeof o.pcap === 'string' ? o.pcap : null;
      if ((iface === null) === (pcap === null)) throw nadirError('NADIR_ERR_BAD_INPUT', 'name what to monitor: --interface IF or --pcap FILE (one of them)');
      if (o.realtime === true && pcap === null) throw nadirError('NADIR_ERR_BAD_INPUT', '--realtime replays a --pcap capture');
      if (o.filter !== undefined && iface === null) throw nadirError('NADIR_ERR_BAD_INPUT', '--filter applies to --interface');
      const alertsPath = typeof o.alerts === 'string' ? o.alerts : null;
      checkOutputs([['--alerts', alertsPath ?? undefined]], [['--model', String(o.model)], ['--pcap', pcap ?? undefined]]);
      const top = wholeNumber(o.top, '--top', 0, 50);
      const activeTimeout = positiveNumber(o.activeTimeout, '--active-timeout', 'seconds, e.g. 120');
      const idleTimeout = positiveNumber(o.idleTimeout, '--idle-timeout', 'seconds, e.g. 5');
      const serve = typeof o.serve === 'string' ? serveTarget(o.serve) : null;
      const detector = await Detector.load(String(o.model));

      let child: ChildProcess | null = null;
      let input: CaptureInput;
      if (iface !== null) {
        // --immediate-mode: packets as they come, not when a ring-buffer block fills (a quiet link would hold them back)
        const args = ['-i', iface, '-w', '-', '-U', '--immediate-mode', '-B', '16384', '-n', '-q'];
        if (typeof o.filter === 'string') args.push(...o.filter.split(/\s+/).filter((x) => x !== ''));
        child = spawn('tcpdump', args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
        const started = await new Promise<Error | null>((resolve) => {
          child!.once('error', (e) => resolve(e));
          child!.stdout!.once('readable', () => resolve(null));
          child!.once('exit', (code) => resolve(new Error(`tcpdump exited (${code}): ${err.trim().split('\n').pop() ?? ''}`)));
        });
        if (started) {
          const why = (started as NodeJS.ErrnoException).code === 'ENOENT' ? "tcpdump not found: apt-get install tcpdump" : started.message;
          throw nadirError('NADIR_ERR_BAD_INPUT', `cannot capture on ${iface}: ${why}`);
        }
        input = { name: `tcpdump -i ${iface}`, stream: child.stdout! as AsyncIterable<Buffer> };
      } else {
        if (pcap === '-' && process.stdin.isTTY) throw nadirError('NADIR_ERR_BAD_INPUT', "--pcap - reads a capture from stdin: pipe one in (e.g. tcpdump -w - -U)");
        input = pcap!;
      }

      const out: Writable = alertsPath !== null ? createWriteStream(alertsPath, { flags: 'a' }) : process.stdout;
      const abort = new AbortController();
      const onSignal = (): void => {
        process.stderr.write('\nstopping: scoring the open flows\n');
        abort.abort();
        child?.kill('SIGTERM');
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      // per-second counts on stderr
      let secFlows = 0;
      let secAlerts = 0;
      const ticker = setInterval(() => {
        if (secFlows === 0) return;
        process.stderr.write(`${new Date().toISOString().slice(11, 19)} flows ${secFlows} alerts ${secAlerts}\n`);
        secFlows = 0;
        secAlerts = 0;
      }, 1000);
      const t0 = performance.now();
      try {
        const stats = await monitor(detector, [input], {
          mode: String(o.mode),
          activeTimeout,
          idleTimeout,
          modelName: String(o.model),
          explainTop: top,
          realtime: o.realtime === true,
          wallClock: iface !== null,
          signal: abort.signal,
          logger: { warn: (w: Warning) => process.stderr.write(`warning: ${warningText(w)}\n`), info: () => {} },
          onAlert: async (a: AlertRecord) => {
            if (!out.write(`${JSON.stringify(a)}\n`)) await once(out, 'drain');
            if (serve) serve.pending.push(a);
          },
          onScored: (n, k) => {
            secFlows += n;
            secAlerts += k;
            // one request per scored batch (at most 1000 detections each), in order
            if (serve && serve.pending.length > 0) serve.chain = serve.chain.then(() => pushDetections(serve));
          },
        });
        if (serve) await serve.chain;
        if (secFlows > 0) process.stderr.write(`${new Date().toISOString().slice(11, 19)} flows ${secFlows} alerts ${secAlerts}\n`);
        process.stderr.write(`${flowsSummary(stats, (performance.now() - t0) / 1000)}; ${stats.scored.toLocaleString('en-US')} flows scored, ${stats.alerts.toLocaleString('en-US')} alerts\n`);
      } finally {
        clearInterval(ticker);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        child?.kill('SIGTERM');
        if (pcap === '-') process.stdin.destroy();
        if (alertsPath !== null) await new Promise((r) => (out as WriteStream).end(r));
      }
    });
}

interface ServeTarget {
  url: string;
  key: string | undefined;
  failed: boolean;
  pending: AlertRecord[];
  chain: Promise<void>;
}

function serveTarget(base: string): ServeTarget {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    throw nadirError('NADIR_ERR_BAD_OPTION', '--serve', `expected a URL such as http://127.0.0.1:8080, got '${base}'`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw nadirError('NADIR_ERR_BAD_OPTION', '--serve', `expected an http(s) URL, got '${base}'`);
  return { url: new URL('/api/v1/events/detections', u).toString(), key: process.env.NADIR_API_KEY, failed: false, pending: [], chain: Promise.resolve() };
}

/** The alerts waiting, to the Live page in requests of at most 1000; a failure is reported once and monitoring goes on. */
async function pushDetections(t: ServeTarget): Promise<void> {
  while (t.pending.length > 0) {
    const batch = t.pending.splice(0, 1000);
    const detections = batch.map((a) => ({
      model: a.model,
      label: a.alert.label,
      class: a.alert.class,
      probability: a.alert.probability,
      ...(a.alert.explanation ? { explanation: a.alert.explanation } : {}),
      flow_id: a.flow_id,
      src_ip: a.src_ip,
      dest_ip: a.dest_ip,
      dest_port: a.dest_port,
    }));
    try {
      const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(t.key ? { 'x-api-key': t.key } : {}) }, body: JSON.stringify({ detections }) });
      if (!res.ok && !t.failed) {
        t.failed = true;
        process.stderr.write(`warning: --serve ${t.url} answered ${res.status}: ${(await res.text()).slice(0, 200)}\n`);
      }
    } catch (e) {
      if (!t.failed) {
        t.failed = true;
        process.stderr.write(`warning: --serve ${t.url}: ${(e as Error).message}\n`);
      }
    }
  }
}
