import { create as contentDisposition } from 'content-disposition';
import Joi from 'joi';
import { showsInline } from '../../files/content-type';
import { FINDING_LABELS, VERDICT_LABELS } from '../../pre-reviews/pre-review-labels';
import { toPreReviewListItem, toPreReviewStatusView, toPreReviewView } from '../../pre-reviews/pre-review-view';
import {
  answerPreReview, findPreReviewByQueryCode, listPreReviews, loadReadablePreReview, preReviewAnswerSchema, preReviewFiles,
  preReviewInputSchema, readPreReviewFile, submitPreReview,
} from '../../pre-reviews/pre-reviews';
import { actorOf } from '../../use-cases/send-event';
import { ALL_STAFF } from '../authenticate';
import { E404, E409, E413, E415, E429, arr, bilingual, error, int, json, nullable, obj, str } from '../api-schemas';
import { ONLINE_FILE_FIELD, onlineForm, onlineUploads } from '../multipart';
import { defineRoute, type RouteGroup } from '../route-table';
import { APPLICATION_NO, QUERY_CODE } from '../validate';
import { APPLICATION_EXAMPLE } from './application-routes';
import { toFileView } from './file-routes';

/** A complete pre-review, shown in the API document. */
export const PRE_REVIEW_EXAMPLE = {
  itemCode: '370000-AQ-XK-007',
  project: { name: '裕龙岛炼化一体化项目（一期）', location: '烟台市龙口市裕龙岛', description: '2000万吨/年炼油、300万吨/年乙烯及配套储运设施' },
  applicant: { ...APPLICATION_EXAMPLE.applicant, divisionCode: '370602' },
  materials: [{ code: 'M01', provided: true }, { code: 'M02', provided: true }],
};

const byId = Joi.object<{ id: string }>({ id: Joi.string().max(64).required().description('Pre-review id') });
const byFile = Joi.object<{ id: string; fileId: string }>({ id: Joi.string().max(64).required().description('Pre-review id'), fileId: Joi.string().max(64).required().description('File id') });
const listQuery = Joi.object<{ recent: boolean; limit: number }>({
  recent: Joi.boolean().default(false).description('true: the latest pre-reviews of every status; else those waiting for an answer, oldest first'),
  limit: Joi.number().integer().min(1).max(200).default(50),
});
const statusQuery = Joi.object<{ preReviewNo: string; queryCode: string }>({
  preReviewNo: APPLICATION_NO.required().example('YS-370600-20260302-00001'),
  queryCode: QUERY_CODE.required().example('ABCDEFGH'),
});

const clock = nullable(obj({ limitWorkingDays: int(), startedOn: str(), dueDate: str(), remainingWorkingDays: int(), stopped: { type: 'boolean' }, light: str(undefined, { enum: ['green', 'yellow', 'red'] }) }));
const answer = nullable(obj({
  verdict: str(undefined, { enum: Object.keys(VERDICT_LABELS) }), verdictLabel: bilingual, note: str(), on: str(),
  findings: arr(obj({ material: str(), name: str(), nameEn: str(), finding: str(undefined, { enum: Object.keys(FINDING_LABELS) }), label: bilingual, note: str() })),
}));
const preReviewView = json(obj({
  id: str(), preReviewNo: str(), itemCode: str(), itemName: str(), status: str(), statusLabel: bilingual, version: int(),
  project: obj({ name: str(), location: str(), description: str() }), target: clock, mayAnswer: { type: 'boolean' }, answer,
  answerForm: nullable({ type: 'object', description: 'When the reader may answer: the JSON Schema of the answer (PreReviewAnswer) with one row per material, which the console builds its form from' }),
  history: arr({ type: 'object', description: 'Every answer given, newest first, with who gave it' }),
  materials: arr(obj({ code: str(), name: str(), provided: { type: 'boolean' }, files: arr(obj({ fileId: str(), name: str(), version: int() })) })),
  application: nullable(obj({ id: str(), applicationNo: str() })),
}));
const multipartOf = (part: string) => ({
  schema: {
    type: 'object',
    properties: { [part]: { type: 'object', description: 'The pre-review, as JSON (PreReviewInput)' } },
    patternProperties: { [ONLINE_FILE_FIELD.source]: str('A file of the material named in brackets', { format: 'binary' }) },
    required: [part],
  },
  encoding: { [part]: { contentType: 'application/json' } },
});
const created = json(obj({ id: str(), preReviewNo: str(), queryCode: str('Shown once; keep it to read the findings'), status: str(), target: clock, files: arr({ type: 'object' }) }), 'Created');
const PRE_REVIEW_PART = 'preReview';
const FORM_NOTE = 'As JSON, or as multipart/form-data with the pre-review as JSON in the part `preReview` and each file in a part `files[<material code>]`; files are checked (type from the content: 415; limits: 413) before anything is stored.';

