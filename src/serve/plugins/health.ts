import type { FastifyPluginAsync } from 'fastify';
import { nadirError } from '../../errors.js';
import { errorResponseSchema } from '../schemas.js';

const status = { type: 'object', properties: { status: { type: 'string' }, models: { type: 'array', items: { type: 'string' } } }, required: ['status'] } as const;

/**
 * Probes, outside the API key and the rate limit: /healthz (liveness: the process answers) and
 * /readyz (readiness: models loaded and not shutting down; 503 while draining).
 */
export const healthPlugin: FastifyPluginAsync = async (app) => {
  const ids = [...app.nadir.models.keys()];
  app.get('/healthz', { config: { rateLimit: false }, schema: { tags: ['health'], summary: 'liveness: the process answers', response: { 200: status } } }, async () => ({ status: 'ok' }));
  app.get(
    '/readyz',
    { config: { rateLimit: false }, schema: { tags: ['health'], summary: 'readiness: models loaded, not shutting down', response: { 200: status, 503: errorResponseSchema } } },
    async () => {
      if (app.nadir.state.draining) throw nadirError('NADIR_ERR_UNAVAILABLE', 'shutting down');
      return { status: 'ready', models: ids };
    },
  );
};
