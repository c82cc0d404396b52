import type { Peek, Recognition } from './types.js';
import { mapLabels } from './map-labels.js';

/** NSL-KDD columns in file order (Tavallaee et al. 2009); the last two are the label and the difficulty score. */
export const NSL_KDD_COLUMNS = [
  'duration', 'protocol_type', 'service', 'flag', 'src_bytes', 'dst_bytes', 'land', 'wrong_fragment', 'urgent',
  'hot', 'num_failed_logins', 'logged_in', 'num_compromised', 'root_shell', 'su_attempted', 'num_root',
  'num_file_creations', 'num_shells', 'num_access_files', 'num_outbound_cmds', 'is_host_login', 'is_guest_login',
  'count', 'srv_count', 'serror_rate', 'srv_serror_rate', 'rerror_rate', 'srv_rerror_rate', 'same_srv_rate',
  'diff_srv_rate', 'srv_diff_host_rate', 'dst_host_count', 'dst_host_srv_count', 'dst_host_same_srv_rate',
  'dst_host_diff_srv_rate', 'dst_host_same_src_port_rate', 'dst_host_srv_diff_host_rate', 'dst_host_serror_rate',
  'dst_host_srv_serror_rate', 'dst_host_rerror_rate', 'dst_host_srv_rerror_rate', 'label', 'difficulty',
] as const;

/** The usual attack → category grouping (data/nsl-kdd/README.md). */
export const NSL_KDD_CATEGORIES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries({
    DoS: 'back land neptune pod smurf teardrop apache2 mailbomb processtable udpstorm',
    Probe: 'ipsweep nmap portsweep satan mscan saint',
    R2L: 'ftp_write guess_passwd imap multihop phf spy warezclient warezmaster sendmail named snmpgetattack snmpguess xlock xsnoop worm',
    U2R: 'buffer_overflow loadmodule perl rootkit ps sqlattack xterm httptunnel',
  }).flatMap(([cat, names]) => names.split(' ').map((n) => [n, cat])),
);

/** Features per NSL-KDD record (the columns before label and difficulty). */
export const NSL_KDD_FEATURES = 41;

/**
 * NSL-KDD as distributed: headerless, 43 (or 42, without difficulty) columns, a protocol in
 * column 2. Raw records to score have the 41 features only (no label, no difficulty): the same
 * layout, recognised the same way, with no label column. Also the copies with a header row (the
 * KDD column names, the label named label/class/attack and the difficulty named
 * difficulty/difficulty_level/level).
 */
export function recogniseNslKdd(p: Peek): Recognition | null {
  if (p.header !== null) return recogniseWithHeader(p.header);
  if (p.width !== 43 && p.width !== 42 && p.width !== NSL_KDD_FEATURES) return null;
  if (!['tcp', 'udp', 'icmp'].includes(p.firstRow(1) ?? '')) return null;
  return {
    format: 'nsl-kdd',
    names: NSL_KDD_COLUMNS.slice(0, p.width),
    labelColumn: p.width === NSL_KDD_FEATURES ? null : 'label',
    drop: p.width === 43 ? ['difficulty'] : [],
    normalLabels: ['normal'],
    categories: (labels) => mapLabels(labels, nslKddCategory),
  };
}

function recogniseWithHeader(header: readonly string[]): Recognition | null {
  const names = new Set(header);
  if (!['protocol_type', 'service', 'flag', 'src_bytes'].every((n) => names.has(n))) return null;
  const label = header.find((h) => ['label', 'class', 'attack', 'labels'].includes(h.toLowerCase()));
  if (label === undefined) return null;
  return {
    format: 'nsl-kdd',
    labelColumn: label,
    drop: header.filter((h) => ['difficulty', 'difficulty_level', 'level'].includes(h.toLowerCase())),
    normalLabels: ['normal'],
    categories: (labels) => mapLabels(labels, nslKddCategory),
  };
}

/** normal → normal, a known attack → DoS/Probe/R2L/U2R, anything else → unknown. */
function nslKddCategory(label: string): string {
  return label === 'normal' ? 'normal' : (NSL_KDD_CATEGORIES[label] ?? 'unknown');
}