/** 容缺预审 for staff: a clerk submits for an enterprise, reviewers list, read and answer. */
export const preReviewRoutes: RouteGroup = {
  base: '/pre-reviews',
  tag: 'pre-reviews',
  routes: [
    defineRoute({
      method: 'post',
      path: '/',
      summary: '容缺预审：窗口代为提交 / A clerk submits a pre-review for an enterprise; returns the query code once',
      description: FORM_NOTE,
      auth: ['clerk'],
      use: (services) => [onlineForm(services, PRE_REVIEW_PART)],
      body: { name: 'PreReviewInput', what: 'pre-review', schema: preReviewInputSchema, example: PRE_REVIEW_EXAMPLE },
      multipart: multipartOf(PRE_REVIEW_PART),
      responses: { 201: created, 413: E413, 415: E415 },
      handler: async ({ services, req, res, principal, body }) => {
        const { preReview, queryCode, files } = await submitPreReview(services, body, onlineUploads(req), actorOf(principal), 'window');
        res.status(201).json({ ...toPreReviewView(services, preReview, principal, []), queryCode, files: files.map(toFileView) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/',
      summary: '预审工作清单 / Pre-reviews waiting for an answer in the caller\'s jurisdiction, with their service-target light',
      auth: ALL_STAFF,
      query: listQuery,
      responses: { 200: json(obj({ items: arr(obj({ id: str(), preReviewNo: str(), itemName: str(), projectName: str(), applicantName: str(), status: str(), statusLabel: bilingual, target: clock })) })) },
      handler: async ({ services, res, principal, query }) => {
        res.json({ items: (await listPreReviews(services, principal, query)).map((p) => toPreReviewListItem(services, p)) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/:id',
      summary: '预审详情 / One pre-review (staff of its jurisdiction; anyone else 404)',
      auth: ALL_STAFF,
      params: byId,
      responses: { 200: preReviewView, 404: E404 },
      handler: async ({ services, res, principal, params }) => {
        const pre = await loadReadablePreReview(services, principal, params.id);
        res.json(toPreReviewView(services, pre, principal, await preReviewFiles(services, pre)));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/:id/answer',
      summary: '出具预审意见 / A reviewer answers: a finding per material and ready or needs_more',
      description: 'Every material of the item gets a finding (sufficient, missing, to_be_revised with a note); `ready` needs every core material sufficient. Answering again replaces the findings shown (all are kept). A reviewer of another jurisdiction gets 404, a clerk 403; a pre-review already made into an application is 409.',
      auth: ALL_STAFF,
      params: byId,
      body: {
        name: 'PreReviewAnswer', what: 'answer', schema: preReviewAnswerSchema,
        example: { verdict: 'needs_more', findings: [{ material: 'M01', finding: 'sufficient', note: '' }, { material: 'M02', finding: 'to_be_revised', note: '安全评价报告缺少评价机构签章页' }], note: '补充后可正式申请' },
      },
      responses: { 200: preReviewView, 404: E404, 409: E409 },
      handler: async ({ services, res, principal, params, body }) => {
        const pre = await answerPreReview(services, principal, params.id, body);
        res.json(toPreReviewView(services, pre, principal, await preReviewFiles(services, pre)));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/:id/files/:fileId',
      summary: '预审材料文件 / The bytes of a pre-review\'s file (staff of its jurisdiction)',
      auth: ALL_STAFF,
      params: byFile,
      responses: { 200: { description: 'The bytes as uploaded', content: { 'application/octet-stream': { schema: str(undefined, { format: 'binary' }) } } }, 404: E404 },
      handler: async ({ services, res, principal, params }) => {
        const { file, bytes } = await readPreReviewFile(services, principal, params.id, params.fileId);
        res.setHeader('Content-Type', file.contentType);
        res.setHeader('Content-Disposition', contentDisposition(file.name, { type: showsInline(file.contentType) ? 'inline' : 'attachment' }));
        res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Cache-Control', 'private, no-cache');
        res.end(bytes);
      },
    }),
  ],
};

/** 容缺预审 for enterprises: online submission and the findings by number and query code. */
export const publicPreReviewRoutes: RouteGroup = {
  base: '/',
  tag: 'public',
  routes: [
    defineRoute({
      method: 'post',
      path: '/online-pre-reviews',
      summary: '容缺预审：网上提交 / An enterprise submits a pre-review online; returns the number and the query code once',
      description: FORM_NOTE,
      auth: 'public',
      use: (services) => [onlineForm(services, PRE_REVIEW_PART)],
      body: { name: 'OnlinePreReviewInput', what: 'pre-review', schema: preReviewInputSchema, example: PRE_REVIEW_EXAMPLE },
      multipart: multipartOf(PRE_REVIEW_PART),
      responses: { 201: created, 413: E413, 415: E415, 429: E429 },
      handler: async ({ services, req, res, body }) => {
        const actor = { kind: 'enterprise' as const, id: body.applicant.uscc, name: body.applicant.name };
        const { preReview, queryCode, files } = await submitPreReview(services, body, onlineUploads(req), actor, 'online');
        res.status(201).json({ id: preReview.id, preReviewNo: preReview.preReviewNo, queryCode, status: preReview.status, target: toPreReviewListItem(services, preReview).target, files: files.map(toFileView) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/pre-review-status',
      summary: '预审查询 / A pre-review\'s findings by its number and query code',
      auth: 'public',
      query: statusQuery,
      responses: {
        200: json(obj({ preReviewNo: str(), itemName: str(), projectName: str(), applicantName: str(), status: str(), statusLabel: bilingual, submittedOn: str(), answerDue: nullable(str()), answer, applicationNo: nullable(str()) })),
        404: error('未找到匹配的预审 / No match (wrong code and unknown number answer alike)'),
        429: E429,
      },
      handler: async ({ services, res, query: { preReviewNo, queryCode } }) => {
        const pre = await findPreReviewByQueryCode(services, preReviewNo, queryCode);
        res.json(toPreReviewStatusView(services, pre, await preReviewFiles(services, pre)));
      },
    }),
  ],
};
