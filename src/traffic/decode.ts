/**
 * Packet decoding: link layer → IPv4/IPv6 → TCP/UDP/ICMP, into one reused PacketInfo (no object per
 * packet: the hot loop fills fields in place). Every offset is checked against the captured
 * length before it is read; a header that does not fit is reported as a reason, never thrown.
 *
 * Link types (https://www.tcpdump.org/linktypes.html): 0 NULL (BSD loopback, host byte order),
 * 1 Ethernet (with 802.1Q / 802.1ad / QinQ tags, PPPoE sessions), 12/14/101 raw IP, 108 LOOP (network byte order),
 * 113 Linux cooked (SLL), 228 raw IPv4, 229 raw IPv6, 276 Linux cooked v2 (SLL2).
 */

export const LINKTYPE = { NULL: 0, ETHERNET: 1, RAW_12: 12, RAW_14: 14, RAW: 101, LOOP: 108, SLL: 113, IPV4: 228, IPV6: 229, SLL2: 276 } as const;

export const PROTO = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;

/** TCP flag bits as in the header's 13th byte (plus NS as bit 8). */
export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 } as const;

/** Why a frame carries no flow packet. */
export type SkipReason = 'link-type' | 'not-ip' | 'truncated' | 'bad-ip-header' | 'fragment' | 'other-protocol';

/** The decoded fields of one packet; reused for every packet. */
export class PacketInfo {
  tsMicros = 0;
  /** 4 or 6 */
  ipVersion = 4;
  /** IPv4 addresses as unsigned 32-bit numbers (ipVersion 4) */
  src4 = 0;
  dst4 = 0;
  /** IPv6 addresses as 32 hex digits (ipVersion 6) */
  src6 = '';
  dst6 = '';
  srcPort = 0;
  dstPort = 0;
  protocol = 0;
  /** transport header bytes (TCP data offset × 4, 8 for UDP and ICMP) */
  headerBytes = 0;
  /** transport payload bytes, from the IP length fields (not the captured length) */
  payloadBytes = 0;
  /** IP header bytes (with IPv4 options / IPv6 extension headers) */
  ipHeaderBytes = 0;
  /** bytes on the wire (the frame's original length) */
  wireLength = 0;
  /** bytes of the IP packet (IPv4 total length, IPv6 40 + payload length) */
  ipLength = 0;
  tcpFlags = 0;
  tcpWindow = -1;
  /** first fragment of a fragmented IPv4/IPv6 packet */
  firstFragment = false;
}

/**
 * Decodes `data` (one frame of `linkType`) into `p`; returns null when it is a flow packet, or why
 * it is not. Non-first IP fragments carry no transport header: they are counted, not reassembled.
 */
export function decodeFrame(linkType: number, data: Buffer, p: PacketInfo, start = 0, end = data.length): SkipReason | null {
  const n = end;
  const b0 = start;
  let off = start;
  let etherType = 0;
  switch (linkType) {
    case 1: {
      if (b0 + 14 > n) return 'truncated';
      etherType = (data[b0 + 12]! << 8) | data[b0 + 13]!;
      off = b0 + 14;
      // VLAN tags: 802.1Q, 802.1ad, old QinQ (at most a few)
      for (let i = 0; i < 4 && (etherType === 0x8100 || etherType === 0x88a8 || etherType === 0x9100); i++) {
        if (off + 4 > n) return 'truncated';
        etherType = (data[off + 2]! << 8) | data[off + 3]!;
        off += 4;
      }
      // PPPoE session: 6-byte PPPoE header, then the 2-byte PPP protocol (0x21 IPv4, 0x57 IPv6)
      if (etherType === 0x8864) {
        if (off + 8 > n) return 'truncated';
        const ppp = (data[off + 6]! << 8) | data[off + 7]!;
        etherType = ppp === 0x21 ? 0x0800 : ppp === 0x57 ? 0x86dd : 0;
        off += 8;
      }
      break;
    }
    case 113:
      if (b0 + 16 > n) return 'truncated';
      etherType = (data[b0 + 14]! << 8) | data[b0 + 15]!;
      off = b0 + 16;
      break;
    case 276:
      if (b0 + 20 > n) return 'truncated';
      etherType = (data[b0]! << 8) | data[b0 + 1]!;
      off = b0 + 20;
      break;
    case 0:
    case 108: {
      if (b0 + 4 > n) return 'truncated';
      // the address family, in the capturing host's byte order (NULL) or network order (LOOP)
      const le = data.readUInt32LE(b0);
      const be = data.readUInt32BE(b0);
      const af = linkType === 108 ? be : le < 0x10000 ? le : be;
      off = b0 + 4;
      if (af === 2) etherType = 0x0800;
      else if (af === 24 || af === 28 || af === 30 || af === 10) etherType = 0x86dd;
      else return 'not-ip';
      break;
    }
    case 12:
    case 14:
    case 101:
    case 228:
    case 229: {
      if (b0 + 1 > n) return 'truncated';
      const v = data[b0]! >> 4;
      etherType = v === 4 ? 0x0800 : v === 6 ? 0x86dd : 0;
      if (etherType === 0) return 'not-ip';
      break;
    }
    default:
      return 'link-type';
  }
  if (etherType === 0x0800) return ipv4(data, off, n, p);
  if (etherType === 0x86dd) return ipv6(data, off, n, p);
  return 'not-ip';
}

