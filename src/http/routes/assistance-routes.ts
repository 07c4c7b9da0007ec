import Joi from 'joi';
import { PRINTABLE_TEXT } from '../../domain/printable-text';
import { answerThroughLink, assistanceLinkView, openAssistanceLink } from '../../use-cases/assistance';
import { E429, error, json, nullable, obj, str } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';

const TOKEN = Joi.string().max(1000).pattern(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'assistance link token').required().description('The token of the link in the department\'s mail').example('eyJhIjoiYXBwLTEiLCJyIjoiQTEifQ.c2lnbmF0dXJl');
const E403_LINK = error('链接已过答复期限、已答复或已撤回 / FORBIDDEN (ASSISTANCE_LINK_INVALID): past its deadline, answered or withdrawn');
const E404_LINK = error('链接被篡改或不是协查链接 / NOT_FOUND: altered, or not an assistance link');

const requestView = obj({
  applicationNo: str(), itemName: str(), applicant: obj({ name: str(), uscc: str() }), office: str(),
  requestId: str(), department: str(), questions: str(), requestedOn: str(undefined, { format: 'date' }), dueDate: nullable(str(undefined, { format: 'date' })), status: str(undefined, { enum: ['open'] }),
}, ['applicationNo', 'requestId', 'questions', 'status']);

/** 部门协查: another department reads and answers one request through the link of its mail, without an account. */
export const assistanceRoutes: RouteGroup = {
  base: '/assistance',
  tag: 'public',
  routes: [
    defineRoute({
      method: 'get',
      path: '/',
      summary: '部门协查：凭链接查看协查事项 / Assistance request opened by the link of the department\'s mail (no account)',
      auth: 'public',
      query: Joi.object<{ token: string }>({ token: TOKEN }),
      responses: { 200: json(requestView), 403: E403_LINK, 404: E404_LINK, 429: E429 },
      handler: async ({ services, res, query }) => {
        const { app, request } = await openAssistanceLink(services, query.token);
        res.json(assistanceLinkView(services, app, request));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/answer',
      summary: '部门协查：凭链接答复 / The department answers the request through its link (no account); recorded in the application\'s timeline and details',
      auth: 'public',
      body: {
        name: 'AssistanceAnswer',
        what: 'answer',
        schema: Joi.object<{ token: string; answer: string }>({
          token: TOKEN,
          answer: Joi.string().trim().min(1).max(4000).pattern(PRINTABLE_TEXT, 'printable text').required().description('协查答复 / The answer'),
        }),
        example: { token: 'eyJhIjoiYXBwLTEiLCJyIjoiQTEifQ.c2lnbmF0dXJl', answer: '经核实，该企业主要负责人无违法犯罪记录。' },
      },
      responses: { 200: json(obj({ requestId: str(), status: str(undefined, { enum: ['answered'] }), answeredOn: str(undefined, { format: 'date' }) })), 403: E403_LINK, 404: E404_LINK, 409: error('申请已办结 / EVENT_NOT_ALLOWED: the application is no longer under review'), 429: E429 },
      handler: async ({ services, res, body }) => {
        const request = await answerThroughLink(services, body.token, body.answer);
        res.json({ requestId: request.id, status: request.status, answeredOn: request.answer?.on });
      },
    }),
  ],
};
