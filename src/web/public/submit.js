import { callApi } from '/assets/api.js';
import { applicantFields, materialsChecklist } from '/assets/application-form.js';
import { h, replace } from '/assets/dom.js';
import { pick, t } from '/assets/i18n.js';
import { itemChoice, receipt, sendButton } from './submission.js';

let reference = null;
const draft = { itemCode: '', provided: {}, applicant: { name: '', uscc: '', divisionCode: '', contact: { name: '', phone: '', email: '' } }, created: null };

/** 不见面审批: an enterprise submits online and receives the application number and its query code. */
export async function onlineSubmission(main, { go }) {
  reference ??= await Promise.all([callApi('GET', '/api/v1/catalog/items'), callApi('GET', '/api/v1/catalog/jurisdictions')]);
  const [{ items }, { items: places }] = reference;
  if (draft.created) return drawCreated(main, go);

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
      sendButton(t('submitOnline'), applicant, message, async () => {
        draft.created = await callApi('POST', '/api/v1/online-applications', { body: { itemCode: item.code, applicant: applicant.value(), materials: checklist.value() } });
        drawCreated(main, go);
      }));
  };
  replace(main, h('form', { onsubmit: (e) => e.preventDefault() },
    h('h1', { text: t('tabApply') }),
    h('p.hint', { text: t('applyHint') }),
    itemChoice(items, draft.itemCode, t('chooseItem'), (code) => { draft.itemCode = code; draft.provided = {}; drawBody(); }),
    body));
  drawBody();
}

function drawCreated(main, go) {
  const c = draft.created;
  replace(main, receipt({
    title: t('submitted'),
    status: pick(c.statusLabel),
    rows: [['applicationNo', 'applicationNo', c.applicationNo], ['queryCode', 'queryCode', c.queryCode]],
    note: t('keepQueryCode'),
    buttons: [
      h('button.primary', { type: 'button', text: t('lookUpNow'), onclick: () => go(`#status?no=${encodeURIComponent(c.applicationNo)}`) }),
      h('button.secondary', { type: 'button', text: t('newApplication'), onclick: () => { draft.created = null; draft.itemCode = ''; onlineSubmission(main, { go }); } }),
    ],
  }));
}
