import { ipv4String, ipv6String, PacketInfo, TCP } from './decode.js';
import { RunningStat } from './stat.js';

/**
 * Bidirectional flows with CICFlowMeter's features (FlowGenerator.java / BasicFlow.java of
 * ahlashkari/CICFlowMeter, the version behind CIC-IDS2017). Two modes:
 *
 * - `cic2017` (default): what CICFlowMeter computed, bugs included, so a model trained on
 *   CIC-IDS2017 sees the features it was trained on;
 * - `corrected`: the fixes of Engelen et al. 2021 ("Troubleshooting an intrusion detection dataset:
 *   the CICIDS2017 case study") and a few more. docs/flows.md lists every difference.
 *
 * Timeouts: `activeTimeout` (CICFlowMeter's "flow timeout", 120 s) ends a flow that long after its
 * first packet; `idleTimeout` (its "activity timeout", 5 s) is the gap that separates active from
 * idle periods. Flows whose active timeout has passed are expired as capture time advances
 * (insertion-ordered map: the oldest flows come first), so memory holds at most the flows of the
 * last `activeTimeout` seconds.
 */
export type FlowMode = 'cic2017' | 'corrected';

export interface FlowMeterOptions {
  mode?: FlowMode;
  /** seconds; default 120 */
  activeTimeout?: number;
  /** seconds; default 5 */
  idleTimeout?: number;
}

export const DEFAULT_ACTIVE_TIMEOUT = 120;
export const DEFAULT_IDLE_TIMEOUT = 5;

/** Why a flow ended. */
export type EndReason = 'fin' | 'rst' | 'active-timeout' | 'end-of-input';

/** One flow's state and, once ended, its features (see columns.ts for the CIC-IDS2017 columns). */
export class Flow {
  readonly id: string;
  /** the flow table's key: a number (IPv4, see v4Key) or the 5-tuple as text */
  key: number | string;
  /** canonical endpoints of an IPv4 flow, to confirm a numeric key's match */
  readonly ka: number;
  readonly kb: number;
  readonly kports: number;
  readonly protocol: number;
  readonly srcIp: string;
  readonly dstIp: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** numeric endpoints for the direction test (IPv4 as number, IPv6 as hex) */
  private readonly srcAddr: number | string;
  readonly startMicros: number;
  lastMicros: number;
  endReason: EndReason = 'end-of-input';

  readonly fwdLen = new RunningStat();
  readonly bwdLen = new RunningStat();
  /** CICFlowMeter's flowLengthStats (cic2017: the first packet counted twice) */
  readonly allLen = new RunningStat();
  readonly flowIat = new RunningStat();
  readonly fwdIat = new RunningStat();
  readonly bwdIat = new RunningStat();
  readonly active = new RunningStat();
  readonly idle = new RunningStat();

  fwdWireBytes = 0;
  bwdWireBytes = 0;
  fwdIpBytes = 0;
  bwdIpBytes = 0;
  fwdHeaderBytes = 0;
  bwdHeaderBytes = 0;
  fwdLast = 0;
  bwdLast = 0;
  fPsh = 0;
  bPsh = 0;
  fUrg = 0;
  bUrg = 0;
  /** counts by flag: FIN SYN RST PSH ACK URG CWR ECE */
  readonly flags = new Int32Array(8);
  actDataFwd = 0;
  minSegFwd = 0;
  initWinFwd = -1;
  initWinBwd = -1;
  startActive: number;
  endActive: number;
  /** FIN seen from the forward / backward side (corrected mode closes at the next packet — the last ACK — once both are set) */
  finFwd = false;
  finBwd = false;
  // subflows (corrected mode): a gap of more than 1 s starts a new one
  subflows = 1;
  // bulk (corrected mode), CICFlowMeter's algorithm per direction
  readonly fBulk = new Bulk();
  readonly bBulk = new Bulk();

