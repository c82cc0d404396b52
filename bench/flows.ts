/**
 * `npm run bench -- flows`: pcap → flows. nadir's flow meter (a fresh process per run: read,
 * decode, meter, every feature computed) on a 1 M-packet capture, next to Wireshark's tshark
 * (`tshark -q -z conv,tcp -z conv,udp`) and Argus (`argus -r … -w …` then `ra`) on the same file in
 * the same run; the whole `nadir flows --out flows.csv` command; peak RSS at 1 M and 10 M packets
 * (the 10 M run streams the synthetic capture from memory, no 1 GB file).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { synthCapture } from './capture-gen.js';
import { runJson } from './lib/child.js';
import { fmtInt, fmtMB, fmtRate, fmtSeconds } from './lib/format.js';
import { CACHE_DIR, CASES_DIR, ROOT } from './lib/paths.js';
import { median } from './lib/stats.js';
import type { SuiteOptions, SuiteReport } from './lib/suite.js';

interface ChildRun {
  packets: number;
  flows: number;
  seconds: number;
  maxRssMB: number;
}

function tool(name: string, pkg: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name} 2>/dev/null`], { encoding: 'utf8' });
  const path = r.stdout.trim().split('\n')[0];
  if (!path) throw new Error(`the flows bench runs ${name} next to nadir: apt-get install ${pkg}`);
  return path;
}

/** Wall time of a command (stdout discarded), seconds; fails on a non-zero exit. */
async function timed(cmd: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${code}): ${err}`);
  return (performance.now() - t0) / 1000;
}

async function ensureCapture(packets: number, log: (s: string) => void): Promise<string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, `flows-${packets / 1e6}m.pcap`);
  if (existsSync(path)) return path;
  log(`writing ${path} (${packets.toLocaleString('en-US')} packets)`);
  const out = createWriteStream(path);
  for (const chunk of synthCapture(packets)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return path;
}

export async function runFlows(opts: SuiteOptions): Promise<SuiteReport> {
  const tshark = tool('tshark', 'tshark');
  const argus = tool('argus', 'argus-server');
  const ra = tool('ra', 'argus-client');
  const packets = 1_000_000;
  const file = await ensureCapture(packets, opts.log);
  const mb = statSync(file).size / 1e6;
  const child = join(CASES_DIR, 'flows-child.js');
  const reps = opts.reps;

  const nadirRuns: ChildRun[] = [];
  for (let i = 0; i < reps; i++) nadirRuns.push((await runJson<ChildRun>(process.execPath, [child, file])).value);
  const corrected = (await runJson<ChildRun>(process.execPath, [child, file, 'corrected'])).value;
  const nadirSec = median(nadirRuns.map((r) => r.seconds));
  const flows = nadirRuns[0]!.flows;

  // the whole command, CSV written to a file
  const csv = join(CACHE_DIR, 'flows-1m.csv');
  const cliSec: number[] = [];
  for (let i = 0; i < reps; i++) cliSec.push(await timed(process.execPath, [join(ROOT, 'dist', 'src', 'cli', 'main.js'), 'flows', file, '--out', csv]));
  const csvRows = Math.max(0, spawnSync('wc', ['-l', csv], { encoding: 'utf8' }).stdout.trim().split(/\s+/).map(Number)[0]! - 1);
  rmSync(csv, { force: true });

  const tsharkSec: number[] = [];
  for (let i = 0; i < reps; i++) tsharkSec.push(await timed(tshark, ['-r', file, '-q', '-z', 'conv,tcp', '-z', 'conv,udp']));
  const conv = spawnSync(tshark, ['-r', file, '-q', '-z', 'conv,tcp', '-z', 'conv,udp'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout.split('\n').filter((l) => l.includes('<->')).length;

  const argusFile = join(CACHE_DIR, 'flows-1m.argus');
  const argusSec: number[] = [];
  let argusRecords = 0;
  for (let i = 0; i < reps; i++) {
    rmSync(argusFile, { force: true });
    const a = await timed(argus, ['-r', file, '-w', argusFile]);
    const b = await timed(ra, ['-r', argusFile, '-n']);
    argusSec.push(a + b);
  }
  argusRecords = spawnSync(ra, ['-r', argusFile, '-n'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout.trim().split('\n').length - 1;
  rmSync(argusFile, { force: true });

  // peak RSS, streamed from memory: 1 M and 10 M packets
  const rss1 = (await runJson<ChildRun>(process.execPath, [child, '--synth', String(packets)])).value;
  const rss10 = (await runJson<ChildRun>(process.execPath, [child, '--synth', String(10 * packets)])).value;

  const rows = [
    ['nadir flow meter (cic2017)', fmtSeconds(nadirSec), fmtRate(packets / nadirSec), fmtRate(flows / nadirSec), fmtInt(flows), fmtMB(median(nadirRuns.map((r) => r.maxRssMB)))],
    ['nadir flow meter (corrected)', fmtSeconds(corrected.seconds), fmtRate(packets / corrected.seconds), fmtRate(corrected.flows / corrected.seconds), fmtInt(corrected.flows), fmtMB(corrected.maxRssMB)],
    ['nadir flows --out flows.csv (whole command)', fmtSeconds(median(cliSec)), fmtRate(packets / median(cliSec)), fmtRate(csvRows / median(cliSec)), fmtInt(csvRows), ''],
    ['tshark -q -z conv,tcp -z conv,udp', fmtSeconds(median(tsharkSec)), fmtRate(packets / median(tsharkSec)), fmtRate(conv / median(tsharkSec)), fmtInt(conv), ''],
    ['argus -r -w + ra -r', fmtSeconds(median(argusSec)), fmtRate(packets / median(argusSec)), fmtRate(argusRecords / median(argusSec)), fmtInt(argusRecords), ''],
  ];
  return {
    suite: 'flows',
    tables: [
      {
        title: `pcap → flows, ${fmtInt(packets)} packets (${mb.toFixed(0)} MB, synthetic from CICFlowMeter's test capture), median of ${reps}`,
        header: ['tool', 'seconds', 'packets/s', 'flows/s', 'flows', 'peak RSS'],
        rows,
        notes: [
          'nadir flow meter: a fresh process reading the file; seconds exclude Node start-up. The other rows are wall times of whole processes.',
          'flows differ by definition: tshark counts conversations over the whole file, Argus its own flow records (status every 5 s), nadir CICFlowMeter flows (FIN, 120 s).',
        ],
      },
      {
        title: 'peak RSS of the flow meter (capture streamed from memory)',
        header: ['packets', 'flows', 'seconds', 'packets/s', 'peak RSS'],
        rows: [rss1, rss10].map((r) => [fmtInt(r.packets), fmtInt(r.flows), fmtSeconds(r.seconds), fmtRate(r.packets / r.seconds), fmtMB(r.maxRssMB)]),
      },
    ],
    data: { packets, fileMB: mb, nadirRuns, corrected, cliSeconds: cliSec, csvRows, tsharkSeconds: tsharkSec, tsharkConversations: conv, argusSeconds: argusSec, argusRecords, rss1, rss10 },
  };
}
