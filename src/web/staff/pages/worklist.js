import { h, replace, uid } from '/assets/dom.js';
import { pick, t } from '/assets/i18n.js';
import { deadlineLabel, dueDateText, isOverdue, isVerificationTask, lightBadge, remainingText, shownDeadline } from '../clock.js';
import { catalogItems, statuses } from '../reference.js';
import { staffApi } from '../session.js';

// Filters survive moving to an application and back.
const filters = { status: '', itemCode: '', light: '', q: '', waiting: false };

/** 工作清单: applications in the staff member's jurisdiction with their clock; overdue and verification tasks first. */
export async function worklistPage(main) {
  const [items, statusList] = await Promise.all([catalogItems(), statuses()]);
  const statusName = (status) => pick(statusList.find((s) => s.status === status)?.short) || status;
  // The server filters and orders open work (overdue first), so the page shows the first 200 of any size of office.
  const params = new URLSearchParams({ limit: '200', sort: 'deadline' });
  // The light filters the page's rows in place, so the summary still says how many there are in all.
  for (const name of ['status', 'itemCode']) if (filters[name]) params.set(name, filters[name]);
  if (filters.waiting) params.set('waiting', 'me');
  const q = filters.q.trim();
  if (q) params.set(/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(q) ? 'uscc' : 'q', q);
  // 整改 beside the applications: how many low ratings wait for this office, and how many of them are overdue.
  const [list, rectifications] = await Promise.all([staffApi('GET', `/api/v1/applications?${params}`), staffApi('GET', '/api/v1/rectifications?limit=200')]);
  const lateRectifications = rectifications.items.filter((r) => r.light === 'red').length;
  const rows = list.items
    .filter((a) => !filters.light || a.clock?.light === filters.light)
    .map((a) => ({ ...a, overdue: isOverdue(a), verification: isVerificationTask(a) }))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || Number(b.verification) - Number(a.verification) || (a.clock?.dueDate ?? '9').localeCompare(b.clock?.dueDate ?? '9'));

  const select = (name, label, options) => {
    const id = uid(name);
    return h('div.field.inline', {},
      h('label', { for: id, text: label }),
      h('select', { id, name, onchange: (e) => { filters[name] = e.target.value; worklistPage(main); } },
        h('option', { value: '', text: t('all') }),
        options.map(([value, text]) => h('option', { value, text, selected: filters[name] === value }))));
  };

  const counts = new Map();
  for (const a of list.items) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  const overdueCount = rows.filter((r) => r.overdue).length;
  const verifyCount = rows.filter((r) => r.verification).length;

  replace(
    main,
    h('h1', { text: t('navWorklist') }),
    h('form.filters', { role: 'search', 'aria-label': t('filters'), onsubmit: (e) => { e.preventDefault(); filters.q = e.target.elements.q.value; worklistPage(main); } },
      h('div.field.inline', {},
        h('label', { for: 'worklist-q', text: t('searchApplications') }),
        h('input', { id: 'worklist-q', name: 'q', value: filters.q, placeholder: t('searchApplicationsPlaceholder') }),
        h('button', { type: 'submit', text: t('search') })),
      select('status', t('status'), statusList.map((s) => [s.status, pick(s.short)])),
      select('itemCode', t('item'), items.map((i) => [i.code, `${i.code} ${pickName(i)}`])),
      select('light', t('clockLight'), ['green', 'yellow', 'red'].map((l) => [l, t(`light.${l}`)])),
      h('div.field.inline.check', {},
        h('input#worklist-waiting', { type: 'checkbox', checked: filters.waiting, onchange: (e) => { filters.waiting = e.target.checked; worklistPage(main); } }),
        h('label', { for: 'worklist-waiting', text: t('waitingForMe') }))),
    h('p.summary', {},
      t('totalShown', { n: rows.length, total: list.total }),
      overdueCount ? h('span.badge.danger', { text: t('overdueCount', { n: overdueCount }) }) : null,
      verifyCount ? h('span.badge.verify', { text: t('verifyCount', { n: verifyCount }) }) : null,
      rectifications.total ? h('a.chip', { href: '#/rectifications', dataset: { field: 'rectifications' } }, t('rect.waiting', { n: rectifications.total }), lateRectifications ? h('span.badge.danger', { text: t('overdueCount', { n: lateRectifications }) }) : null) : null,
      [...counts].map(([s, n]) => h('span.chip', { text: `${statusName(s)} ${n}` }))),
    rows.length === 0
      ? h('p.muted', { text: t('noApplications') })
      : h('table.grid', {},
        h('caption.visually-hidden', { text: t('navWorklist') }),
        h('thead', {}, h('tr', {}, ['applicationNo', 'item', 'applicant', 'status', 'clockLight', 'dueDate', 'remaining', 'tasks'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, rows.map((a) => h('tr', { class: [a.overdue ? 'row-overdue' : '', a.verification ? 'row-verify' : ''].join(' ').trim() || null, dataset: { applicationNo: a.applicationNo } },
          h('td', {}, h('a', { href: `#/applications/${a.id}`, text: a.applicationNo })),
          h('td', { text: a.itemName }),
          h('td', { text: a.applicantName }),
          h('td', { text: pick(a.statusLabel) }),
          h('td', {}, lightBadge(a.clock)),
          h('td', {}, dueDateText(a.clock?.dueDate, a.clock?.provisional)),
          h('td', { text: remainingText(a.clock) }),
          h('td', {},
            // The review chain's step waiting, with its own light and the handler it is assigned to.
            a.step ? h('span.chip.step', { dataset: { step: a.step.step } }, `${pick(a.step.label)}${a.step.assignee ? `（${a.step.assignee}）` : ''} `, lightBadge(a.step.clock)) : null,
            a.overdue ? h('span.badge.danger', { text: t('overdue') }) : null,
            a.verification ? h('span.badge.verify', { text: t('verificationTask') }) : null,
            (a.deadlines ?? []).filter(shownDeadline).map((d) => h('span.chip', { class: d.light === 'green' ? null : `light-${d.light}` }, `${deadlineLabel(d.name)} `, dueDateText(d.dueDate, d.provisional)))))))),
  );
}

export const pickName = (item) => pick({ zh: item.name, en: item.nameEn });
