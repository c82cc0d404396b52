import { Random } from '../../util/random.js';

/** The identifier columns a CICFlowMeter CSV carries (canonical CIC-IDS2017 names). */
export const CIC_ID_COLUMNS = ['Flow ID', 'Source IP', 'Destination IP', 'Timestamp'] as const;

/** The numeric flow features of the generated table (canonical names), ports first. */
export const CIC_FLOW_FEATURES = [
  'Source Port', 'Destination Port', 'Protocol', 'Flow Duration', 'Total Fwd Packets', 'Total Backward Packets',
  'Total Length of Fwd Packets', 'Total Length of Bwd Packets', 'Fwd Packet Length Max', 'Fwd Packet Length Mean',
  'Bwd Packet Length Max', 'Bwd Packet Length Mean', 'Flow Bytes/s', 'Flow Packets/s', 'Flow IAT Mean', 'Flow IAT Std',
  'Flow IAT Max', 'Flow IAT Min', 'Fwd IAT Total', 'Bwd IAT Total', 'SYN Flag Count', 'ACK Flag Count',
  'Init_Win_bytes_forward', 'Init_Win_bytes_backward', 'Down/Up Ratio', 'Average Packet Size', 'Active Mean', 'Idle Mean',
] as const;

/**
 * A CIC-IDS2017-style table of `n` flows as CICFlowMeter writes it (padded header names, the
 * flow id, addresses and a `dd/mm/yyyy hh:mm:ss` timestamp first, `Label` last), seeded. About
 * 30% are a port scan and a DoS from a handful of attacker addresses (a quarter of them with
 * benign-looking features, and 3% of benign flows scan-like, so the classes overlap); the rest is benign traffic
 * between ~3,000 clients and ~1,500 servers, so the address columns hold thousands of distinct
 * values (one-hot encoding them unbounded is what made training 10× slower). `withIds: false`
 * leaves out the four identifier columns (ports stay): the same flows, the same features.
 */
export function cicFlowsCsv(n: number, opts: { seed?: number; withIds?: boolean } = {}): string {
  const rnd = new Random(opts.seed ?? 7);
  const withIds = opts.withIds ?? true;
  const header = [...(withIds ? ['Flow ID', ' Source IP', ' Destination IP', ' Timestamp'] : []), ...CIC_FLOW_FEATURES.map((f) => ` ${f}`), ' Label'];
  const lines: string[] = [header.join(',')];
  const ip = (a: number, k: number): string => `${a}.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
  const attackers = [ip(172, 1001), ip(172, 1002), ip(172, 1003), ip(172, 2001), ip(172, 2002)];
  const start = Date.UTC(2017, 6, 3, 8, 55, 0);
  const pad = (x: number): string => String(x).padStart(2, '0');
  for (let i = 0; i < n; i++) {
    const u = rnd.next();
    const label = u < 0.15 ? 'PortScan' : u < 0.3 ? 'DoS Hulk' : 'BENIGN';
    const attack = label !== 'BENIGN';
    const src = attack ? attackers[(label === 'PortScan' ? 0 : 3) + rnd.int(label === 'PortScan' ? 3 : 2)]! : ip(192, 168 * 256 + rnd.int(3000));
    const dst = attack ? ip(10, 5 + rnd.int(20)) : ip(10, 1000 + rnd.int(1500));
    const sport = 1024 + rnd.int(64000);
    const dport = label === 'PortScan' ? 1 + rnd.int(10000) : label === 'DoS Hulk' ? 80 : [80, 443, 53, 22, 8080, 3389][rnd.int(6)]!;
    const proto = dport === 53 ? 17 : 6;
    // the classes overlap: a quarter of the attacks look like benign flows, a few benign flows like scans
    const disguised = attack && rnd.next() < 0.25;
    const odd = !attack && rnd.next() < 0.03;
    const scan = (label === 'PortScan' && !disguised) || odd;
    const dos = label === 'DoS Hulk' && !disguised;
    const noise = (): number => Math.exp(rnd.normal() * 0.6);
    const duration = Math.round((scan ? 40 : dos ? 5e6 : 2e5) * noise());
    const fwd = Math.max(1, Math.round((scan ? 1 : dos ? 6 : 8) * noise()));
    const bwd = scan ? rnd.int(2) : Math.max(0, Math.round((dos ? 2 : 7) * noise()));
    const fwdLen = Math.round(fwd * (scan ? 0 : dos ? 60 : 120) * noise());
    const bwdLen = Math.round(bwd * (scan ? 0 : dos ? 300 : 900) * noise());
    const fwdMax = fwd ? Math.round((fwdLen / fwd) * 1.5) : 0;
    const bwdMax = bwd ? Math.round((bwdLen / bwd) * 1.5) : 0;
    const secs = Math.max(duration, 1) / 1e6;
    const iat = duration / Math.max(1, fwd + bwd - 1);
    const row = [
      sport, dport, proto, duration, fwd, bwd, fwdLen, bwdLen, fwdMax, fwd ? fwdLen / fwd : 0, bwdMax, bwd ? bwdLen / bwd : 0,
      (fwdLen + bwdLen) / secs, (fwd + bwd) / secs, iat, iat * 0.5 * noise(), iat * 2, Math.round(iat / 4), duration, bwd ? duration * 0.9 : 0,
      scan ? 1 : rnd.int(2), scan ? 0 : 1, scan ? 1024 : [29200, 8192, 65535][rnd.int(3)]!, scan ? 0 : [235, 28960, -1][rnd.int(3)]!,
      fwd ? Math.floor(bwd / fwd) : 0, (fwdLen + bwdLen) / (fwd + bwd), dos ? 0 : duration * 0.1 * noise(), dos ? duration * 0.8 : 0,
    ].map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(6)));
    if (withIds) {
      const t = new Date(start + Math.floor(i * 0.35) * 1000);
      const ts = `${pad(t.getUTCDate())}/${pad(t.getUTCMonth() + 1)}/${t.getUTCFullYear()} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
      row.unshift(`${dst}-${src}-${dport}-${sport}-${proto}`, src, dst, ts);
    }
    row.push(label);
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}
