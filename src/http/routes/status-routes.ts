import { Router } from 'express';
import Joi from 'joi';
import type { Services } from '../../services';
import { findByQueryCode } from '../../use-cases/lookup-status';
import { submitApplication, type SubmitApplicationInput } from '../../use-cases/submit-application';
import { toStatusView } from '../../views/status-view';
import { applicationBodySchema } from './application-routes';
import { APPLICATION_NO, QUERY_CODE, validate } from '../validate';

const statusQuery = Joi.object({ applicationNo: APPLICATION_NO.required(), queryCode: QUERY_CODE.required() });

/** What the public reaches without signing in: status lookup (办件查询) and online submission (不见面审批). */
export function publicRoutes(services: Services): Router {
  const router = Router();

  router.get('/status', async (req, res) => {
    const { applicationNo, queryCode } = validate<{ applicationNo: string; queryCode: string }>(statusQuery, req.query, 'query');
    res.json(toStatusView(services, await findByQueryCode(services, applicationNo, queryCode)));
  });

  router.post('/online-applications', async (req, res) => {
    const input = validate<SubmitApplicationInput>(applicationBodySchema, { ...req.body, channel: 'online' }, 'application');
    const { application, queryCode } = await submitApplication(services, input, {
      kind: 'enterprise',
      id: input.applicant.uscc,
      name: input.applicant.name,
    });
    res.status(201).json({ applicationNo: application.applicationNo, queryCode, status: application.status, statusLabel: toStatusView(services, application).statusLabel });
  });

  return router;
}
