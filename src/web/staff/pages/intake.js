import { h, replace, uid } from '/assets/dom.js';
import { pick, t } from '/assets/i18n.js';
import { applicantFields, materialsChecklist } from '/assets/application-form.js';
import { actionsPanel } from '../actions.js';
import { noticeButtons } from '../notices.js';
import { catalogItems, jurisdictions } from '../reference.js';
import { staffApi } from '../session.js';

// The form survives a language switch; it is cleared once the application is registered.
let draft = freshDraft();
function freshDraft() {
  return { search: '', itemCode: '', provided: {}, applicant: { name: '', uscc: '', divisionCode: '', contact: { name: '', phone: '', email: '' } }, created: null };
}

/** An application registered elsewhere (from a pre-review): the intake page shows its number, query code and acceptance next. */
export function showRegistered(created) {
  draft = { ...freshDraft(), created };
}

/** 收件 (window clerk): pick an item, tick the materials, enter the applicant, register, then decide on acceptance. */
export async function intakePage(main, { session, navigate }) {
  const [items, places] = await Promise.all([catalogItems(), jurisdictions()]);
  if (draft.created) return drawDecision(main, draft.created, { session, navigate });

  const resultsId = uid('results');
  const results = h('div.item-results', { id: resultsId, role: 'radiogroup', 'aria-label': t('pickItem') });
  const drawResults = () => {
    const q = draft.search.trim().toLowerCase();
    const matching = items.filter((i) => !q || i.code.toLowerCase().includes(q) || i.name.toLowerCase().includes(q) || (i.nameEn ?? '').toLowerCase().includes(q));
    replace(results, matching.length ? matching.map((i) => {
      const id = uid('item');
      return h('div.check.item-option', {},
        h('input', { id, type: 'radio', name: 'itemCode', value: i.code, checked: draft.itemCode === i.code, onchange: () => { draft.itemCode = i.code; draft.provided = {}; drawForm(); } }),
        h('label', { for: id }, h('span.code', { text: i.code }), ' ', pick({ zh: i.name, en: i.nameEn }), ' ', flags(i)));
    }) : h('p.muted', { text: t('noItemMatches') }));
  };
  const searchId = uid('search');
  const search = h('input', { id: searchId, type: 'search', value: draft.search, 'aria-controls': resultsId, placeholder: t('searchItemPlaceholder'), oninput: (e) => { draft.search = e.target.value; drawResults(); } });

  const formArea = h('div');
  const drawForm = () => {
    const item = items.find((i) => i.code === draft.itemCode);
    if (!item) return replace(formArea);
    const checklist = materialsChecklist(item, draft.provided, { defaultWaived: true });
    const applicant = applicantFields(draft.applicant, places, item);
    const message = h('p.error', { role: 'alert' });
    const form = h('form', {
      'aria-label': t('registerApplication'),
      onsubmit: async (e) => {
        e.preventDefault();
        message.textContent = '';
        const problem = applicant.problem();
        if (problem) return void (message.textContent = problem);
        try {
          const created = await staffApi('POST', '/api/v1/applications', { itemCode: item.code, applicant: applicant.value(), materials: checklist.value(), channel: 'window' });
          draft = { ...freshDraft(), created };
          drawDecision(main, created, { session, navigate });
        } catch (err) {
          message.textContent = err.message;
        }
      },
    },
    h('section.card', {}, h('h2', { text: t('materialsChecklist') }), itemSummary(item), checklist.el),
    h('section.card', {}, h('h2', { text: t('applicant') }), applicant.el),
    message,
    h('div.buttons', {}, h('button.primary', { type: 'submit', text: t('registerApplication') })));
    replace(formArea, form);
  };

  replace(main,
    h('h1', { text: t('navIntake') }),
    h('section.card', {}, h('h2', { text: t('pickItem') }), h('div.field', {}, h('label', { for: searchId, text: t('searchItem') }), search), results),
    formArea);
  drawResults();
  drawForm();
}

/** After registering: the number and query code for the applicant, then the acceptance decision. */
function drawDecision(main, app, { session, navigate }) {
  const result = h('div');
  const draw = (current, lastAction) => {
    replace(result,
      lastAction ? h('p.success', { role: 'status', text: t('actionDone', { action: pick(lastAction.label), status: pick(current.statusLabel) }) }) : null,
      h('dl.facts', {},
        h('dt', { text: t('applicationNo') }), h('dd.big', { dataset: { field: 'applicationNo' }, text: current.applicationNo }),
        h('dt', { text: t('queryCode') }), h('dd.big', { dataset: { field: 'queryCode' }, text: app.queryCode }),
        h('dt', { text: t('status') }), h('dd', { text: pick(current.statusLabel) }),
        h('dt', { text: t('routedTo') }), h('dd', { text: `${current.routing.jurisdictionName} · ${current.routing.department}` })),
      h('p.hint', { text: t('queryCodeHint') }),
      h('div.buttons', {}, noticeButtons(current), h('a.button.secondary', { href: `#/applications/${current.id}`, text: t('openApplication') })),
      actionsPanel(current, { onDone: (updated, action) => draw(updated, action) }));
  };
  draw(app);
  replace(main,
    h('h1', { text: t('navIntake') }),
    h('section.card', { 'aria-labelledby': 'registered-h' }, h('h2#registered-h', { text: t('registered') }), result),
    h('div.buttons', {}, h('button.secondary', { type: 'button', text: t('nextApplicant'), onclick: () => { draft = freshDraft(); intakePage(main, { session, navigate }); } })));
  main.querySelector('h2')?.focus();
}

const flags = (item) => [
  item.allowsDeficientAcceptance ? h('span.chip', { text: t('flag.deficient') }) : null,
  item.allowsCommitment ? h('span.chip', { text: t('flag.commitment') }) : null,
  item.jointReview ? h('span.chip', { text: t('flag.joint') }) : null,
];

const itemSummary = (item) => h('p.muted', {}, t('itemSummary', { level: t(`level.${item.level}`), department: item.department, legal: item.legalLimitDays, promised: item.promisedLimitDays }), ' ', flags(item));