function ipv4(d: Buffer, off: number, n: number, p: PacketInfo): SkipReason | null {
  if (off + 20 > n) return 'truncated';
  const vihl = d[off]!;
  if (vihl >> 4 !== 4) return 'bad-ip-header';
  const ihl = (vihl & 0x0f) * 4;
  if (ihl < 20) return 'bad-ip-header';
  if (off + ihl > n) return 'truncated';
  let total = (d[off + 2]! << 8) | d[off + 3]!;
  // 0 with TCP segmentation offload: take what was captured
  if (total === 0) total = n - off;
  if (total < ihl) return 'bad-ip-header';
  const frag = (d[off + 6]! << 8) | d[off + 7]!;
  p.ipVersion = 4;
  p.src4 = d.readUInt32BE(off + 12);
  p.dst4 = d.readUInt32BE(off + 16);
  p.ipHeaderBytes = ihl;
  p.ipLength = total;
  p.firstFragment = (frag & 0x2000) !== 0 && (frag & 0x1fff) === 0;
  if ((frag & 0x1fff) !== 0) return 'fragment';
  return transport(d, off + ihl, n, total - ihl, d[off + 9]!, p);
}

function ipv6(d: Buffer, off: number, n: number, p: PacketInfo): SkipReason | null {
  if (off + 40 > n) return 'truncated';
  if (d[off]! >> 4 !== 6) return 'bad-ip-header';
  const payload = (d[off + 4]! << 8) | d[off + 5]!;
  let next = d[off + 6]!;
  p.ipVersion = 6;
  p.src6 = d.toString('hex', off + 8, off + 24);
  p.dst6 = d.toString('hex', off + 24, off + 40);
  p.firstFragment = false;
  let at = off + 40;
  // payload 0 = jumbogram or offload: take what was captured
  const end = payload === 0 ? n : off + 40 + payload;
  // extension headers: hop-by-hop 0, routing 43, fragment 44, destination options 60, AH 51, mobility 135
  for (let i = 0; i < 16; i++) {
    if (next === 0 || next === 43 || next === 60 || next === 135) {
      if (at + 8 > n) return 'truncated';
      const nn = d[at]!;
      at += (d[at + 1]! + 1) * 8;
      next = nn;
    } else if (next === 44) {
      if (at + 8 > n) return 'truncated';
      const nn = d[at]!;
      const fo = ((d[at + 2]! << 8) | d[at + 3]!) >> 3;
      const more = (d[at + 3]! & 1) !== 0;
      at += 8;
      next = nn;
      if (fo !== 0) {
        p.ipHeaderBytes = at - off;
        p.ipLength = end - off;
        return 'fragment';
      }
      p.firstFragment = more;
    } else if (next === 51) {
      if (at + 8 > n) return 'truncated';
      const nn = d[at]!;
      at += (d[at + 1]! + 2) * 4;
      next = nn;
    } else break;
  }
  if (at > end) return 'bad-ip-header';
  p.ipHeaderBytes = at - off;
  p.ipLength = end - off;
  return transport(d, at, n, end - at, next, p);
}

function transport(d: Buffer, off: number, n: number, len: number, proto: number, p: PacketInfo): SkipReason | null {
  p.protocol = proto;
  p.tcpFlags = 0;
  p.tcpWindow = -1;
  if (proto === 6) {
    if (off + 20 > n || len < 20) return 'truncated';
    const hl = (d[off + 12]! >> 4) * 4;
    if (hl < 20 || hl > len) return 'bad-ip-header';
    p.srcPort = (d[off]! << 8) | d[off + 1]!;
    p.dstPort = (d[off + 2]! << 8) | d[off + 3]!;
    p.tcpFlags = d[off + 13]! | ((d[off + 12]! & 1) << 8);
    p.tcpWindow = (d[off + 14]! << 8) | d[off + 15]!;
    p.headerBytes = hl;
    p.payloadBytes = len - hl;
    return null;
  }
  if (proto === 17) {
    if (off + 8 > n || len < 8) return 'truncated';
    p.srcPort = (d[off]! << 8) | d[off + 1]!;
    p.dstPort = (d[off + 2]! << 8) | d[off + 3]!;
    p.headerBytes = 8;
    p.payloadBytes = len - 8;
    return null;
  }
  if (proto === 1 || proto === 58) {
    if (off + 4 > n || len < 4) return 'truncated';
    p.srcPort = 0;
    p.dstPort = 0;
    p.headerBytes = Math.min(8, len);
    p.payloadBytes = len - p.headerBytes;
    return null;
  }
  return 'other-protocol';
}

/** Dotted quad of an IPv4 address held as an unsigned 32-bit number. */
export function ipv4String(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** IPv6 address (32 hex digits) in RFC 5952 text form. */
export function ipv6String(hex: string): string {
  const g: string[] = [];
  for (let i = 0; i < 32; i += 4) g.push(parseInt(hex.slice(i, i + 4), 16).toString(16));
  // the longest run (≥ 2) of zero groups becomes '::'
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return g.join(':');
  return `${g.slice(0, best).join(':')}::${g.slice(best + bestLen).join(':')}`;
}
