import Joi from 'joi';
import { processDefinitions } from '../../../machines';
import { AppError } from '../../errors';
import { processGraph } from '../../processes/process-graph';
import { ALL_STAFF } from '../authenticate';
import { E404, json, ref } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';

const byVersion = Joi.object<{ id: string; version: string }>({
  id: Joi.string().required().description('Process id, e.g. standard-licence'),
  version: Joi.string().required().description('Machine version'),
});

/** Process definitions as diagrams (staff only): the states and transitions of a registered machine version. */
export const processRoutes: RouteGroup = {
  base: '/processes',
  tag: 'applications',
  routes: [
    defineRoute({
      method: 'get',
      path: '/:id/:version/graph',
      summary: '流程图 / States and transitions of a registered process version (staff)',
      auth: ALL_STAFF,
      params: byVersion,
      responses: { 200: json(ref('ProcessGraph')), 404: E404 },
      handler: ({ res, params }) => {
        const definition = processDefinitions.find((d) => d.id === params.id && String(d.version) === params.version);
        if (!definition) throw new AppError('NOT_FOUND', `未找到流程定义 / No process definition ${params.id} v${params.version}`);
        res.json(processGraph(definition));
      },
    }),
  ],
};
