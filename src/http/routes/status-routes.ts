import Joi from 'joi';
import { findByQueryCode } from '../../use-cases/lookup-status';
import { onlineApplicationInputSchema, submitApplication } from '../../use-cases/submit-application';
import { toStatusView } from '../../views/status-view';
import { E429, error, json, obj, ref, str } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';
import { APPLICATION_NO, QUERY_CODE } from '../validate';
import { APPLICATION_EXAMPLE } from './application-routes';

const statusQuery = Joi.object<{ applicationNo: string; queryCode: string }>({
  applicationNo: APPLICATION_NO.required().example('370602-20260302-00001'),
  queryCode: QUERY_CODE.required().example('ABCDEFGH'),
});
const { channel: _window, ...ONLINE_EXAMPLE } = APPLICATION_EXAMPLE;

/** What the public reaches without signing in: status lookup (办件查询) and online submission (不见面审批). */
export const publicRoutes: RouteGroup = {
  base: '/',
  tag: 'public',
  routes: [
    defineRoute({
      method: 'get',
      path: '/status',
      summary: '办件查询 / Status lookup by application number and query code',
      auth: 'public',
      query: statusQuery,
      responses: { 200: json(ref('StatusView')), 404: error('未找到匹配的办件 / No match (wrong code and unknown number answer alike)'), 429: E429 },
      handler: async ({ services, res, query: { applicationNo, queryCode } }) => {
        res.json(toStatusView(services, await findByQueryCode(services, applicationNo, queryCode)));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/online-applications',
      summary: '不见面审批：网上提交 / Online submission',
      auth: 'public',
      body: { name: 'OnlineApplicationInput', what: 'application', schema: onlineApplicationInputSchema, example: ONLINE_EXAMPLE },
      responses: { 201: json(obj({ applicationNo: str(), queryCode: str('Shown once; keep it for status lookups'), status: str(), statusLabel: ref('Label') }), 'Created'), 429: E429 },
      handler: async ({ services, res, body }) => {
        const { application, queryCode } = await submitApplication(services, { ...body, channel: 'online' }, {
          kind: 'enterprise',
          id: body.applicant.uscc,
          name: body.applicant.name,
        });
        res.status(201).json({ applicationNo: application.applicationNo, queryCode, status: application.status, statusLabel: toStatusView(services, application).statusLabel });
      },
    }),
  ],
};
