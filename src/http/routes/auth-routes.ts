import { Router } from 'express';
import Joi from 'joi';
import { verifyPassword } from '../../auth/passwords';
import { AppError } from '../../errors';
import type { Services } from '../../services';
import { findByQueryCode } from '../../use-cases/lookup-status';
import { APPLICATION_NO, QUERY_CODE, USERNAME, validate } from '../validate';

const loginSchema = Joi.object({ username: USERNAME.required(), password: Joi.string().max(256).required() });
const enterpriseSchema = Joi.object({ applicationNo: APPLICATION_NO.required(), queryCode: QUERY_CODE.required() });

export function authRoutes(services: Services): Router {
  const router = Router();

  // Staff sign-in; one message for every failure so usernames cannot be probed.
  router.post('/token', async (req, res) => {
    const { username, password } = validate<{ username: string; password: string }>(loginSchema, req.body, 'login');
    const account = await services.staff.find(username);
    const ok = account?.active && (await verifyPassword(password, account.passwordHash));
    if (!account || !ok) throw new AppError('UNAUTHENTICATED', '用户名或密码错误 / Wrong username or password');
    const { token, expiresAt } = services.tokens.issue({ kind: 'staff', sub: account.username, name: account.name, role: account.role, jurisdiction: account.jurisdiction });
    res.json({ token, expiresAt, user: { username: account.username, name: account.name, role: account.role, jurisdiction: account.jurisdiction } });
  });

  // An enterprise proves it holds one application's query code and may then act on that application only.
  router.post('/enterprise-token', async (req, res) => {
    const { applicationNo, queryCode } = validate<{ applicationNo: string; queryCode: string }>(enterpriseSchema, req.body, 'lookup');
    const app = await findByQueryCode(services, applicationNo, queryCode);
    const { token, expiresAt } = services.tokens.issue({ kind: 'enterprise', sub: app.applicant.uscc, applicationId: app.id, uscc: app.applicant.uscc, name: app.applicant.name });
    res.json({ token, expiresAt, applicationId: app.id });
  });

  return router;
}
