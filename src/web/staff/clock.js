import { h } from '/assets/dom.js';
import { t } from '/assets/i18n.js';

/** Whether a row or application needs attention now: its clock is red or a deadline has passed. */
export const isOverdue = (app) => app.clock?.light === 'red' || (app.deadlines ?? []).some((d) => d.overdue);

/** A verification (核查) task after commitment-based approval. */
export const isVerificationTask = (app) => app.status === 'issued_pending_verification' || (app.deadlines ?? []).some((d) => d.name === 'verification' && d.status !== 'cancelled');

/** The clock light as a coloured dot with its word, so colour is never the only signal. */
export function lightBadge(clock) {
  if (!clock) return h('span.muted', { text: '—' });
  if (clock.unavailable) return h('span.badge.warn', { title: clock.unavailable, text: t('clockUnavailable') });
  const state = clock.stopped ? t('clockStopped') : clock.paused ? t('clockPaused') : null;
  return h('span.light', { class: `light-${clock.light}` }, h('span.dot', { 'aria-hidden': 'true' }), t(`light.${clock.light}`), state ? ` · ${state}` : null);
}

/** A due date with its provisional mark: the word beside it and the full explanation on hover and for screen readers. */
export function dueDateText(date, provisional) {
  if (!date) return '—';
  if (!provisional) return date;
  const note = t('provisionalNote', { year: date.slice(0, 4) });
  return h('span.provisional', { dataset: { provisional: 'true' }, title: note }, date, ' ', h('span.badge.warn', { text: t('provisional'), 'aria-label': note }));
}

export const remainingText = (clock) => {
  if (!clock || clock.unavailable || clock.stopped) return '—';
  return clock.remainingWorkingDays < 0 ? t('overdueDays', { n: -clock.remainingWorkingDays }) : t('workingDays', { n: clock.remainingWorkingDays });
};

/** A deadline's name as people read it; a 协查 request's deadline carries its id (assistance-A1 → 协查答复期限 A1). */
export function deadlineLabel(name) {
  const request = /^assistance-(A\d+)$/.exec(name);
  return request ? `${t('deadline.assistance')} ${request[1]}` : t(`deadline.${name}`);
}

/** Deadlines a list shows: those still running, and a request or an inspection that stays red until it is closed. */
export const shownDeadline = (d) => d.status === 'pending' || (d.overdue && (d.name === 'inspection' || d.name.startsWith('assistance-')));
