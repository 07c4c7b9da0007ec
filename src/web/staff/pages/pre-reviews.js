import { h, replace } from '/assets/dom.js';
import { shanghaiDate } from '/assets/format.js';
import { pick, t } from '/assets/i18n.js';
import { dueDateText, lightBadge, remainingText } from '../clock.js';
import { staffApi } from '../session.js';

// Whether the list shows the latest of every status; kept while moving to a pre-review and back.
const filters = { recent: false };

/** 容缺预审 work list: what waits for findings in the reader's jurisdictions with its service-target light, oldest first. */
export async function preReviewsPage(main, { session }) {
  const list = await staffApi('GET', `/api/v1/pre-reviews?${new URLSearchParams({ limit: '200', ...(filters.recent ? { recent: 'true' } : {}) })}`);
  replace(main,
    h('h1', { text: t('navPreReviews') }),
    session.user.role === 'clerk' ? h('p', {}, h('a.button.primary', { href: '#/pre-reviews/new', text: t('preReviewAtWindow') })) : null,
    h('div.filters', {}, h('div.field.inline.check', {},
      h('input#pre-reviews-recent', { type: 'checkbox', checked: filters.recent, onchange: (e) => { filters.recent = e.target.checked; preReviewsPage(main, { session }); } }),
      h('label', { for: 'pre-reviews-recent', text: t('showRecentPreReviews') }))),
    h('h2', { text: t(filters.recent ? 'preReviewsRecent' : 'preReviewsWaiting') }),
    list.items.length === 0
      ? h('p.muted', { text: t('noPreReviews') })
      : h('table.grid', {},
        h('caption.visually-hidden', { text: t('navPreReviews') }),
        h('thead', {}, h('tr', {}, ['preReviewNo', 'projectName', 'applicant', 'item', 'status', 'submittedOn', 'clockLight', 'dueDate', 'remaining'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, list.items.map((p) => h('tr', { class: p.target?.light === 'red' ? 'row-overdue' : null, dataset: { preReviewNo: p.preReviewNo } },
          h('td', {}, h('a', { href: `#/pre-reviews/${encodeURIComponent(p.id)}`, text: p.preReviewNo })),
          h('td', { text: p.projectName }),
          h('td', { text: p.applicantName }),
          h('td', { text: p.itemName }),
          h('td', { text: pick(p.statusLabel) }),
          h('td', { text: shanghaiDate(p.createdAt) }),
          h('td', {}, lightBadge(p.target)),
          h('td', {}, dueDateText(p.target?.dueDate, p.target?.provisional)),
          h('td', { text: remainingText(p.target) }))))),
  );
}
