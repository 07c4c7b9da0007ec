import { callApi } from '/assets/api.js';
import { applicantFields, materialsChecklist } from '/assets/application-form.js';
import { h, replace, uid } from '/assets/dom.js';
import { pick, t } from '/assets/i18n.js';

let reference = null;
const draft = { itemCode: '', provided: {}, applicant: { name: '', uscc: '', divisionCode: '', contact: { name: '', phone: '', email: '' } }, created: null };

/** 不见面审批: an enterprise submits online and receives the application number and its query code. */
export async function onlineSubmission(main, { go }) {
  reference ??= await Promise.all([callApi('GET', '/api/v1/catalog/items'), callApi('GET', '/api/v1/catalog/jurisdictions')]);
  const [{ items }, { items: places }] = reference;
  if (draft.created) return drawCreated(main, go);

  const itemId = uid('item');
  const body = h('div');
  const drawBody = () => {
    const item = items.find((i) => i.code === draft.itemCode);
    if (!item) return replace(body);
    const checklist = materialsChecklist(item, draft.provided, { defaultWaived: true });
    const applicant = applicantFields(draft.applicant, places, item);
    const message = h('p.error', { role: 'alert' });
    replace(body,
      h('section.card', {}, h('h2', { text: t('materialsChecklist') }), h('p.hint', { text: t('onlineMaterialsHint') }), checklist.el),
      h('section.card', {}, h('h2', { text: t('applicant') }), applicant.el),
      message,
      h('button.primary', {
        type: 'submit',
        text: t('submitOnline'),
        onclick: async (e) => {
          e.preventDefault();
          if (!e.target.form.reportValidity()) return;
          message.textContent = '';
          const problem = applicant.problem();
          if (problem) return void (message.textContent = problem);
          try {
            draft.created = await callApi('POST', '/api/v1/online-applications', { body: { itemCode: item.code, applicant: applicant.value(), materials: checklist.value() } });
            drawCreated(main, go);
          } catch (err) {
            message.textContent = err.message;
          }
        },
      }));
  };
  replace(main, h('form', { onsubmit: (e) => e.preventDefault() },
    h('h1', { text: t('tabApply') }),
    h('p.hint', { text: t('applyHint') }),
    h('section.card', {}, h('div.field', {}, h('label', { for: itemId, text: t('item') }),
      h('select', { id: itemId, name: 'itemCode', onchange: (e) => { draft.itemCode = e.target.value; draft.provided = {}; drawBody(); } },
        h('option', { value: '', text: t('chooseItem') }),
        items.map((i) => h('option', { value: i.code, text: `${i.code} ${pick({ zh: i.name, en: i.nameEn })}`, selected: draft.itemCode === i.code }))))),
    body));
  drawBody();
}

function drawCreated(main, go) {
  const c = draft.created;
  replace(main, h('section.card.narrow', { role: 'status' },
    h('h1', { text: t('submitted') }),
    h('p', { text: pick(c.statusLabel) }),
    h('dl.facts', {},
      h('dt', { text: t('applicationNo') }), h('dd.big', { dataset: { field: 'applicationNo' }, text: c.applicationNo }),
      h('dt', { text: t('queryCode') }), h('dd.big', { dataset: { field: 'queryCode' }, text: c.queryCode })),
    h('p.notice', { text: t('keepQueryCode') }),
    h('div.buttons', {},
      h('button.primary', { type: 'button', text: t('lookUpNow'), onclick: () => go(`#status?no=${encodeURIComponent(c.applicationNo)}`) }),
      h('button.secondary', { type: 'button', text: t('newApplication'), onclick: () => { draft.created = null; draft.itemCode = ''; onlineSubmission(main, { go }); } }))));
}
