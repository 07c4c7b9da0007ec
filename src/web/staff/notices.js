import { h, replace } from '/assets/dom.js';
import { pick, t } from '/assets/i18n.js';
import { shanghaiDate } from '/assets/format.js';

const materialName = (app, code) => {
  const m = app.materials.find((x) => x.code === code);
  return m ? pick({ zh: m.name, en: m.nameEn }) : code;
};
const deadlineOf = (app, name) => app.deadlines?.find((d) => d.name === name && d.status === 'pending')?.dueDate ?? '—';

/** The written notices an application can print: 一次性告知书 and 容缺受理通知书, when they apply. */
export function noticesFor(app) {
  const notices = [];
  if (app.details?.correction && app.status === 'correction_required') notices.push({ key: 'correctionNotice', body: () => correctionNotice(app) });
  if (app.details?.deficiency) notices.push({ key: 'deficiencyNotice', body: () => deficiencyNotice(app) });
  return notices;
}

/** Buttons that put a notice on paper. */
export function noticeButtons(app) {
  return noticesFor(app).map((n) => h('button.secondary', { type: 'button', dataset: { notice: n.key }, text: t('printNotice', { name: t(n.key) }), onclick: () => printNotice(n.body()) }));
}

/** Shows a notice on screen (for reading) and returns it. */
export const noticePreview = (app, key) => noticesFor(app).find((n) => n.key === key)?.body() ?? null;

function printNotice(notice) {
  replace(document.getElementById('print-area'), notice);
  window.print();
}

const header = (app, titleKey) => [
  h('h2.notice-title', { text: t(titleKey) }),
  h('p.notice-no', { text: `${t('applicationNo')}：${app.applicationNo}` }),
  h('p', { text: `${app.applicant.name}（${t('uscc')}：${app.applicant.uscc}）：` }),
];

const footer = (app, on) => [
  h('p.signature', { text: app.routing?.department ?? '' }),
  h('p.signature', { text: app.routing?.jurisdictionName ?? '' }),
  h('p.signature', { text: on }),
];

function correctionNotice(app) {
  const c = app.details.correction;
  return h('article.notice-doc', {},
    header(app, 'correctionNoticeTitle'),
    h('p', { text: t('correctionNoticeBody', { date: shanghaiDate(app.createdAt), item: app.itemName }) }),
    h('ol', {}, c.items.map((i) => h('li', { text: [i.material ? `${i.material} ${materialName(app, i.material)}` : null, i.description].filter(Boolean).join('：') }))),
    h('p', { text: t('correctionNoticeDeadline', { deadline: deadlineOf(app, 'correction') }) }),
    footer(app, c.requestedOn));
}

function deficiencyNotice(app) {
  const d = app.details.deficiency;
  const accepted = app.timeline.find((e) => e.event === 'ACCEPT_WITH_DEFICIENCY');
  return h('article.notice-doc', {},
    header(app, 'deficiencyNoticeTitle'),
    h('p', { text: t('deficiencyNoticeBody', { date: shanghaiDate(app.createdAt), item: app.itemName }) }),
    h('ol', {}, d.missing.map((code) => h('li', { text: `${code} ${materialName(app, code)}${d.outstanding.includes(code) ? '' : `（${t('supplied')}）`}` }))),
    h('p', { text: t('deficiencyNoticeDeadline', { deadline: deadlineOf(app, 'supplement') }) }),
    h('p', { text: t('deficiencyNoticePromise', { who: d.promise.signedBy, on: shanghaiDate(d.promise.signedAt) }) }),
    footer(app, accepted?.date ?? ''));
}
