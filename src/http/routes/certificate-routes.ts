import Joi from 'joi';
import { shanghaiDate } from '../../calendar';
import { toCertificateListItem, toCertificateView, toReminderView, toVerifyAnswer } from '../../certificates/certificate-view';
import type { CertificateStatus } from '../../certificates/certificate-store';
import type { ReminderState } from '../../certificates/reminder-store';
import {
  findByCheckToken, findForVerification, listCertificates, listExpiring, listReminders, loadReadableCertificate, reminderHistory,
} from '../../use-cases/read-certificates';
import { retryReminder } from '../../use-cases/retry-reminder';
import { readCertificatePdf } from '../../use-cases/read-documents';
import { PDF, sendPdf } from './document-routes';
import { cancelCertificateByStaff } from '../../use-cases/cancel-certificate';
import { CANCELLATION_REASONS, type CancellationReason } from '../../certificates/cancellation';
import { PRINTABLE_TEXT } from '../../domain/printable-text';
import { ALL_STAFF } from '../authenticate';
import { E404, E409, E429, arr, bilingual, date, error, json, nullable, obj, pageOf, ref, str } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';

const CERTIFICATE_NO = Joi.string().trim().pattern(/^[A-Za-z0-9-]{1,40}$/, 'certificate number');
const REMINDER_KEY = Joi.string().pattern(/^[A-Za-z0-9:_-]{1,100}$/, 'reminder key');
const USCC = Joi.string().trim().uppercase().pattern(/^[0-9A-Z]{18}$/, 'USCC');
const page = { offset: Joi.number().integer().min(0).max(100_000).default(0), limit: Joi.number().integer().min(1).max(200).default(50) };
const commaList = (values: string[]) => Joi.string().pattern(new RegExp(`^(${values.join('|')})(,(${values.join('|')}))*$`), values.join('|'));

type Paged = { offset: number; limit: number };
const listQuery = Joi.object<{ uscc?: string; itemCode?: string; status?: string } & Paged>({
  uscc: USCC, itemCode: Joi.string().max(40), status: commaList(['valid', 'expired', 'revoked', 'cancelled', 'superseded']).description('One status or several, comma-separated'), ...page,
});
const expiringQuery = Joi.object<{ days: number } & Paged>({ days: Joi.number().integer().min(0).max(366).default(30), ...page });
const verifyQuery = Joi.object<{ number?: string; uscc?: string; token?: string }>({
  number: CERTIFICATE_NO.example('LU-WHSY-2026-000001'),
  uscc: USCC.description('Holder\'s USCC, with `number`').example('91370602MA3C4R1N3E'),
  token: Joi.string().max(1000).pattern(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'verification token').description('The signed token of the certificate\'s QR code, instead of `number` and `uscc`'),
}).xor('number', 'token').and('number', 'uscc');
const remindersQuery = Joi.object<{ state: string } & Paged>({
  state: commaList(['pending', 'sent', 'failed', 'given_up']).default('failed,given_up').description('pending, sent, failed, given_up; comma-separated (dropped ones are in a certificate\'s history)'), ...page,
});
const cancellationBody = Joi.object<{ reason: CancellationReason; note?: string }>({
  reason: Joi.string().valid(...Object.keys(CANCELLATION_REASONS)).required()
    .description(`注销事由 (Art. 70): ${Object.entries(CANCELLATION_REASONS).map(([k, l]) => `${k} ${l.zh} / ${l.en}`).join('; ')}`),
  note: Joi.string().trim().max(500).allow('').pattern(PRINTABLE_TEXT, 'printable text').description('说明, e.g. the holder\'s request or the decision it follows; shown in the history and the notice'),
});
const byNumber = Joi.object<{ number: string }>({ number: CERTIFICATE_NO.required().description('Certificate number') });
const byReminder = Joi.object<{ number: string; key: string }>({
  number: CERTIFICATE_NO.required().description('Certificate number'), key: REMINDER_KEY.required().description('Reminder key (certificate:validUntil:leadDays)'),
});

