import Joi from 'joi';
import type { Applicant } from '../../engine/application-record';
import { AppError } from '../../errors';
import { findByQueryCode } from '../../use-cases/lookup-status';
import { onlineApplicationInputSchema } from '../../use-cases/submit-application';
import { submitOnline } from '../../use-cases/submit-online';
import { submitFromPreReview } from '../../pre-reviews/from-pre-review';
import { ONLINE_FILE_FIELD, onlineForm, onlineUploads } from '../multipart';
import { toStatusView } from '../../views/status-view';
import { E413, E415, E429, arr, error, json, obj, ref, str } from '../api-schemas';
import { toFileView } from './file-routes';
import { defineRoute, type RouteGroup } from '../route-table';
import { APPLICATION_NO, QUERY_CODE } from '../validate';
import { APPLICATION_EXAMPLE } from './application-routes';

const statusQuery = Joi.object<{ applicationNo: string; queryCode: string }>({
  applicationNo: APPLICATION_NO.required().example('370602-20260302-00001'),
  queryCode: QUERY_CODE.required().example('ABCDEFGH'),
});
const { channel: _window, ...ONLINE_EXAMPLE } = APPLICATION_EXAMPLE;
const enterpriseOf = (applicant: Applicant) => ({ kind: 'enterprise' as const, id: applicant.uscc, name: applicant.name });

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
      summary: '不见面审批：网上提交 / Online submission, as JSON or as multipart/form-data with the files of the materials',
      description: 'As multipart/form-data: the application as JSON in the part `application`, and each file in a part named `files[<material code>]` (several parts may name one material). The files are checked as uploads are (type from the content: 415; limits: 413) before anything is created: a bad file creates nothing. A material that comes with a file counts as provided.',
      auth: 'public',
      use: (services) => [onlineForm(services)],
      body: { name: 'OnlineApplicationInput', what: 'application', schema: onlineApplicationInputSchema, example: ONLINE_EXAMPLE },
      multipart: {
        schema: {
          type: 'object',
          properties: { application: { ...ref('OnlineApplicationInput'), description: 'The application, as JSON' } },
          patternProperties: { [ONLINE_FILE_FIELD.source]: str('A file of the material named in brackets', { format: 'binary' }) },
          required: ['application'],
        },
        encoding: { application: { contentType: 'application/json' } },
      },
      responses: {
        201: json(obj({ applicationNo: str(), queryCode: str('Shown once; keep it for status lookups'), status: str(), statusLabel: ref('Label'), files: arr(ref('MaterialFile')) }), 'Created'),
        413: E413,
        415: E415,
        429: E429,
      },
      handler: async ({ services, req, res, body }) => {
        const uploads = onlineUploads(req);
        const { fromPreReview, preReviewQueryCode } = body;
        if (fromPreReview && !preReviewQueryCode) {
          const message = '由预审转正式申请须提供预审查询码 / preReviewQueryCode is required with fromPreReview';
          throw new AppError('VALIDATION_FAILED', message, [{ field: 'preReviewQueryCode', message }]);
        }
        const { application, queryCode, files } = fromPreReview && preReviewQueryCode
          // The applicant is the pre-review's, read once the query code has proved it.
          ? await submitFromPreReview(services, { queryCode: preReviewQueryCode }, { ...body, fromPreReview }, enterpriseOf,
            (input, made) => submitOnline(services, input, uploads, enterpriseOf(input.applicant), made))
          : await submitOnline(services, body, uploads, enterpriseOf(body.applicant));
        res.status(201).json({ applicationNo: application.applicationNo, queryCode, status: application.status, statusLabel: toStatusView(services, application).statusLabel, files: files.map(toFileView) });
      },
    }),
  ],
};
