import { nadirError } from '../errors.js';

/**
 * Streaming reader of capture files: classic pcap (both byte orders, micro- and nanosecond
 * timestamps) and pcapng (Section Header, Interface Description, Enhanced / Simple / obsolete
 * Packet blocks; several interfaces, each with its own link type, snap length and if_tsresol /
 * if_tsoffset; several sections, each with its own byte order). Bytes are pushed in chunks of any
 * size; every length read from the input is checked against what is left before it is used
 * (docs/style.md, "Serving, traffic and streaming"), so memory stays bounded by one record.
 *
 * Formats: pcap — https://www.tcpdump.org/manpages/pcap-savefile.5.html; pcapng —
 * draft-ietf-opsawg-pcapng (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html).
 */

/**
 * One captured frame: bytes `offset` … `offset + length` of `buffer` (the reader's buffer, valid
 * only during the callback; `data` makes a view of them, the hot path reads the buffer directly).
 */
export class CapturedFrame {
  number = 0;
  linkType = 0;
  /** pcapng interface index within its section (0 for pcap) */
  interfaceId = 0;
  /** Capture time in microseconds since the Unix epoch (finer resolutions are truncated). */
  tsMicros = 0;
  buffer: Buffer = Buffer.alloc(0);
  offset = 0;
  /** bytes captured */
  length = 0;
  /** the packet's length on the wire */
  wireLength = 0;
  get data(): Buffer {
    return this.buffer.subarray(this.offset, this.offset + this.length);
  }
}


/** Something odd in the file that was skipped: the reader carries on. */
export interface CaptureIssue {
  code: 'truncated-packet' | 'caplen-exceeds-snaplen' | 'unknown-interface' | 'bad-option' | 'unknown-version';
  packet: number;
  message: string;
}

/** Largest record accepted (bigger ones are a broken header, not a packet): 16 MiB, Wireshark's limit for pcapng blocks. */
const MAX_BLOCK = 16 * 1024 * 1024;
/** Largest packet record in classic pcap (Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD). */
const MAX_PCAP_RECORD = 262144;

interface Iface {
  linkType: number;
  snapLen: number;
  /** timestamp units: ticks per second is 10^decimals or 2^binary */
  decimalExp: number;
  binaryExp: number;
  offsetSeconds: number;
}

const enum Kind {
  Unknown,
  Pcap,
  Pcapng,
}

/**
 * The reader. `push(chunk)` as bytes arrive, `end()` at the end of input; frames go to `onFrame`,
 * skipped oddities to `onIssue`. A broken file (bad magic, a record header that cannot be true)
 * throws one NadirError naming the source, the packet number and the byte offset.
 */
export class CaptureReader {
  private buf: Buffer = Buffer.alloc(0);
  /** bytes of the input consumed before buf[0] */
  private consumed = 0;
  private kind = Kind.Unknown;
  private le = true;
  // pcap
  private pcapNano = false;
  private pcapLinkType = 0;
  private pcapSnapLen = 0;
  // pcapng
  private ifaces: Iface[] = [];
  private packets = 0;
  /** a pcapng section of an unknown major version: its blocks are skipped */
  private skipSection = false;
  private frame = new CapturedFrame();

  constructor(
    private readonly name: string,
    private readonly onFrame: (f: CapturedFrame) => void,
    private readonly onIssue: (i: CaptureIssue) => void = () => {},
  ) {}

  /** Frames delivered so far (including those reported as truncated and skipped). */
  get packetCount(): number {
    return this.packets;
  }

