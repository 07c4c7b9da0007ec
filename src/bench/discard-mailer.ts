import type { Mailer } from '../notifications/mailer';

/** Mails a bench causes (notices, reminders) that nobody reads; the bench must not fill the data folder with them. */
export const discardMail: Mailer = { describe: 'discarded (bench)', send: async (mail) => ({ messageId: mail.messageId }), close() {} };
