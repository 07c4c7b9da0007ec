import { Router } from 'express';
import { processDefinitions } from '../../../machines';
import { AppError } from '../../errors';
import { processGraph } from '../../processes/process-graph';
import { ALL_STAFF, staffWith } from '../authenticate';

/** Process definitions as diagrams (staff only): the states and transitions of a registered machine version. */
export function processRoutes(): Router {
  const router = Router();
  router.get('/:id/:version/graph', (req, res) => {
    staffWith(req, ALL_STAFF);
    const definition = processDefinitions.find((d) => d.id === req.params.id && String(d.version) === req.params.version);
    if (!definition) throw new AppError('NOT_FOUND', `未找到流程定义 / No process definition ${req.params.id} v${req.params.version}`);
    res.json(processGraph(definition));
  });
  return router;
}
