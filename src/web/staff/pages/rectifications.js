import { h, replace, uid } from '/assets/dom.js';
import { pick, t } from '/assets/i18n.js';
import { dueDateText, lightBadge, remainingText } from '../clock.js';
import { staffApi } from '../session.js';

// The filters survive moving to an application and back.
const filters = { status: 'open', light: '' };
// Who records the office's reply and the call back (the server's OFFICE_STAFF): not the province reviewers.
const ACTS = new Set(['clerk', 'reviewer', 'chief', 'leader', 'admin']);

/** 整改: the rectifications low ratings opened in the reader's jurisdiction, with their light, the reply and the call back. */
export async function rectificationsPage(main, { session }) {
  const params = new URLSearchParams({ status: filters.status, limit: '200' });
  if (filters.light) params.set('light', filters.light);
  const list = await staffApi('GET', `/api/v1/rectifications?${params}`);
  const redraw = () => rectificationsPage(main, { session });
  const select = (name, label, options) => {
    const id = uid(name);
    return h('div.field.inline', {},
      h('label', { for: id, text: label }),
      h('select', { id, name, onchange: (e) => { filters[name] = e.target.value; redraw(); } },
        options.map(([value, text]) => h('option', { value, text, selected: filters[name] === value }))));
  };
  replace(main,
    h('h1', { text: t('rect.title') }),
    h('div.filters', { role: 'search', 'aria-label': t('filters') },
      select('status', t('status'), [['open', t('rect.open')], ['closed', t('rect.closed')]]),
      select('light', t('clockLight'), [['', t('all')], ...['green', 'yellow', 'red'].map((l) => [l, t(`light.${l}`)])])),
    list.items.length === 0
      ? h('p.muted', { text: t('rect.none') })
      : h('table.grid', {},
        h('caption.visually-hidden', { text: t('rect.title') }),
        h('thead', {}, h('tr', {}, ['applicationNo', 'rect.level', 'rect.reasons', 'rect.office', 'rect.openedOn', 'dueDate', 'clockLight', 'remaining', 'rect.progress'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, list.items.map((r) => h('tr', { class: r.light === 'red' ? 'row-overdue' : null, dataset: { rectification: r.id } },
          h('td', {}, h('a', { href: `#/applications/${r.applicationId}`, text: r.applicationNo }), h('br'), h('span.muted', { text: `${r.applicantName} · ${r.itemName}` })),
          h('td', { text: pick(r.levelLabel) }),
          h('td', {}, r.reasons.map(pick).join('；'), r.comment ? h('p.muted', { text: r.comment }) : null),
          h('td', { text: r.office }),
          h('td', { text: r.openedOn }),
          h('td', {}, dueDateText(r.dueDate, false)),
          h('td', {}, lightBadge({ light: r.light, stopped: r.status === 'closed' })),
          h('td', { text: r.status === 'closed' ? (r.onTime ? t('rect.onTime') : t('rect.late')) : remainingText({ remainingWorkingDays: r.remainingWorkingDays }) }),
          h('td', {}, progress(r, ACTS.has(session.user.role), redraw)))))));
}

function progress(r, mayAct, redraw) {
  const result = h('p.error', { role: 'alert' });
  const post = async (step, body) => {
    try {
      await staffApi('POST', `/api/v1/rectifications/${encodeURIComponent(r.id)}/${step}`, body);
      await redraw();
    } catch (e) {
      result.textContent = e.message;
    }
  };
  return [
    h('strong', { text: t(`rect.status.${r.status}`) }),
    r.reply ? h('p', { text: `${t('rect.replyText')}：${r.reply.text}（${r.reply.by}，${r.reply.on}）` }) : null,
    r.followUp ? h('p', { text: `${t('rect.followUpNote')}：${r.followUp.reached ? t('rect.reached') : '—'}${r.followUp.satisfied ? `，${t('rect.satisfied')}` : ''} ${r.followUp.note}（${r.followUp.by}，${r.followUp.on}）` }) : null,
    mayAct && r.status === 'open' ? replyForm(post) : null,
    mayAct && r.status === 'replied' ? followUpForm(post) : null,
    result,
  ];
}

function replyForm(post) {
  const id = uid('reply');
  const form = h('form.step', { onsubmit: (e) => { e.preventDefault(); post('reply', { text: form.text.value }); } },
    h('div.field', {}, h('label', { for: id, text: t('rect.replyText') }), h('textarea', { id, name: 'text', rows: 2, required: true, maxlength: 2000 })),
    h('button.primary.small', { type: 'submit', text: t('rect.reply') }));
  return form;
}

function followUpForm(post) {
  const [reachedId, satisfiedId, noteId] = [uid('reached'), uid('satisfied'), uid('note')];
  const form = h('form.step', {
    onsubmit: (e) => {
      e.preventDefault();
      const reached = form.reached.checked;
      post('follow-up', { reached, ...(reached ? { satisfied: form.satisfied.checked } : {}), note: form.note.value });
    },
  },
  h('div.check', {}, h('input', { id: reachedId, type: 'checkbox', name: 'reached' }), h('label', { for: reachedId, text: t('rect.reached') })),
  h('div.check', {}, h('input', { id: satisfiedId, type: 'checkbox', name: 'satisfied' }), h('label', { for: satisfiedId, text: t('rect.satisfied') })),
  h('div.field', {}, h('label', { for: noteId, text: t('rect.followUpNote') }), h('textarea', { id: noteId, name: 'note', rows: 2, maxlength: 1000 })),
  h('button.primary.small', { type: 'submit', text: t('rect.followUp') }));
  return form;
}
