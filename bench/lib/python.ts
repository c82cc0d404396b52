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

/** Debian packages of the serve benchmark's peers and load generator. */
export const SERVE_PACKAGES = ['python3-flask', 'python3-fastapi', 'python3-uvicorn', 'wrk'] as const;
const SERVE_MODULES = 'import flask, fastapi, uvicorn, json; print(json.dumps({"flask": flask.__version__, "fastapi": fastapi.__version__, "uvicorn": uvicorn.__version__}))';

export interface ServeTools {
  /** Versions of Flask, FastAPI, uvicorn as the peer interpreter sees them; null when missing. */
  web: { flask: string; fastapi: string; uvicorn: string } | null;
  /** `wrk`'s version line; null when it is not on PATH. */
  wrk: string | null;
}

function probeServe(python: string | null): ServeTools {
  let web: ServeTools['web'] = null;
  if (python) {
    const r = spawnSync(python, ['-c', SERVE_MODULES], { encoding: 'utf8', env: peerEnv() });
    if (r.status === 0) {
      try {
        web = JSON.parse(r.stdout.trim()) as NonNullable<ServeTools['web']>;
      } catch {
        web = null;
      }
    }
  }
  // wrk has no --version: it prints its banner with the usage and exits 1
  const w = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  const banner = `${w.stdout ?? ''}${w.stderr ?? ''}`.split('\n')[0]?.trim() ?? '';
  return { web, wrk: w.error ? null : /^wrk\b/.test(banner) ? banner.replace(/\s+Copyright.*$/, '') : null };
}

/**
 * Flask, FastAPI and uvicorn for the peer interpreter and Debian's `wrk` (the load generator of
 * `npm run bench -- serve`). When missing: installed with apt when running as root, otherwise
 * what is missing stays null after printing how to install it.
 */
export function findServeTools(python: string | null, log: (s: string) => void = console.error): ServeTools {
  let t = probeServe(python);
  if ((t.web || !python) && t.wrk) return t;
  const how = `apt-get install ${SERVE_PACKAGES.join(' ')}`;
  if (process.getuid?.() !== 0) {
    log(`bench: the serve benchmark needs Flask, FastAPI, uvicorn and wrk (Debian: sudo ${how}). ${t.wrk ? '' : 'Without wrk nothing can be measured; '}without the Python modules the peer columns stay empty.`);
    return t;
  }
  log(`bench: ${[t.web || !python ? null : 'Flask/FastAPI/uvicorn', t.wrk ? null : 'wrk'].filter(Boolean).join(' and ')} not found: installing with '${how}' …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...SERVE_PACKAGES], { stdio: 'inherit', env });
  if (r.status !== 0) log(`bench: '${how}' failed (exit ${r.status}).`);
  t = probeServe(python);
  return t;
}