  constructor(p: PacketInfo, key: number | string, portAware: boolean) {
    this.key = key;
    this.ka = canonA;
    this.kb = canonB;
    this.kports = canonPorts;
    this.protocol = p.protocol;
    this.srcPort = p.srcPort;
    this.dstPort = p.dstPort;
    if (p.ipVersion === 4) {
      this.srcAddr = portAware ? p.src4 * 65536 + p.srcPort : p.src4;
      this.srcIp = ipv4String(p.src4);
      this.dstIp = ipv4String(p.dst4);
    } else {
      this.srcAddr = portAware ? `${p.src6}:${p.srcPort}` : p.src6;
      this.srcIp = ipv6String(p.src6);
      this.dstIp = ipv6String(p.dst6);
    }
    this.id = flowId(p, this.srcIp, this.dstIp);
    this.startMicros = p.tsMicros;
    this.lastMicros = p.tsMicros;
    this.startActive = p.tsMicros;
    this.endActive = p.tsMicros;
  }

  /** Is `p` in the forward direction (same source as the first packet)? */
  isForward(p: PacketInfo, portAware: boolean): boolean {
    if (p.ipVersion === 4) return this.srcAddr === (portAware ? p.src4 * 65536 + p.srcPort : p.src4);
    return this.srcAddr === (portAware ? `${p.src6}:${p.srcPort}` : p.src6);
  }

  get fwdPackets(): number {
    return this.fwdLen.n;
  }
  get bwdPackets(): number {
    return this.bwdLen.n;
  }
  get packets(): number {
    return this.fwdLen.n + this.bwdLen.n;
  }
  /** microseconds */
  get duration(): number {
    return this.lastMicros - this.startMicros;
  }

  /** CICFlowMeter's updateActiveIdleTime */
  updateActiveIdle(ts: number, threshold: number): void {
    if (ts - this.endActive > threshold) {
      if (this.endActive - this.startActive > 0) this.active.add(this.endActive - this.startActive);
      this.idle.add(ts - this.endActive);
      this.startActive = ts;
      this.endActive = ts;
    } else {
      this.endActive = ts;
    }
  }
}

/**
 * CICFlowMeter's flow id: "a-b-portA-portB-proto" with the endpoints ordered by comparing the
 * addresses byte by byte as Java's signed bytes (BasicPacketInfo.generateFlowId).
 */
function flowId(p: PacketInfo, srcIp: string, dstIp: string): string {
  let forward = true;
  if (p.ipVersion === 4) {
    for (let s = 24; s >= 0; s -= 8) {
      const a = (((p.src4 >>> s) & 255) << 24) >> 24;
      const b = (((p.dst4 >>> s) & 255) << 24) >> 24;
      if (a !== b) {
        forward = a < b;
        break;
      }
    }
  } else {
    for (let i = 0; i < 32; i += 2) {
      const a = (parseInt(p.src6.slice(i, i + 2), 16) << 24) >> 24;
      const b = (parseInt(p.dst6.slice(i, i + 2), 16) << 24) >> 24;
      if (a !== b) {
        forward = a < b;
        break;
      }
    }
  }
  return forward ? `${srcIp}-${dstIp}-${p.srcPort}-${p.dstPort}-${p.protocol}` : `${dstIp}-${srcIp}-${p.dstPort}-${p.srcPort}-${p.protocol}`;
}

/** Bulk transfer state of one direction (BasicFlow.updateForwardBulk). */
export class Bulk {
  duration = 0;
  packets = 0;
  size = 0;
  states = 0;
  countHelper = 0;
  startHelper = 0;
  sizeHelper = 0;
  lastTs = 0;

  update(ts: number, size: number, lastBulkInOther: number): void {
    if (lastBulkInOther > this.startHelper) this.startHelper = 0;
    if (size <= 0) return;
    if (this.startHelper === 0) {
      this.startHelper = ts;
      this.countHelper = 1;
      this.sizeHelper = size;
      this.lastTs = ts;
    } else if ((ts - this.lastTs) / 1e6 > 1.0) {
      this.startHelper = ts;
      this.lastTs = ts;
      this.countHelper = 1;
      this.sizeHelper = size;
    } else {
      this.countHelper += 1;
      this.sizeHelper += size;
      if (this.countHelper === 4) {
        this.states += 1;
        this.packets += this.countHelper;
        this.size += this.sizeHelper;
        this.duration += ts - this.startHelper;
      } else if (this.countHelper > 4) {
        this.packets += 1;
        this.size += size;
        this.duration += ts - this.lastTs;
      }
      this.lastTs = ts;
    }
  }
}

