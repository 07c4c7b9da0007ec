import { callApi } from '/assets/api.js';
import { h } from '/assets/dom.js';
import { pick, t } from '/assets/i18n.js';
import { lookupPage } from './lookup.js';

// The last lookup is kept so a language switch redraws it without asking again.
const last = { no: '', queryCode: '', view: null, error: null };

// The reviewer's words are shown in both languages, Chinese first, whichever the page is read in.
const both = (label) => h('span.both', {}, label.zh, label.en && label.en !== label.zh ? h('span.en', { lang: 'en', text: ` ${label.en}` }) : null);

/** 预审查询: the findings of a pre-review by its number and query code, material by material, and what to do next. */
export function preReviewStatus(main, { params }) {
  lookupPage(main, {
    params, last, title: t('tabPreReviewStatus'), hint: t('preReviewStatusHint'), numberLabel: t('preReviewNo'), placeholder: 'YS-370600-20260302-00001', button: t('lookUpFindings'), notFound: t('preReviewNotFound'),
    fetch: (preReviewNo, queryCode) => callApi('GET', `/api/v1/pre-review-status?${new URLSearchParams({ preReviewNo, queryCode })}`),
    render: findingsView,
  });
}

function findingsView(v) {
  const a = v.answer;
  const next = v.applicationNo ? t('preReviewConvertedNext', { no: v.applicationNo }) : a ? t(`preReviewNext.${a.verdict}`) : t('preReviewWaitingNext', { date: v.answerDue ?? '—' });
  return h('section.card.status-result', { 'aria-labelledby': 'pre-review-h' },
    h('h2#pre-review-h', {}, `${v.preReviewNo} `, h('span.status-tag', { dataset: { status: v.status } }, both(v.statusLabel))),
    h('dl.facts', {},
      h('dt', { text: t('item') }), h('dd', { text: pick({ zh: v.itemName, en: v.itemNameEn }) }),
      h('dt', { text: t('projectName') }), h('dd', { text: v.projectName }),
      h('dt', { text: t('applicantName') }), h('dd', { text: v.applicantName }),
      h('dt', { text: t('submittedOn') }), h('dd', { text: v.submittedOn }),
      a ? [h('dt', { text: t('answeredOn') }), h('dd', { text: a.on })] : [h('dt', { text: t('answerDue') }), h('dd', { dataset: { field: 'answerDue' }, text: v.answerDue ?? '—' })],
      v.applicationNo ? [h('dt', { text: t('applicationNo') }), h('dd', { dataset: { field: 'applicationNo' }, text: v.applicationNo })] : null),
    h('div.expected', { role: 'note', 'aria-label': t('expectedNow') },
      h('h3', { text: t('expectedNow') }),
      a ? h('p', {}, h('strong', { dataset: { field: 'verdict' } }, both(a.verdictLabel))) : null,
      h('p', { dataset: { field: 'next' }, text: next }),
      a?.note ? h('p', { text: `${t('overallNote')}：${a.note}` }) : null),
    h('h3', { text: a ? t('preReviewFindings') : t('materials') }),
    h('table.grid', {},
      h('thead', {}, h('tr', {}, ['code', 'materialName', 'filesAttached', ...(a ? ['finding'] : ['provided'])].map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', {}, v.materials.map((m) => {
        const f = a?.findings.find((x) => x.material === m.code);
        return h('tr', { dataset: { material: m.code } },
          h('td.code', { text: m.code }),
          h('td', {}, both({ zh: m.name, en: m.nameEn })),
          h('td', { text: m.files.join('、') || '—' }),
          f ? h('td', { class: f.finding === 'sufficient' ? 'yes' : 'no', dataset: { finding: f.finding } }, both(f.label), f.note ? h('div.note', { text: f.note }) : null)
            : h('td', { text: m.provided ? `✓ ${t('yes')}` : `✗ ${t('no')}` }));
      }))));
}
