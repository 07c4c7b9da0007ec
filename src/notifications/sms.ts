import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** 中国大陆手机号: 11 digits, 1 then 3–9 (the numbering plan's mobile ranges); what the intake accepts as `contact.mobile`. */
export const MOBILE_NUMBER = /^1[3-9]\d{9}$/;

/**
 * One SMS, as it is POSTed to the gateway (the README documents the body): `messageId` is fixed by the notice it
 * carries (effect or reminder), so the gateway can drop a resend after a crash or a lost answer. `template` names the
 * kind of notice and `params` its values, for platforms that send only registered templates (短信模板报备).
 */
export interface OutgoingSms {
  to: string;
  text: string;
  messageId: string;
  template: SmsTemplate;
  params: Record<string, string>;
}

/** The kinds of SMS; a later notice (e.g. the 好差评 invitation) adds its own here and sends through the same sender. */
export type SmsTemplate = 'status_changed' | 'deadline_changed' | 'certificate_expiry' | 'certificate_cancelled' | (string & {});

export interface SmsSender {
  /** Where SMS go, for the start-up log. */
  describe: string;
  /** Sends once per call; throws unless the gateway answered 2xx (the caller's outbox retries). */
  send(sms: OutgoingSms): Promise<{ messageId: string }>;
}

/** The mobile an SMS goes to: the contact's `mobile`; none (no SMS) when it has none. */
export function mobileOf(contact: { mobile?: string | null }): string | null {
  return contact.mobile && MOBILE_NUMBER.test(contact.mobile) ? contact.mobile : null;
}

const GATEWAY_TIMEOUT_MS = 10_000;

/** SMS through the city's HTTP gateway (`gatewayUrl`), or, without one, into .json files in `folder` (the body it would POST). */
export function createSmsSender(options: { gatewayUrl: string; token: string; folder: string; timeoutMs?: number }): SmsSender {
  if (options.gatewayUrl) {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    return {
      describe: `SMS gateway ${new URL(options.gatewayUrl).host}`,
      async send(sms) {
        const res = await fetch(options.gatewayUrl, {
          method: 'POST',
          headers: { ...headers, 'idempotency-key': sms.messageId },
          body: JSON.stringify(sms),
          signal: AbortSignal.timeout(options.timeoutMs ?? GATEWAY_TIMEOUT_MS),
        }).catch((e: unknown) => {
          // fetch says only "fetch failed"; the cause (refused, timed out) is what staff need in the attempt record.
          const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
          throw new Error(`短信网关不可达 / SMS gateway unreachable: ${cause}`);
        });
        const answer = await res.text().catch(() => '');
        // The number and the text stay out of the error: it is logged and kept in the attempt records.
        if (!res.ok) throw new Error(`短信网关应答 ${res.status} / SMS gateway answered ${res.status}: ${answer.slice(0, 200)}`);
        return { messageId: sms.messageId };
      },
    };
  }
  return {
    describe: `no SMS_GATEWAY_URL set: SMS are written as .json files to ${options.folder}`,
    async send(sms) {
      await mkdir(options.folder, { recursive: true });
      const safeId = sms.messageId.replace(/[^A-Za-z0-9.@-]/g, '_');
      // The same messageId writes the same file: a resend replaces it, as the gateway would drop it.
      await writeFile(path.join(options.folder, `${safeId}.json`), `${JSON.stringify(sms, null, 2)}\n`);
      return { messageId: sms.messageId };
    },
  };
}
