import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Stable Message-ID, so a resend after a crash is recognisable as the same mail. */
  messageId: string;
}

export interface Mailer {
  /** Where mail goes, for the start-up log. */
  describe: string;
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

/** Mail through SMTP (`smtpUrl`), or, without one, into .eml files in `folder` so nothing is lost in development. */
export function createMailer(options: { smtpUrl: string; from: string; folder: string }): Mailer {
  if (options.smtpUrl) {
    // Pooled: each mail reuses an open connection instead of a new TCP and SMTP handshake (unless the URL says pool=false).
    const url = new URL(options.smtpUrl);
    if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
    const transport = nodemailer.createTransport(url.toString());
    return {
      describe: `SMTP ${new URL(options.smtpUrl).host}`,
      async send(mail) {
        const info = await transport.sendMail({ from: options.from, ...mail });
        return { messageId: info.messageId };
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    describe: `no SMTP_URL set: mails are written as .eml files to ${options.folder}`,
    async send(mail) {
      const info = await transport.sendMail({ from: options.from, ...mail });
      await mkdir(options.folder, { recursive: true });
      const safeId = mail.messageId.replace(/[^A-Za-z0-9.@-]/g, '_');
      await writeFile(path.join(options.folder, `${safeId}.eml`), info.message as Buffer);
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
