/** Lead times used when an item names none: 90, 60, 30, 7 and 1 days before, and on the day of expiry. */
export const DEFAULT_LEAD_DAYS = [90, 60, 30, 7, 1, 0];

/** The longest lead time of any item: the reminder run reads certificates ending up to this many days ahead. */
export function longestLead(items: { reminderLeadDays: number[] }[]): number {
  return Math.max(0, ...DEFAULT_LEAD_DAYS, ...items.flatMap((i) => i.reminderLeadDays));
}

/** Whole days from `today` to `date` (both YYYY-MM-DD); negative when `date` has passed. */
export function daysUntil(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/**
 * The reminder window a certificate is in: the smallest lead time that is at least the days left.
 * Windows passed while nothing ran (or before the certificate existed) are not made up: only the nearest counts.
 */
export function applicableLead(leadDays: number[], daysLeft: number): number | null {
  if (daysLeft < 0) return null;
  const within = leadDays.filter((lead) => lead >= daysLeft);
  return within.length ? Math.min(...within) : null;
}

/** The ledger key: one reminder per certificate, validity end and lead time, so a renewal's new validity re-arms them. */
export function reminderKey(certificateNumber: string, validUntil: string, leadDays: number): string {
  return `${certificateNumber}:${validUntil}:${leadDays}`;
}

/** A Message-ID fixed by the ledger key, so a resend after a crash is the same message to the recipient's server. */
export function reminderMessageId(certificateNumber: string, validUntil: string, leadDays: number): string {
  return `<reminder.${certificateNumber}.${validUntil}.d${leadDays}@permit-engine>`;
}
