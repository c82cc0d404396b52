import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian packages the peers need (the versions the product targets were measured with). */
export const PY_PACKAGES = ['python3-sklearn', 'python3-xgboost', 'python3-pandas'] as const;
const MODULES = 'import sklearn, xgboost, pandas, numpy, json; print(json.dumps({"sklearn": sklearn.__version__, "xgboost": xgboost.__version__, "pandas": pandas.__version__, "numpy": numpy.__version__}))';

export interface PythonPeer {
  /** Interpreter path. */
  python: string;
  versions: { sklearn: string; xgboost: string; pandas: string; numpy: string; python: string };
}

/**
 * Environment for the Python peers. OMP_WAIT_POLICY=PASSIVE: on a busy 2-core machine
 * XGBoost's spinning OpenMP threads otherwise slow it down by 30× or more (product.md),
 * which would flatter nadir.
 */
export function peerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', PYTHONUNBUFFERED: '1' };
}

function probe(python: string): PythonPeer | null {
  const r = spawnSync(python, ['-c', MODULES], { encoding: 'utf8', env: peerEnv() });
  if (r.status !== 0) return null;
  const v = spawnSync(python, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' });
  try {
    return { python, versions: { ...(JSON.parse(r.stdout.trim()) as Omit<PythonPeer['versions'], 'python'>), python: v.stdout.trim() } };
  } catch {
    return null;
  }
}

function candidates(): string[] {
  // Debian's interpreter first: the apt packages live there, and a pyenv/venv `python3` on PATH would not see them.
  const c = [process.env.NADIR_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  return [...new Set(c)].filter((p) => !p.startsWith('/') || existsSync(p));
}

/**
 * A Python interpreter with scikit-learn, XGBoost and pandas. When they are missing: installed
 * with apt when running as root, otherwise null after printing how to install them.
 */
export function findPython(log: (s: string) => void = console.error): PythonPeer | null {
  for (const p of candidates()) {
    const found = probe(p);
    if (found) return found;
  }
  const how = `apt-get install ${PY_PACKAGES.join(' ')}`;
  if (process.getuid?.() !== 0) {
    log(`bench: the Python peers need scikit-learn, XGBoost and pandas (Debian: sudo ${how}); set NADIR_PYTHON to use another interpreter. Peer columns will be empty.`);
    return null;
  }
  log(`bench: scikit-learn/XGBoost/pandas not found for ${candidates().join(', ')}: installing with '${how}' …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...PY_PACKAGES], { stdio: 'inherit', env });
  if (r.status !== 0) {
    log(`bench: '${how}' failed (exit ${r.status}); peer columns will be empty.`);
    return null;
  }
  for (const p of candidates()) {
    const found = probe(p);
    if (found) return found;
  }
  log('bench: installed, but no interpreter can import sklearn, xgboost and pandas; peer columns will be empty.');
  return null;
}
