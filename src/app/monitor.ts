/**
 * The monitor use case: packets (a capture file, stdin, or a live capture's pcap stream) → flows
 * → scored by a trained detector the moment each flow ends (FIN/RST, timeout, end of input) →
 * alerts for the flows it calls attacks, as EVE-like records (docs/flows.md, "Alerts"). Scoring
 * goes through the predict use case (predictData): nothing here scores by itself.
 */
import type { Detector } from '../model/detector.js';
import { silentLogger } from '../logger.js';
import { flowRecord } from '../traffic/columns.js';
import type { Flow, FlowMeter } from '../traffic/flow-meter.js';
import { readFlows, type CaptureInput, type CaptureStats } from '../traffic/read-flows.js';
import { checkFlowsOptions, type FlowsOptions } from './flows.js';
import { displayLabel, predict } from './predict.js';

/** One alert: a flow the model calls an attack (EVE-like: Suricata's field names where they fit). */
export interface AlertRecord {
  /** when the flow ended (its last packet), ISO 8601 UTC */
  timestamp: string;
  event_type: 'alert';
  flow_id: string;
  src_ip: string;
  src_port: number;
  dest_ip: string;
  dest_port: number;
  proto: string;
  flow: { start: string; end: string; pkts_toserver: number; pkts_toclient: number; bytes_toserver: number; bytes_toclient: number; reason: string };
  alert: { label: string; class: string; probability: number; explanation?: Array<{ feature: string; value: number }> };
  model: string;
}

export interface MonitorOptions extends FlowsOptions {
  /** the model's name in alerts (its file) */
  modelName: string;
  /** replay a capture at the speed it was captured */
  realtime?: boolean;
  /** end timed-out flows by the wall clock too (live capture: no packets may come for a while) */
  wallClock?: boolean;
  /** contributions per alert (default 3; 0: none) */
  explainTop?: number;
  onAlert: (a: AlertRecord) => void | Promise<void>;
  /** after each scored batch: flows scored and alerts raised in it */
  onScored?: (flows: number, alerts: number) => void;
}

export interface MonitorStats extends CaptureStats {
  scored: number;
  alerts: number;
}

const PROTO: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'IPv6-ICMP' };

/** A class name that stands for normal traffic in a multi-class model. */
function isNormalClass(c: string): boolean {
  return /^(normal|benign)$/i.test(c);
}

export async function monitor(detector: Detector, inputs: readonly CaptureInput[], opts: MonitorOptions): Promise<MonitorStats> {
  const o = checkFlowsOptions(opts);
  const logger = opts.logger ?? silentLogger;
  const top = opts.explainTop ?? 3;
  let pending: Flow[] = [];
  let scored = 0;
  let alerts = 0;
  // one batch at a time: the next waits for the one being scored
  let chain: Promise<void> = Promise.resolve();
  const scoreBatch = async (batch: Flow[]): Promise<void> => {
    if (batch.length === 0) return;
    const p = await predict(detector, { records: batch.map((f) => flowRecord(f, o.mode)), name: 'flows' }, { explain: top > 0, top: Math.max(1, top), logger });
    let raised = 0;
    for (let i = 0; i < p.nRows; i++) {
      const cls = p.classes[p.pred[i]!]!;
      const label = displayLabel(detector, p.pred[i]!);
      const attack = detector.isBinary ? label === 'Attack' : !isNormalClass(cls);
      if (!attack) continue;
      const f = batch[p.recordNumbers[i]! - 1]!;
      raised++;
      const a: AlertRecord = {
        timestamp: new Date(f.lastMicros / 1000).toISOString(),
        event_type: 'alert',
        flow_id: f.id,
        src_ip: f.srcIp,
        src_port: f.srcPort,
        dest_ip: f.dstIp,
        dest_port: f.dstPort,
        proto: PROTO[f.protocol] ?? String(f.protocol),
        flow: {
          start: new Date(f.startMicros / 1000).toISOString(),
          end: new Date(f.lastMicros / 1000).toISOString(),
          pkts_toserver: f.fwdPackets,
          pkts_toclient: f.bwdPackets,
          bytes_toserver: f.fwdWireBytes,
          bytes_toclient: f.bwdWireBytes,
          reason: f.endReason,
        },
        alert: { label, class: cls, probability: p.score[i]! },
        model: opts.modelName,
      };
      if (p.explanations && top > 0) a.alert.explanation = p.explanations[i]!.slice(0, top);
      await opts.onAlert(a);
    }
    scored += p.nRows;
    alerts += raised;
    opts.onScored?.(p.nRows, raised);
  };
  const drain = (): Promise<void> => {
    const batch = pending;
    pending = [];
    chain = chain.then(() => scoreBatch(batch));
    return chain;
  };

  let meter: FlowMeter | null = null;
  let timer: NodeJS.Timeout | null = null;
  if (opts.wallClock) {
    timer = setInterval(() => {
      meter?.sweep(Date.now() * 1000);
      void drain().catch(() => {});
    }, 1000);
  }
  let wall0 = 0;
  let ts0 = 0;
  try {
    const stats = await readFlows(inputs, (f) => pending.push(f), {
      mode: o.mode,
      activeTimeout: o.activeTimeout,
      idleTimeout: o.idleTimeout,
      logger,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.realtime ? { chunkSize: 1 << 12 } : {}),
      onMeter: (m) => (meter = m),
      afterChunk: async (ts) => {
        if (opts.realtime && ts > 0) {
          if (wall0 === 0) {
            wall0 = performance.now();
            ts0 = ts;
          }
          const wait = wall0 + (ts - ts0) / 1000 - performance.now();
          if (wait > 1) await new Promise((r) => setTimeout(r, Math.min(wait, 60_000)));
        }
        if (pending.length > 0) await drain();
      },
    });
    await drain();
    return { ...stats, scored, alerts };
  } finally {
    if (timer) clearInterval(timer);
  }
}