const FLAG_BITS = [TCP.FIN, TCP.SYN, TCP.RST, TCP.PSH, TCP.ACK, TCP.URG, TCP.CWR, TCP.ECE];

/**
 * The flow table. `add(p)` for each decoded packet, in capture order; ended flows go to `onFlow`
 * (in cic2017 mode flows of one packet are dropped, as CICFlowMeter drops them). `finish()` ends
 * every open flow (end of input, or Ctrl-C in `nadir monitor`).
 */
export class FlowMeter {
  readonly mode: FlowMode;
  readonly activeTimeoutMicros: number;
  readonly idleTimeoutMicros: number;
  /** IPv4 flows by numeric key (no string per packet); IPv6 flows and the rare numeric-key clashes by text key */
  private readonly flows4 = new Map<number, Flow>();
  private readonly flowsText = new Map<string, Flow>();
  private readonly cic: boolean;
  /** capture time (µs) before which no open flow can time out: the sweep waits for it */
  private nextExpiry = Infinity;
  /** flows ended and handed out / dropped for having one packet */
  emitted = 0;
  droppedSingle = 0;
  /** packets of protocols the mode does not meter (ICMP in cic2017) */
  ignored = 0;

  constructor(
    private readonly onFlow: (f: Flow) => void,
    opts: FlowMeterOptions = {},
  ) {
    this.mode = opts.mode ?? 'cic2017';
    this.cic = this.mode === 'cic2017';
    this.activeTimeoutMicros = (opts.activeTimeout ?? DEFAULT_ACTIVE_TIMEOUT) * 1e6;
    this.idleTimeoutMicros = (opts.idleTimeout ?? DEFAULT_IDLE_TIMEOUT) * 1e6;
  }

  /** Open flows. */
  get size(): number {
    return this.flows4.size + this.flowsText.size;
  }

  add(p: PacketInfo): void {
    const ts = p.tsMicros;
    // hot path: one string key per packet, no other allocation (docs/style.md)
    if (this.cic && p.protocol !== 6 && p.protocol !== 17) {
      this.ignored++;
      return;
    }
    if (ts > this.nextExpiry) this.sweep(ts);
    let key: number | string;
    let flow: Flow | undefined;
    if (p.ipVersion === 4) {
      key = v4Key(p);
      flow = this.flows4.get(key);
      if (flow !== undefined && !(flow.ka === canonA && flow.kb === canonB && flow.kports === canonPorts && flow.protocol === p.protocol)) {
        // another flow holds this numeric key: this one lives under its text key
        key = flowKey(p);
        flow = this.flowsText.get(key);
      } else if (flow === undefined && this.flowsText.size > 0) {
        const alt = this.flowsText.get(flowKey(p));
        if (alt !== undefined) {
          flow = alt;
          key = alt.key;
        }
      }
    } else {
      key = flowKey(p);
      flow = this.flowsText.get(key);
    }
    if (flow === undefined) {
      this.open(p, key);
      return;
    }
    if (ts - flow.startMicros > this.activeTimeoutMicros) {
      flow.endReason = 'active-timeout';
      this.end(flow);
      this.open(p, key);
      return;
    }
    const fin = (p.tcpFlags & TCP.FIN) !== 0;
    if (this.cic) {
      if (p.protocol === 6 && fin) {
        this.addPacket(flow, p);
        flow.endReason = 'fin';
        this.end(flow);
        return;
      }
      flow.updateActiveIdle(ts, this.idleTimeoutMicros);
      this.addPacket(flow, p);
      return;
    }
    flow.updateActiveIdle(ts, this.idleTimeoutMicros);
    // both sides had sent a FIN: this is the last ACK of the close, the flow's last packet
    const closing = flow.finFwd && flow.finBwd;
    const fwd = this.addPacket(flow, p);
    if (p.protocol === 6) {
      if ((p.tcpFlags & TCP.RST) !== 0) {
        flow.endReason = 'rst';
        this.end(flow);
      } else if (closing) {
        flow.endReason = 'fin';
        this.end(flow);
      } else if (fin) {
        if (fwd) flow.finFwd = true;
        else flow.finBwd = true;
      }
    }
  }

