import type { FastifyPluginAsync } from 'fastify';
import { unknownModel } from '../http-errors.js';
import { errorResponseSchema, modelCardSchema, modelListSchema } from '../schemas.js';

/**
 * GET /api/v1/models (every model, the default first) and GET /api/v1/models/:id, the model
 * card: task, learner, classes, decision and threshold, input schema, metrics (cross-validation
 * and hold-out), importance, provenance. Built once at startup (ServedModel).
 */
export const modelsPlugin: FastifyPluginAsync = async (app) => {
  const { models, defaultModel } = app.nadir;
  const list = { default: defaultModel.id, models: [...models.values()].map((m) => m.summary) };
  app.get('/models', { schema: { tags: ['models'], summary: 'The models served (the first is the default)', response: { 200: modelListSchema, '4xx': errorResponseSchema } } }, async () => list);
  app.get(
    '/models/:id',
    {
      schema: {
        tags: ['models'],
        summary: 'A model card: task, classes, decision and threshold, input schema, metrics, importance, provenance',
        params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        response: { 200: modelCardSchema, '4xx': errorResponseSchema },
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const m = models.get(id);
      if (!m) throw unknownModel(id, models.keys());
      return m.card;
    },
  );
};
