import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { NADIR_VERSION } from '../../version.js';

/**
 * The API described by OpenAPI 3.1 (@fastify/swagger, from the routes' own JSON schemas, so the
 * document cannot drift from what is validated): GET /openapi.json, and browsable docs at /docs
 * (@fastify/swagger-ui). Registered before the routes, which it collects as they are added.
 */
export const openapiPlugin = fp(
  async (app) => {
    const keyed = app.nadir.apiKey !== null;
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'nadir',
          version: NADIR_VERSION,
          description:
            'Network anomaly detection: score network-traffic records with trained nadir models. ' +
            'Errors are always `{ "error": { "code", "message", "field"? } }`. ' +
            (keyed ? 'The /api and /v2 routes need the API key: `Authorization: Bearer <key>` or `x-api-key: <key>`.' : 'No API key is configured: the API is open to whoever can reach it.'),
        },
        tags: [
          { name: 'predict', description: 'score records' },
          { name: 'models', description: 'the models served' },
          { name: 'v2', description: 'KServe / Open Inference Protocol v2' },
          { name: 'health', description: 'probes and metrics' },
        ],
        ...(keyed
          ? {
              components: {
                securitySchemes: {
                  bearer: { type: 'http', scheme: 'bearer', description: 'the API key as a bearer token' },
                  apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
                },
              },
            }
          : {}),
      },
      // the key guards /api and /v2 only (set on the document, after any route's own transform)
      transformObject: (doc) => {
        const o = ('openapiObject' in doc ? doc.openapiObject : doc.swaggerObject) as { paths?: Record<string, Record<string, { security?: unknown }>> };
        if (keyed) {
          for (const [path, ops] of Object.entries(o.paths ?? {})) {
            if (!(path.startsWith('/api/') || path.startsWith('/v2'))) continue;
            for (const op of Object.values(ops)) op.security = [{ bearer: [] }, { apiKey: [] }];
          }
        }
        return o as never;
      },
    });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  },
  { name: 'nadir-openapi', fastify: '5.x' },
);