  /** Ends every open flow (end of input). */
  finish(): void {
    for (const table of [this.flows4, this.flowsText] as Map<unknown, Flow>[]) {
      for (const f of table.values()) {
        f.endReason = 'end-of-input';
        this.emit(f);
      }
      table.clear();
    }
  }

  /** Ends the flows whose active timeout passed before capture time `now` (µs). */
  sweep(now: number): void {
    let next = Infinity;
    for (const table of [this.flows4, this.flowsText] as Map<unknown, Flow>[]) {
      for (const f of table.values()) {
        // insertion order = start order: stop at the first flow still within its timeout
        if (now - f.startMicros <= this.activeTimeoutMicros) {
          next = Math.min(next, f.startMicros + this.activeTimeoutMicros);
          break;
        }
        f.endReason = 'active-timeout';
        this.end(f);
      }
    }
    this.nextExpiry = next;
  }

  private end(f: Flow): void {
    if (typeof f.key === 'number') this.flows4.delete(f.key);
    else this.flowsText.delete(f.key);
    this.emit(f);
  }

  private emit(f: Flow): void {
    if (!this.cic && f.endActive - f.startActive > 0) {
      // corrected: the last active period counts too (CICFlowMeter left this call commented out)
      f.active.add(f.endActive - f.startActive);
    }
    if (this.cic && f.packets <= 1) {
      this.droppedSingle++;
      return;
    }
    this.emitted++;
    this.onFlow(f);
  }

  private open(p: PacketInfo, key: number | string): void {
    if (typeof key === 'number' && this.flows4.has(key)) key = flowKey(p);
    const f = new Flow(p, key, !this.cic);
    if (f.startMicros + this.activeTimeoutMicros < this.nextExpiry) this.nextExpiry = f.startMicros + this.activeTimeoutMicros;
    if (typeof key === 'number') this.flows4.set(key, f);
    else this.flowsText.set(key, f);
    // BasicFlow.firstPacket
    const pay = p.payloadBytes;
    f.allLen.add(pay);
    if (this.cic) f.allLen.add(pay);
    f.minSegFwd = p.headerBytes;
    f.initWinFwd = p.tcpWindow;
    f.fwdLen.add(pay);
    f.fwdHeaderBytes = p.headerBytes;
    f.fwdLast = p.tsMicros;
    f.fwdWireBytes = p.wireLength;
    f.fwdIpBytes = p.ipLength;
    if (p.tcpFlags & TCP.PSH) f.fPsh++;
    if (p.tcpFlags & TCP.URG) f.fUrg++;
    if (!this.cic && pay >= 1) f.actDataFwd++;
    if (!this.cic) f.fBulk.update(p.tsMicros, pay, f.bBulk.lastTs);
    this.countFlags(f, p.tcpFlags);
  }

  private countFlags(f: Flow, bits: number): void {
    if (bits === 0) return;
    for (let i = 0; i < 8; i++) if (bits & FLAG_BITS[i]!) f.flags[i]!++;
  }

