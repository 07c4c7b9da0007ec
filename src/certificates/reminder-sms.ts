import type { SmsBody } from '../notifications/sms-text';
import type { ReminderRecord } from './reminder-store';

/** The ledger key of the SMS beside the mail entry `key`. */
export const smsTwinKey = (key: string) => `${key}:sms`;

/**
 * The SMS twin of a mail entry of the reminder ledger: the same notice to the holder's mobile, under its own key
 * (`<key>:sms`) and messageId, so it is queued, retried, given up or dropped like the mail and never sent twice.
 */
export function smsTwin<R extends ReminderRecord>(mail: R, mobile: string, sms: SmsBody): R {
  return {
    ...mail,
    key: smsTwinKey(mail.key),
    channel: 'sms',
    to: mobile,
    subject: `短信 / SMS: ${mail.subject}`,
    text: sms.text,
    template: sms.template,
    params: sms.params,
    messageId: `sms.${mail.key}`,
  };
}
