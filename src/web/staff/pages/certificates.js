import { h, replace, uid } from '/assets/dom.js';
import { shanghaiDateTime } from '/assets/format.js';
import { pick, t } from '/assets/i18n.js';
import { usccProblem } from '/assets/uscc.js';
import { currentSession, staffApi } from '../session.js';

// Filled by the search and the expiry filter; kept while the reader opens a certificate and comes back.
const state = { query: '', days: '90', selected: null };

/** 证照: search by USCC or number, certificates expiring soon, and the reminder history of one certificate. */
export async function certificatesPage(main) {
  const queryId = uid('q');
  const daysId = uid('days');
  const results = h('div', { 'aria-live': 'polite' });
  const detail = h('div');

  const show = async (loader, heading) => {
    replace(results, h('p.muted', { text: t('loading') }));
    try {
      const items = await loader();
      replace(results, h('h2', { text: heading }), certificateTable(items, (c) => openCertificate(c.number)));
    } catch (err) {
      replace(results, h('p.error', { role: 'alert', text: unavailable(err) }));
    }
  };

  const openCertificate = async (number) => {
    state.selected = number;
    replace(detail, h('p.muted', { text: t('loading') }));
    try {
      const cert = await staffApi('GET', `/api/v1/certificates/${encodeURIComponent(number)}`);
      const reminders = (await staffApi('GET', `/api/v1/certificates/${encodeURIComponent(number)}/reminders`)).items;
      replace(detail, certificateDetail(cert, reminders, retry));
    } catch (err) {
      replace(detail, h('p.error', { role: 'alert', text: unavailable(err) }));
    }
  };

  // 重新发送: one more attempt at a given-up reminder, then the certificate is shown again with the outcome.
  const retry = async (reminder) => {
    try {
      const { outcome } = await staffApi('POST', `/api/v1/certificates/${encodeURIComponent(reminder.certificateNumber)}/reminders/${encodeURIComponent(reminder.key)}/retry`, {});
      await openCertificate(reminder.certificateNumber);
      detail.prepend(h(outcome === 'sent' ? 'p.notice' : 'p.error', { role: 'status', text: t(outcome === 'sent' ? 'reminderResent' : 'reminderStillFailing') }));
    } catch (err) {
      detail.prepend(h('p.error', { role: 'alert', text: err.message }));
    }
  };

  const search = async () => {
    const q = state.query.trim();
    if (!q) return;
    if (!usccProblem(q)) return show(async () => (await staffApi('GET', `/api/v1/certificates?uscc=${encodeURIComponent(q)}`)).items, t('certificatesOf', { who: q }));
    return show(async () => [await staffApi('GET', `/api/v1/certificates/${encodeURIComponent(q)}`)], t('certificateNo'));
  };

  replace(main,
    h('h1', { text: t('navCertificates') }),
    h('div.columns', {},
      h('form.card', { role: 'search', onsubmit: (e) => { e.preventDefault(); search(); } },
        h('h2', { text: t('searchCertificates') }),
        h('div.field', {}, h('label', { for: queryId, text: t('certificateQuery') }), h('input', { id: queryId, value: state.query, class: 'mono', oninput: (e) => (state.query = e.target.value) })),
        h('button.primary', { type: 'submit', text: t('search') })),
      h('form.card', { onsubmit: (e) => { e.preventDefault(); show(async () => (await staffApi('GET', `/api/v1/certificates/expiring?days=${encodeURIComponent(state.days)}`)).items, t('expiringWithin', { n: state.days })); } },
        h('h2', { text: t('expiringSoon') }),
        h('div.field', {}, h('label', { for: daysId, text: t('withinDays') }), h('input', { id: daysId, type: 'number', min: 1, max: 366, value: state.days, oninput: (e) => (state.days = e.target.value) })),
        h('button.secondary', { type: 'submit', text: t('show') }))),
    results,
    detail);
  if (state.selected) openCertificate(state.selected);
}

const unavailable = (err) => (err.code === 'NOT_FOUND' && /No route/.test(err.message) ? t('certificatesUnavailable') : err.message);

function certificateTable(items, onOpen) {
  if (!items.length) return h('p.muted', { text: t('noCertificates') });
  return h('table.grid', {},
    h('thead', {}, h('tr', {}, ['certificateNo', 'item', 'holder', 'certificateStatus', 'validUntil'].map((k) => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', {}, items.map((c) => h('tr', { class: c.status !== 'valid' ? 'muted' : null },
      h('td', {}, h('button.link-button', { type: 'button', text: c.number, onclick: () => onOpen(c) })),
      h('td', { text: c.itemName ?? c.itemCode }),
      h('td', { text: `${c.holder?.name ?? ''} ${c.holder?.uscc ?? ''}` }),
      h('td', {}, pick(c.statusLabel) || t(`certStatus.${c.status}`), c.renewalInProgress ? h('span.chip', { text: t('renewalInProgress') }) : null),
      h('td', { text: c.validUntil ?? '—' })))));
}

function certificateDetail(cert, reminders, retry) {
  const mayRetry = ['clerk', 'admin'].includes(currentSession()?.user?.role);
  return h('section.card', { 'aria-labelledby': 'cert-h' },
    h('h2#cert-h', { text: `${t('certificateNo')} ${cert.number}` }),
    h('dl.facts', {},
      h('dt', { text: t('item') }), h('dd', { text: cert.itemName ?? cert.itemCode }),
      h('dt', { text: t('holder') }), h('dd', { text: `${cert.holder?.name ?? ''} ${cert.holder?.uscc ?? ''}` }),
      h('dt', { text: t('certificateStatus') }), h('dd', { text: pick(cert.statusLabel) || t(`certStatus.${cert.status}`) }),
      cert.renewalInProgress ? [h('dt', { text: t('renewal') }), h('dd', { text: `${cert.renewalInProgress.applicationNo}（${t('renewalInProgress')}）` })] : null,
      h('dt', { text: t('issuedOn') }), h('dd', { text: cert.issuedOn ?? '—' }),
      h('dt', { text: t('validUntil') }), h('dd', { text: cert.validUntil ?? '—' })),
    h('h3', { text: t('reminderHistory') }),
    reminders.length
      ? h('table.grid', {},
        h('thead', {}, h('tr', {}, ['leadDays', 'reminderTo', 'reminderStatus', 'sentAt', 'attempts', 'lastError', 'actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, reminders.map((r) => h('tr', { class: r.state === 'given_up' || r.state === 'failed' ? 'row-overdue' : null },
          h('td', { text: r.kind === 'cancellation' ? t('cancellationNotice') : r.leadDays === 0 ? t('onExpiryDay') : t('daysBefore', { n: r.leadDays }) }),
          h('td', { text: r.to }),
          h('td', { text: t(`reminderState.${r.state}`) }),
          h('td', { text: shanghaiDateTime(r.sentAt ?? r.queuedAt) }),
          h('td', { text: r.attempts }),
          h('td', { text: r.lastError ?? '' }),
          h('td', {}, r.state === 'given_up' && mayRetry ? h('button.secondary', { type: 'button', text: t('retryReminder'), onclick: () => retry(r) }) : null)))))
      : h('p.muted', { text: t('noReminders') }));
}
