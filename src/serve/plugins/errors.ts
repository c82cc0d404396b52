import fp from 'fastify-plugin';
import { nadirError } from '../../errors.js';
import { httpError } from '../http-errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The content types a route accepts, named in its 415 answer. */
    accepts?: string;
  }
}

/**
 * Errors and unknown routes: every failure answers `{ error: { code, message, field? } }` with the
 * catalogue's status (http-errors.ts); unexpected ones are logged with their stack, never sent.
 */
export const errorsPlugin = fp(
  async (app) => {
    app.setErrorHandler((err, req, reply) => {
      const h = httpError(err, { contentType: req.headers['content-type'], accepts: req.routeOptions.config?.accepts, bodyBytes: app.nadir.limits.bodyBytes, requestId: String(req.id) });
      if (h.internal) req.log.error({ err }, 'request failed');
      reply.code(h.status).type('application/json; charset=utf-8').send(h.body);
    });
    app.setNotFoundHandler((req, reply) => {
      const path = req.url.split('?')[0]!.slice(0, 200);
      const h = httpError(nadirError('NADIR_ERR_NOT_FOUND', `route ${req.method} ${path}`), { bodyBytes: app.nadir.limits.bodyBytes });
      reply.code(404).type('application/json; charset=utf-8').send(h.body);
    });
  },
  { name: 'nadir-errors', fastify: '5.x' },
);
