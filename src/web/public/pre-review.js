import { callApi } from '/assets/api.js';
import { applicantFields, materialsChecklist } from '/assets/application-form.js';
import { h, replace, uid } from '/assets/dom.js';
import { ACCEPTED_FILES } from '/assets/files.js';
import { t } from '/assets/i18n.js';
import { itemChoice, receipt, sendButton } from './submission.js';

let reference = null;
const freshDraft = () => ({ itemCode: '', provided: {}, files: {}, project: { name: '', location: '', description: '' }, applicant: { name: '', uscc: '', divisionCode: '', contact: { name: '', phone: '', email: '' } }, created: null });
let draft = freshDraft();

/** 容缺预审: an enterprise sends its major project, the applicant and the materials it has (with files) and gets the number and query code. */
export async function preReviewSubmission(main, { go }) {
  reference ??= await Promise.all([callApi('GET', '/api/v1/catalog/items'), callApi('GET', '/api/v1/catalog/jurisdictions')]);
  const [{ items: all }, { items: places }] = reference;
  const items = all.filter((i) => i.preReview);
  if (draft.created) return drawCreated(main, go);

  const body = h('div');
  const drawBody = () => {
    const item = items.find((i) => i.code === draft.itemCode);
    if (!item) return replace(body);
    // The files picked per material, kept in the draft so a language switch keeps them.
    const picker = (m) => {
      const input = h('input', { type: 'file', multiple: true, accept: ACCEPTED_FILES, 'aria-label': `${m.code} ${t('attachFile')}`, dataset: { material: m.code },
        onchange: (e) => { draft.files[m.code] = [...e.target.files]; } });
      const chosen = draft.files[m.code] ?? [];
      return h('div', {}, input, chosen.length ? h('small.muted', { text: ` ${t('filesAttached')}：${chosen.map((f) => f.name).join('、')}` }) : null);
    };
    const checklist = materialsChecklist(item, draft.provided, { extra: { title: 'attachFile', cell: picker } });
    const applicant = applicantFields(draft.applicant, places, item);
    const message = h('p.error', { role: 'alert' });
    replace(body,
      h('section.card', {}, h('h2', { text: t('project') }), projectFields(draft.project)),
      h('section.card', {}, h('h2', { text: t('materialsChecklist') }), h('p.hint', { text: t('preReviewMaterialsHint') }), checklist.el),
      h('section.card', {}, h('h2', { text: t('applicant') }), applicant.el),
      message,
      sendButton(t('submitPreReview'), applicant, message, async () => {
        // As the API takes it: the pre-review as JSON in `preReview`, each file in `files[<material code>]`.
        const form = new FormData();
        const project = Object.fromEntries(Object.entries(draft.project).map(([k, v]) => [k, v.trim()]));
        form.append('preReview', JSON.stringify({ itemCode: item.code, project, applicant: applicant.value(), materials: checklist.value() }));
        for (const [code, files] of Object.entries(draft.files)) for (const f of files) form.append(`files[${code}]`, f, f.name);
        draft.created = await callApi('POST', '/api/v1/online-pre-reviews', { body: form });
        drawCreated(main, go);
      }));
  };
  replace(main, h('form', { onsubmit: (e) => e.preventDefault() },
    h('h1', { text: t('tabPreReview') }),
    h('p.hint', { text: t('preReviewHint') }),
    itemChoice(items, draft.itemCode, t('chooseItemPreReview'), (code) => { draft.itemCode = code; draft.provided = {}; draft.files = {}; drawBody(); }),
    body));
  drawBody();
}

/** The project's name, location and description, kept in `project` as they are typed. */
function projectFields(project) {
  const field = (key, labelKey, max, multiline = false) => {
    const id = uid(key);
    const attrs = { id, name: `project-${key}`, required: true, maxlength: max, oninput: (e) => (project[key] = e.target.value) };
    const input = multiline ? h('textarea', { ...attrs, rows: 4 }) : h('input', { ...attrs, value: project[key] });
    if (multiline) input.value = project[key];
    return h('div.field', {}, h('label', { for: id, text: `${t(labelKey)} *` }), input);
  };
  return h('div.form-grid', {}, field('name', 'projectName', 200), field('location', 'projectLocation', 300), field('description', 'projectDescription', 2000, true));
}

function drawCreated(main, go) {
  const c = draft.created;
  replace(main, receipt({
    title: t('preReviewSubmitted'),
    rows: [['preReviewNo', 'preReviewNo', c.preReviewNo], ['queryCode', 'queryCode', c.queryCode], ['answerDue', 'answerDue', c.target?.dueDate ?? '—', true]],
    note: t('keepPreReviewCode'),
    buttons: [
      h('button.primary', { type: 'button', text: t('lookUpFindings'), onclick: () => go(`#pre-review-status?no=${encodeURIComponent(c.preReviewNo)}`) }),
      h('button.secondary', { type: 'button', text: t('newPreReview'), onclick: () => { draft = freshDraft(); preReviewSubmission(main, { go }); } }),
    ],
  }));
}
