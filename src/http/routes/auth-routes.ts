import Joi from 'joi';
import { verifyPassword } from '../../auth/passwords';
import { AppError } from '../../errors';
import { findByQueryCode } from '../../use-cases/lookup-status';
import { E429, error, instant, json, obj, str } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';
import { APPLICATION_NO, QUERY_CODE, USERNAME } from '../validate';

const loginSchema = Joi.object<{ username: string; password: string }>({ username: USERNAME.required(), password: Joi.string().max(256).required() });
const enterpriseSchema = Joi.object<{ applicationNo: string; queryCode: string }>({ applicationNo: APPLICATION_NO.required(), queryCode: QUERY_CODE.required() });

/** Sign-in: staff by password, an enterprise for one application by its number and query code. */
export const authRoutes: RouteGroup = {
  base: '/auth',
  tag: 'auth',
  routes: [
    // Staff sign-in; one message for every failure so usernames cannot be probed.
    defineRoute({
      method: 'post',
      path: '/token',
      summary: '工作人员登录 / Staff sign-in',
      auth: 'public',
      body: { name: 'Login', what: 'login', schema: loginSchema, example: { username: 'clerk', password: 'demo' } },
      responses: { 200: json(obj({ token: str(), expiresAt: instant, user: obj({ username: str(), name: str(), role: str(), jurisdiction: str() }) })), 401: error('用户名或密码错误 / Wrong username or password'), 429: E429 },
      handler: async ({ services, res, body: { username, password } }) => {
        const account = await services.staff.find(username);
        const ok = account?.active && (await verifyPassword(password, account.passwordHash));
        if (!account || !ok) throw new AppError('UNAUTHENTICATED', '用户名或密码错误 / Wrong username or password');
        const { token, expiresAt } = services.tokens.issue({ kind: 'staff', sub: account.username, name: account.name, role: account.role, jurisdiction: account.jurisdiction, ...(account.department ? { department: account.department } : {}) });
        res.json({ token, expiresAt, user: { username: account.username, name: account.name, role: account.role, jurisdiction: account.jurisdiction } });
      },
    }),
    // An enterprise proves it holds one application's query code and may then act on that application only.
    defineRoute({
      method: 'post',
      path: '/enterprise-token',
      summary: '企业凭申请编号和查询码取得令牌 / Enterprise token for one application',
      description: 'The token reads that application and may send WITHDRAW and SUBMIT_CORRECTION.',
      auth: 'public',
      body: { name: 'EnterpriseLogin', what: 'lookup', schema: enterpriseSchema, example: { applicationNo: '370602-20260302-00001', queryCode: 'ABCDEFGH' } },
      responses: { 200: json(obj({ token: str(), expiresAt: instant, applicationId: str() })), 404: error('编号与查询码不匹配（与编号不存在时相同）/ No match, same answer as an unknown number'), 429: E429 },
      handler: async ({ services, res, body: { applicationNo, queryCode } }) => {
        const app = await findByQueryCode(services, applicationNo, queryCode);
        const { token, expiresAt } = services.tokens.issue({ kind: 'enterprise', sub: app.applicant.uscc, applicationId: app.id, uscc: app.applicant.uscc, name: app.applicant.name });
        res.json({ token, expiresAt, applicationId: app.id });
      },
    }),
  ],
};
