import { Router } from 'express';
import Joi from 'joi';
import { shanghaiDate } from '../../calendar';
import { toCertificateListItem, toCertificateView, toReminderView, toVerifyAnswer } from '../../certificates/certificate-view';
import type { CertificateStatus } from '../../certificates/certificate-store';
import type { ReminderState } from '../../certificates/reminder-store';
import type { Services } from '../../services';
import {
  findForVerification, listCertificates, listExpiring, listReminders, loadReadableCertificate, reminderHistory,
} from '../../use-cases/read-certificates';
import { retryReminder } from '../../use-cases/retry-reminder';
import { ALL_STAFF, staffWith } from '../authenticate';
import { validate } from '../validate';

const CERTIFICATE_NO = Joi.string().trim().pattern(/^[A-Za-z0-9-]{1,40}$/, 'certificate number');
const REMINDER_KEY = Joi.string().pattern(/^[A-Za-z0-9:_-]{1,100}$/, 'reminder key');
const USCC = Joi.string().trim().uppercase().pattern(/^[0-9A-Z]{18}$/, 'USCC');
const page = { offset: Joi.number().integer().min(0).max(100_000).default(0), limit: Joi.number().integer().min(1).max(200).default(50) };
const commaList = (values: string[]) => Joi.string().pattern(new RegExp(`^(${values.join('|')})(,(${values.join('|')}))*$`), values.join('|'));

const listQuery = Joi.object({ uscc: USCC, itemCode: Joi.string().max(40), status: commaList(['valid', 'expired', 'revoked', 'cancelled', 'superseded']), ...page });
const expiringQuery = Joi.object({ days: Joi.number().integer().min(0).max(366).default(30), ...page });
const verifyQuery = Joi.object({ number: CERTIFICATE_NO.required(), uscc: USCC.required() });
const remindersQuery = Joi.object({ state: commaList(['pending', 'sent', 'failed', 'given_up']).default('failed,given_up'), ...page });

type Paged = { offset: number; limit: number };

/** Certificates (证照): staff lists and views, reminder records, and the public validity check. */
export function certificateRoutes(services: Services): Router {
  const router = Router();

  // Fixed paths come before /:number, which would otherwise take them as certificate numbers.
  router.get('/verify', async (req, res) => {
    const q = validate<{ number: string; uscc: string }>(verifyQuery, req.query, 'query');
    res.json(toVerifyAnswer(await findForVerification(services, q.number, q.uscc), shanghaiDate(services.now())));
  });

  router.get('/expiring', async (req, res) => {
    const staff = staffWith(req, ALL_STAFF);
    const q = validate<{ days: number } & Paged>(expiringQuery, req.query, 'query');
    const { from, to, items, total } = await listExpiring(services, staff, q.days, q);
    res.json({ from, to, items: items.map(({ cert, renewal }) => toCertificateListItem(services, cert, renewal)), total, offset: q.offset, limit: q.limit });
  });

  router.get('/reminders', async (req, res) => {
    const staff = staffWith(req, ALL_STAFF);
    const q = validate<{ state: string } & Paged>(remindersQuery, req.query, 'query');
    const { items, total } = await listReminders(services, staff, q.state.split(',') as ReminderState[], q);
    res.json({ items: items.map(toReminderView), total, offset: q.offset, limit: q.limit });
  });

  router.get('/', async (req, res) => {
    const staff = staffWith(req, ALL_STAFF);
    const q = validate<{ uscc?: string; itemCode?: string; status?: string } & Paged>(listQuery, req.query, 'query');
    const status = q.status?.split(',') as CertificateStatus[] | undefined;
    const { items, total } = await listCertificates(services, staff, { ...q, status });
    res.json({ items: items.map(({ cert, renewal }) => toCertificateListItem(services, cert, renewal)), total, offset: q.offset, limit: q.limit });
  });

  router.get('/:number', async (req, res) => {
    const staff = staffWith(req, ALL_STAFF);
    const number = validate<string>(CERTIFICATE_NO, req.params.number, 'certificate number');
    const { cert, renewal } = await loadReadableCertificate(services, staff, number);
    res.json(toCertificateView(services, cert, renewal));
  });

  router.get('/:number/reminders', async (req, res) => {
    const staff = staffWith(req, ALL_STAFF);
    const number = validate<string>(CERTIFICATE_NO, req.params.number, 'certificate number');
    res.json({ certificateNumber: number, items: (await reminderHistory(services, staff, number)).map(toReminderView) });
  });

  router.post('/:number/reminders/:key/retry', async (req, res) => {
    const staff = staffWith(req, ['clerk', 'admin']);
    const number = validate<string>(CERTIFICATE_NO, req.params.number, 'certificate number');
    const key = validate<string>(REMINDER_KEY, req.params.key, 'reminder key');
    const { outcome, reminder } = await retryReminder(services, staff, number, key);
    res.json({ outcome, reminder: toReminderView(reminder) });
  });

  return router;
}