  /** 'pcap' or 'pcapng' once the magic number has been read. */
  get format(): 'pcap' | 'pcapng' | null {
    return this.kind === Kind.Pcap ? 'pcap' : this.kind === Kind.Pcapng ? 'pcapng' : null;
  }

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let off = 0;
    if (this.kind === Kind.Unknown) {
      if (this.buf.length < 4) return;
      off = this.readMagic();
      if (off < 0) return;
    }
    off = this.kind === Kind.Pcap ? this.pcapRecords(off) : this.pcapngBlocks(off);
    this.consumed += off;
    // keep only the unparsed tail (a copy, so a large chunk is not kept alive by a small tail)
    this.buf = off >= this.buf.length ? Buffer.alloc(0) : off === 0 ? this.buf : Buffer.from(this.buf.subarray(off));
  }

  /** End of input: a partial record left over is a truncated last packet (reported, skipped). */
  end(): void {
    if (this.kind === Kind.Unknown) {
      if (this.consumed + this.buf.length === 0) throw nadirError('NADIR_ERR_EMPTY_FILE', this.name);
      throw this.bad(0, `not a pcap or pcapng capture (only ${this.buf.length} bytes)`);
    }
    if (this.buf.length === 0) return;
    const n = this.packets + 1;
    this.onIssue({
      code: 'truncated-packet',
      packet: n,
      message: `${this.name}: packet ${n} is truncated at the end of the file (${this.buf.length} bytes of a record left); skipped`,
    });
    this.buf = Buffer.alloc(0);
  }

  private bad(at: number, why: string): Error {
    return nadirError('NADIR_ERR_BAD_FORMAT', this.name, `${why} (at byte ${this.consumed + at})`);
  }

  private u32(off: number): number {
    return this.le ? this.buf.readUInt32LE(off) : this.buf.readUInt32BE(off);
  }

  private u16(off: number): number {
    return this.le ? this.buf.readUInt16LE(off) : this.buf.readUInt16BE(off);
  }

  /** Reads the file header (pcap) or notes pcapng; returns the offset after it, or -1 to wait for more bytes. */
  private readMagic(): number {
    const b = this.buf;
    const m = b.readUInt32LE(0);
    if (m === 0x0a0d0d0a) {
      // the Section Header Block is read with the other blocks
      this.kind = Kind.Pcapng;
      return 0;
    }
    const known: Record<number, [boolean, boolean]> = {
      0xa1b2c3d4: [true, false],
      0xd4c3b2a1: [false, false],
      0xa1b23c4d: [true, true],
      0x4d3cb2a1: [false, true],
    };
    const k = known[m];
    if (!k) {
      const gz = b[0] === 0x1f && b[1] === 0x8b;
      throw this.bad(0, gz ? 'gzip data inside gzip data: not a pcap or pcapng capture' : `not a pcap or pcapng capture (magic number 0x${m.toString(16).padStart(8, '0')})`);
    }
    if (b.length < 24) return -1;
    this.kind = Kind.Pcap;
    [this.le, this.pcapNano] = k;
    this.pcapSnapLen = this.u32(16);
    // the upper bits of the link-type field hold the FCS length (pcap-savefile(5)); the type is the low 16 bits
    this.pcapLinkType = this.u32(20) & 0xffff;
    return 24;
  }

  private pcapRecords(off: number): number {
    const b = this.buf;
    const f = this.frame;
    f.linkType = this.pcapLinkType;
    const snap = this.pcapSnapLen > 0 ? this.pcapSnapLen : MAX_PCAP_RECORD;
    while (off + 16 <= b.length) {
      const sec = this.u32(off);
      const frac = this.u32(off + 4);
      const incl = this.u32(off + 8);
      const orig = this.u32(off + 12);
      const n = this.packets + 1;
      if (incl > Math.max(snap, MAX_PCAP_RECORD)) {
        throw this.bad(off, `packet ${n}: record claims ${incl} captured bytes, more than the snap length ${this.pcapSnapLen}: a broken record header`);
      }
      if (off + 16 + incl > b.length) break;
      this.packets = n;
      if (incl > snap) {
        this.onIssue({ code: 'caplen-exceeds-snaplen', packet: n, message: `${this.name}: packet ${n} has ${incl} captured bytes, more than the snap length ${snap}` });
      }
      f.number = n;
      f.tsMicros = sec * 1e6 + (this.pcapNano ? Math.floor(frac / 1000) : frac);
      f.buffer = b;
      f.offset = off + 16;
      f.length = incl;
      f.wireLength = orig < incl ? incl : orig;
      off += 16 + incl;
      this.onFrame(f);
    }
    return off;
  }

  private pcapngBlocks(off: number): number {
    const b = this.buf;
    while (off + 12 <= b.length) {
      // the Section Header Block fixes the byte order of everything up to the next one
      const typeLE = b.readUInt32LE(off);
      if (typeLE === 0x0a0d0d0a) {
        const bom = b.readUInt32LE(off + 8);
        if (bom === 0x1a2b3c4d) this.le = true;
        else if (bom === 0x4d3c2b1a) this.le = false;
        else throw this.bad(off, `pcapng section header with a bad byte-order magic 0x${bom.toString(16)}`);
      }
      const type = this.u32(off);
      const len = this.u32(off + 4);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) {
        throw this.bad(off, `pcapng block of type 0x${type.toString(16)} after packet ${this.packets} has an impossible length ${len}`);
      }
      if (off + len > b.length) break;
      if (this.u32(off + len - 4) !== len) {
        throw this.bad(off, `pcapng block of type 0x${type.toString(16)} after packet ${this.packets}: its two length fields differ`);
      }
      this.block(type, off, len);
      off += len;
    }
    return off;
  }

  private block(type: number, off: number, len: number): void {
    const b = this.buf;
    const f = this.frame;
    if (this.skipSection && type !== 0x0a0d0d0a) return;
    switch (type) {
      case 0x0a0d0d0a: {
        // a new section: interfaces are numbered afresh
        this.ifaces = [];
        const major = len >= 28 ? this.u16(off + 12) : 0;
        this.skipSection = major !== 1;
        if (this.skipSection) {
          this.onIssue({ code: 'unknown-version', packet: this.packets, message: `${this.name}: a pcapng section of version ${major}.${len >= 28 ? this.u16(off + 14) : 0} after packet ${this.packets} (only 1.x is known); its blocks are skipped` });
        }
        return;
      }
      case 0x00000001: {
        if (len < 20) throw this.bad(off, `pcapng interface description block too short (${len} bytes)`);
        const iface: Iface = { linkType: this.u16(off + 8), snapLen: this.u32(off + 12), decimalExp: 6, binaryExp: -1, offsetSeconds: 0 };
        this.options(off + 16, off + len - 4, (code, at, olen) => {
          if (code === 9 && olen >= 1) {
            const r = b[at]!;
            if (r & 0x80) {
              iface.binaryExp = r & 0x7f;
              iface.decimalExp = -1;
            } else {
              iface.decimalExp = r;
              iface.binaryExp = -1;
            }
          } else if (code === 14 && olen >= 8) {
            const hi = this.le ? b.readInt32LE(at + 4) : b.readInt32BE(at);
            const lo = this.le ? b.readUInt32LE(at) : b.readUInt32BE(at + 4);
            iface.offsetSeconds = hi * 4294967296 + lo;
          }
        });
        this.ifaces.push(iface);
        return;
      }
      case 0x00000006:
      case 0x00000002: {
        // Enhanced Packet Block (6) / obsolete Packet Block (2, interface id is 16 bits)
        if (len < 32) throw this.bad(off, `pcapng packet block too short (${len} bytes)`);
        const ifId = type === 6 ? this.u32(off + 8) : this.u16(off + 8);
        const hi = this.u32(off + 12);
        const lo = this.u32(off + 16);
        const cap = this.u32(off + 20);
        const orig = this.u32(off + 24);
        const n = ++this.packets;
        const iface = this.ifaces[ifId];
        if (!iface) {
          this.onIssue({ code: 'unknown-interface', packet: n, message: `${this.name}: packet ${n} names interface ${ifId}, which no interface description block declared; skipped` });
          return;
        }
        if (cap > len - 32) {
          this.onIssue({ code: 'truncated-packet', packet: n, message: `${this.name}: packet ${n} claims ${cap} captured bytes in a ${len}-byte block; skipped` });
          return;
        }
        if (iface.snapLen > 0 && cap > iface.snapLen) {
          this.onIssue({ code: 'caplen-exceeds-snaplen', packet: n, message: `${this.name}: packet ${n} has ${cap} captured bytes, more than the snap length ${iface.snapLen}` });
        }
        f.number = n;
        f.linkType = iface.linkType;
        f.interfaceId = ifId;
        f.tsMicros = ticksToMicros(hi, lo, iface);
        f.buffer = b;
        f.offset = off + 28;
        f.length = cap;
        f.wireLength = orig < cap ? cap : orig;
        this.onFrame(f);
        return;
      }
      case 0x00000003: {
        // Simple Packet Block: interface 0, no timestamp (reported as 0), captured = min(original, snap, room)
        if (len < 16) throw this.bad(off, `pcapng simple packet block too short (${len} bytes)`);
        const n = ++this.packets;
        const iface = this.ifaces[0];
        if (!iface) {
          this.onIssue({ code: 'unknown-interface', packet: n, message: `${this.name}: packet ${n} (simple packet block) comes before any interface description block; skipped` });
          return;
        }
        const orig = this.u32(off + 8);
        let cap = Math.min(orig, len - 16);
        if (iface.snapLen > 0) cap = Math.min(cap, iface.snapLen);
        f.number = n;
        f.linkType = iface.linkType;
        f.interfaceId = 0;
        f.tsMicros = 0;
        f.buffer = b;
        f.offset = off + 12;
        f.length = cap;
        f.wireLength = orig;
        this.onFrame(f);
        return;
      }
      default:
        // name resolution, statistics, custom and decryption-secrets blocks: not needed for flows
        return;
    }
  }

  /** Walks the options of a block between `from` and `to`; a malformed option ends the walk with an issue. */
  private options(from: number, to: number, each: (code: number, at: number, len: number) => void): void {
    let at = from;
    while (at + 4 <= to) {
      const code = this.u16(at);
      const olen = this.u16(at + 2);
      if (code === 0) return;
      if (at + 4 + olen > to) {
        this.onIssue({ code: 'bad-option', packet: this.packets, message: `${this.name}: a pcapng option (code ${code}) after packet ${this.packets} runs past its block; the rest of the options are ignored` });
        return;
      }
      each(code, at + 4, olen);
      at += 4 + ((olen + 3) & ~3);
    }
  }
}

/** pcapng timestamp (high, low 32 bits of a tick count) → microseconds, exact for µs and ns units. */
export function ticksToMicros(hi: number, lo: number, u: { decimalExp: number; binaryExp: number; offsetSeconds: number }): number {
  let us: number;
  if (u.decimalExp >= 6) {
    // ticks / 10^(e-6) without losing the low bits: 2^32 = q·d + r
    const d = 10 ** (u.decimalExp - 6);
    const q = Math.floor(4294967296 / d);
    const r = 4294967296 - q * d;
    us = hi * q + Math.floor((hi * r + lo) / d);
  } else if (u.decimalExp >= 0) {
    us = (hi * 4294967296 + lo) * 10 ** (6 - u.decimalExp);
  } else {
    us = Math.floor(((hi * 4294967296 + lo) / 2 ** u.binaryExp) * 1e6);
  }
  return us + u.offsetSeconds * 1e6;
}
