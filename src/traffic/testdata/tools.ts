import { spawnSync } from 'node:child_process';

/**
 * A Debian tool a test needs (tshark, tcpdump, nmap, hping3, argus, ra): its path, or a failure
 * that says how to install it — never a silent skip. `npm test` installs them when run as root
 * (scripts/test.mjs).
 */
export function requireTool(name: string, pkg = name): string {
  const r = spawnSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name} 2>/dev/null`], { encoding: 'utf8' });
  const path = r.stdout.trim().split('\n')[0];
  if (!path) throw new Error(`this test needs '${name}' (Debian package ${pkg}): sudo apt-get install ${pkg}`);
  return path;
}
