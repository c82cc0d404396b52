import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import fp from 'fastify-plugin';
import { nadirError } from '../../errors.js';

/**
 * API keys, for the routes of the scope it is registered in (/api/v1 and /v2): with a key
 * configured, a request needs `Authorization: Bearer <key>` or `x-api-key: <key>`, else 401.
 * Keys are compared in constant time: both sides are hashed (SHA-256) to equal-length digests
 * for timingSafeEqual, so neither the key's content nor its length leaks through timing.
 * The check runs in preParsing: after the rate limit (onRequest), so guessing keys is rate
 * limited, and before the body is read, so an unauthenticated client cannot make us parse it.
 * A route whose config sets `apiKeyInQuery` (only GET /api/v1/events: a browser's EventSource
 * cannot set headers) also accepts the key as `?key=<key>`.
 */
export const authPlugin = fp(
  async (app) => {
    const key = app.nadir.apiKey;
    if (key === null) return;
    const expected = digest(key);
    app.addHook('preParsing', (req, reply, payload, done) => {
      const given = presentedKey(req.headers) ?? (req.routeOptions.config.apiKeyInQuery === true ? queryKey(req.query) : null);
      if (given !== null && timingSafeEqual(digest(given), expected)) {
        done(null, payload);
        return;
      }
      reply.header('www-authenticate', 'Bearer realm="nadir"');
      done(nadirError('NADIR_ERR_UNAUTHORIZED', given === null ? 'an API key is required: send Authorization: Bearer <key> or x-api-key: <key>' : 'the API key is not valid'));
    });
  },
  { name: 'nadir-auth', fastify: '5.x' },
);

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** The key a request presents (Authorization: Bearer first, then x-api-key), or null. */
export function presentedKey(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1]!;
  }
  const x = headers['x-api-key'];
  if (typeof x === 'string' && x !== '') return x.trim();
  return null;
}

function queryKey(query: unknown): string | null {
  const k = (query as { key?: unknown } | null)?.key;
  return typeof k === 'string' && k !== '' ? k : null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Accept the API key as `?key=` too (routes a browser's EventSource reads: it cannot send headers). */
    apiKeyInQuery?: boolean;
  }
}