  /** BasicFlow.addPacket; returns whether the packet went forward. */
  private addPacket(f: Flow, p: PacketInfo): boolean {
    const ts = p.tsMicros;
    const pay = p.payloadBytes;
    if (!this.cic) {
      this.countFlags(f, p.tcpFlags);
      if (ts - f.lastMicros > 1e6) f.subflows++;
    }
    f.allLen.add(pay);
    const fwd = f.isForward(p, !this.cic);
    if (fwd) {
      if (pay >= 1) f.actDataFwd++;
      f.fwdLen.add(pay);
      f.fwdHeaderBytes += p.headerBytes;
      f.fwdWireBytes += p.wireLength;
      f.fwdIpBytes += p.ipLength;
      if (f.fwdLen.n > 1) f.fwdIat.add(ts - f.fwdLast);
      f.fwdLast = ts;
      if (p.headerBytes < f.minSegFwd) f.minSegFwd = p.headerBytes;
      if (!this.cic) {
        if (p.tcpFlags & TCP.PSH) f.fPsh++;
        if (p.tcpFlags & TCP.URG) f.fUrg++;
        f.fBulk.update(ts, pay, f.bBulk.lastTs);
      }
    } else {
      f.bwdLen.add(pay);
      // cic2017: overwritten by every backward packet (Engelen et al. 2021)
      if (this.cic || f.bwdLen.n === 1) f.initWinBwd = p.tcpWindow;
      f.bwdHeaderBytes += p.headerBytes;
      f.bwdWireBytes += p.wireLength;
      f.bwdIpBytes += p.ipLength;
      if (f.bwdLen.n > 1) f.bwdIat.add(ts - f.bwdLast);
      f.bwdLast = ts;
      if (!this.cic) {
        if (p.tcpFlags & TCP.PSH) f.bPsh++;
        if (p.tcpFlags & TCP.URG) f.bUrg++;
        f.bBulk.update(ts, pay, f.fBulk.lastTs);
      }
    }
    f.flowIat.add(ts - f.lastMicros);
    f.lastMicros = ts;
    return fwd;
  }
}

// the canonical IPv4 endpoints of the last packet keyed by v4Key (read by the Flow constructor)
let canonA = 0;
let canonB = 0;
let canonPorts = 0;

/**
 * A number standing for an IPv4 packet's flow, the same for both directions: a 53-bit hash of the
 * 5-tuple with the endpoints in a fixed order (murmur-style multiplies). Two flows can share one;
 * the table confirms a match against the flow's endpoints and files a clash under the text key.
 * The hot path thus builds no string per packet (docs/style.md).
 */
export function v4Key(p: PacketInfo): number {
  const a = p.src4;
  const b = p.dst4;
  let pa = p.srcPort;
  let pb = p.dstPort;
  if (a < b || (a === b && pa <= pb)) {
    canonA = a;
    canonB = b;
  } else {
    canonA = b;
    canonB = a;
    const t = pa;
    pa = pb;
    pb = t;
  }
  canonPorts = pa * 65536 + pb;
  const h1 = (Math.imul(canonA, 0x9e3779b1) ^ Math.imul(canonB ^ 0x5bd1e995, 0x85ebca77) ^ Math.imul(canonPorts | 0, 0xc2b2ae3d) ^ p.protocol) >>> 0;
  const h2 = (Math.imul(canonA ^ (pb << 7), 0x27d4eb2f) + Math.imul(canonB ^ pa, 0x165667b1) + Math.imul(p.protocol + 1, 0x61c88647)) & 0x1fffff;
  return h1 * 2097152 + h2;
}

/** The text key of a packet's flow: its 5-tuple with the endpoints in a fixed order, so both directions meet. */
export function flowKey(p: PacketInfo): string {
  if (p.ipVersion === 4) {
    const a = p.src4;
    const b = p.dst4;
    if (a < b || (a === b && p.srcPort <= p.dstPort)) return `${a}:${p.srcPort}>${b}:${p.dstPort}/${p.protocol}`;
    return `${b}:${p.dstPort}>${a}:${p.srcPort}/${p.protocol}`;
  }
  const a = p.src6;
  const b = p.dst6;
  if (a < b || (a === b && p.srcPort <= p.dstPort)) return `${a}:${p.srcPort}>${b}:${p.dstPort}/${p.protocol}`;
  return `${b}:${p.dstPort}>${a}:${p.srcPort}/${p.protocol}`;
}
