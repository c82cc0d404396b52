import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { nadirError } from '../../errors.js';

/**
 * Per-client rate limit (@fastify/rate-limit, keyed by the client's address) on every route
 * except the probes, the scrape and the docs (/healthz, /readyz, /metrics opt out with config.rateLimit
 * false); over it: 429 with Retry-After, as the catalogue's NADIR_ERR_RATE_LIMITED.
 */
export const rateLimitPlugin = fp(
  async (app) => {
    const limit = app.nadir.limits.rateLimit;
    if (limit === false) return;
    await app.register(rateLimit, {
      global: true,
      max: limit.max,
      timeWindow: limit.windowMs,
      errorResponseBuilder: (_req, ctx) => nadirError('NADIR_ERR_RATE_LIMITED', `rate limit reached: at most ${ctx.max} requests per ${windowText(limit.windowMs)} from one client; retry in ${ctx.after}`),
    });
  },
  { name: 'nadir-rate-limit', fastify: '5.x' },
);

function windowText(ms: number): string {
  if (ms % 60_000 === 0) return ms === 60_000 ? 'minute' : `${ms / 60_000} minutes`;
  if (ms % 1000 === 0) return ms === 1000 ? 'second' : `${ms / 1000} seconds`;
  return `${ms} ms`;
}
