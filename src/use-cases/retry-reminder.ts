import type { Principal } from '../auth/access-policy';
import type { DeliveryOutcome } from '../certificates/reminder-outbox';
import type { ReminderRecord } from '../certificates/reminder-store';
import { AppError } from '../errors';
import type { Services } from '../services';
import { loadReadableCertificate, type CertificateReadDeps } from './read-certificates';

type Staff = Extract<Principal, { kind: 'staff' }>;

/**
 * 重新发送: staff of the certificate's jurisdiction give a reminder that was given up one more attempt,
 * made at once; the answer says whether it was sent or failed again (and why).
 */
export async function retryReminder(services: CertificateReadDeps & Pick<Services, 'reminders' | 'reminderOutbox' | 'now'>, staff: Staff, certificateNumber: string, key: string): Promise<{ outcome: DeliveryOutcome; reminder: ReminderRecord }> {
  const { cert } = await loadReadableCertificate(services, staff, certificateNumber);
  const reminder = await services.reminders.get(key);
  if (!reminder || reminder.certificateNumber !== cert.number) throw new AppError('NOT_FOUND', `提醒不存在 / Reminder ${key} of certificate ${cert.number} not found`);
  if (reminder.state !== 'given_up') {
    throw new AppError('PRECONDITION_FAILED', `只有已放弃投递的提醒可以重新发送（当前：${reminder.state}）/ Only a reminder that was given up can be retried (it is ${reminder.state})`, { state: reminder.state });
  }
  await services.reminders.grantAttempt(key, services.now());
  const outcome = await services.reminderOutbox.deliver((await services.reminders.get(key))!);
  return { outcome, reminder: (await services.reminders.get(key))! };
}
