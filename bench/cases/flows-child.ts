/**
 * One measured run of nadir's flow meter in a fresh process: `node flows-child.js FILE [mode]`
 * reads a capture file, or `--synth N [mode]` meters N packets of the synthetic capture streamed
 * from memory (no file: for the peak-RSS run at 10 M packets). Prints one JSON line.
 */
import { flowValues } from '../../src/traffic/columns.js';
import { readFlows } from '../../src/traffic/read-flows.js';
import type { FlowMode } from '../../src/traffic/flow-meter.js';
import { synthCapture } from '../capture-gen.js';

const [what, arg2, arg3] = process.argv.slice(2);
const synth = what === '--synth';
const mode = ((synth ? arg3 : arg2) ?? 'cic2017') as FlowMode;
let checksum = 0;
let flows = 0;
const t0 = performance.now();
async function* stream(n: number): AsyncGenerator<Buffer> {
  for (const c of synthCapture(n)) yield c;
}
const input = synth ? { name: 'synthetic', stream: stream(Number(arg2)) } : what!;
const stats = await readFlows([input], (f) => {
  flows++;
  // every feature is computed and used, so nothing is optimised away
  const v = flowValues(f, mode);
  checksum += Number(v[7]) + Number(v[20]) || 0;
}, { mode });
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ packets: stats.packets, metered: stats.metered, flows, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, checksum }));