/** Certificates (证照): staff lists and views, reminder records, and the public validity check. */
export const certificateRoutes: RouteGroup = {
  base: '/certificates',
  tag: 'certificates',
  // Fixed paths come before /:number, which would otherwise take them as certificate numbers.
  routes: [
    defineRoute({
      method: 'get',
      path: '/verify',
      tag: 'public',
      summary: '证照核验 / Public check of a certificate shown to you (by number and holder, or by the signed token of its QR code): valid, expired, revoked, cancelled, superseded (by a change) or not found, with the SHA-256 of the PDF that was issued',
      auth: 'public',
      query: verifyQuery,
      responses: {
        200: json(obj({
          result: str(undefined, { enum: ['valid', 'expired', 'revoked', 'cancelled', 'superseded', 'not_found'] }), label: bilingual, number: str(), validUntil: nullable(date()),
          supersededBy: nullable(str('superseded: the certificate that replaced this one after a change (变更)')),
          holderName: str('A changed certificate: the holder\'s name it carries'),
          changeOf: str('A changed certificate: the certificate it replaces'),
          licenceId: nullable(str('证照标识')),
          pdfSha256: nullable(str('SHA-256 of the certificate PDF that was issued, to check a printed or forwarded copy against')),
        }, ['result', 'label'])),
        400: error('参数错误，或核验码无效、已被篡改 / VALIDATION_FAILED, also for a token that was altered'),
        429: E429,
      },
      handler: async ({ services, res, query: q }) => {
        const cert = q.token ? await findByCheckToken(services, q.token) : await findForVerification(services, q.number!, q.uscc!);
        res.json(toVerifyAnswer(cert, shanghaiDate(services.now())));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/expiring',
      summary: '临期证照 / Valid certificates ending within N days, soonest first',
      auth: ALL_STAFF,
      query: expiringQuery,
      responses: { 200: pageOf('CertificateListItem', { from: date(), to: date() }) },
      handler: async ({ services, res, principal, query: q }) => {
        const { from, to, items, total } = await listExpiring(services, principal, q.days, q);
        res.json({ from, to, items: items.map(({ cert, renewal }) => toCertificateListItem(services, cert, renewal)), total, offset: q.offset, limit: q.limit });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/reminders',
      summary: '到期提醒投递 / Reminders by delivery state (default: failed and given up, for staff to follow up)',
      auth: ALL_STAFF,
      query: remindersQuery,
      responses: { 200: pageOf('Reminder') },
      handler: async ({ services, res, principal, query: q }) => {
        const { items, total } = await listReminders(services, principal, q.state.split(',') as ReminderState[], q);
        res.json({ items: items.map(toReminderView), total, offset: q.offset, limit: q.limit });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/',
      summary: '证照清单 / Certificates issued in the caller\'s jurisdiction, e.g. of one holder, newest first',
      auth: ALL_STAFF,
      query: listQuery,
      responses: { 200: pageOf('CertificateListItem') },
      handler: async ({ services, res, principal, query: q }) => {
        const status = q.status?.split(',') as CertificateStatus[] | undefined;
        const { items, total } = await listCertificates(services, principal, { ...q, status });
        res.json({ items: items.map(({ cert, renewal }) => toCertificateListItem(services, cert, renewal)), total, offset: q.offset, limit: q.limit });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/:number',
      summary: '证照详情 / One certificate with its history and any renewal in progress',
      auth: ALL_STAFF,
      params: byNumber,
      responses: { 200: json(ref('Certificate')), 404: E404 },
      handler: async ({ services, res, principal, params }) => {
        const { cert, renewal } = await loadReadableCertificate(services, principal, params.number);
        res.json(toCertificateView(services, cert, renewal));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/:number/pdf',
      summary: '电子证照文件 / The certificate as issued (PDF, with the QR code of its public check): staff of its jurisdiction, or the enterprise it was issued to',
      auth: 'signed-in',
      params: byNumber,
      responses: { 200: PDF, 404: error('不存在，或文件尚在制作 / NOT_FOUND, also while the PDF is still being made (a moment after the decision)') },
      handler: async ({ services, res, principal, params: { number } }) => {
        sendPdf(res, await readCertificatePdf(services, principal, number));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/:number/reminders',
      summary: '提醒记录 / Reminder history of a certificate',
      auth: ALL_STAFF,
      params: byNumber,
      responses: { 200: json(obj({ certificateNumber: str(), items: arr(ref('Reminder')) })), 404: E404 },
      handler: async ({ services, res, principal, params: { number } }) => {
        res.json({ certificateNumber: number, items: (await reminderHistory(services, principal, number)).map(toReminderView) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/:number/cancellation',
      summary: '注销 / Cancel a certificate (Art. 70) for one of the law\'s reasons; the holder is notified (clerk, admin of its jurisdiction)',
      auth: ['clerk', 'admin'],
      params: byNumber,
      body: { name: 'CertificateCancellation', what: 'cancellation', schema: cancellationBody, example: { reason: 'on_request', note: '持证单位书面申请注销' } },
      responses: { 200: json(ref('Certificate')), 404: E404, 409: error('已注销、已延续或尚未届满 / PRECONDITION_FAILED: already cancelled, superseded, or (reason expired) not expired') },
      handler: async ({ services, res, principal, params: { number }, body }) => {
        await cancelCertificateByStaff(services, principal, number, body);
        const { cert, renewal } = await loadReadableCertificate(services, principal, number);
        res.json(toCertificateView(services, cert, renewal));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/:number/reminders/:key/retry',
      summary: '重新发送 / Give a reminder that was given up one more attempt, made at once (clerk, admin)',
      auth: ['clerk', 'admin'],
      params: byReminder,
      responses: { 200: json(obj({ outcome: str('sent, failed, given_up, busy or waiting'), reminder: ref('Reminder') })), 404: E404, 409: E409 },
      handler: async ({ services, res, principal, params: { number, key } }) => {
        const { outcome, reminder } = await retryReminder(services, principal, number, key);
        res.json({ outcome, reminder: toReminderView(reminder) });
      },
    }),
  ],
};
