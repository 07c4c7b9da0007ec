import { applicantFields, materialsChecklist } from './application-form.js';
import { h, uid } from './dom.js';
import { ACCEPTED_FILES } from './files.js';
import { t } from './i18n.js';

/** A fresh pre-review draft: what the form keeps as it is filled (it survives a language switch). */
export const freshPreReviewDraft = () => ({ itemCode: '', provided: {}, files: {}, project: { name: '', location: '', description: '' }, applicant: { name: '', uscc: '', divisionCode: '', contact: { name: '', phone: '', email: '' } }, created: null });

/**
 * The pre-review of one item as the enterprise (online) or the clerk (at the window) fills it: the project, the
 * materials checklist with files per material, the applicant. `formData()` is the body as the API takes it: the
 * pre-review as JSON in the part `preReview`, each file in a part `files[<material code>]`.
 */
export function preReviewFields(draft, item, places) {
  // The files picked per material, kept in the draft so a language switch keeps them.
  const picker = (m) => {
    const input = h('input', { type: 'file', multiple: true, accept: ACCEPTED_FILES, 'aria-label': `${m.code} ${t('attachFile')}`, dataset: { material: m.code },
      onchange: (e) => { draft.files[m.code] = [...e.target.files]; } });
    const chosen = draft.files[m.code] ?? [];
    return h('div', {}, input, chosen.length ? h('small.muted', { text: ` ${t('filesAttached')}：${chosen.map((f) => f.name).join('、')}` }) : null);
  };
  const checklist = materialsChecklist(item, draft.provided, { extra: { title: 'attachFile', cell: picker } });
  const applicant = applicantFields(draft.applicant, places, item);
  return {
    el: [
      h('section.card', {}, h('h2', { text: t('project') }), projectFields(draft.project)),
      h('section.card', {}, h('h2', { text: t('materialsChecklist') }), h('p.hint', { text: t('preReviewMaterialsHint') }), checklist.el),
      h('section.card', {}, h('h2', { text: t('applicant') }), applicant.el),
    ],
    applicant,
    formData: () => {
      const form = new FormData();
      const project = Object.fromEntries(Object.entries(draft.project).map(([k, v]) => [k, v.trim()]));
      form.append('preReview', JSON.stringify({ itemCode: item.code, project, applicant: applicant.value(), materials: checklist.value() }));
      for (const [code, files] of Object.entries(draft.files)) for (const f of files) form.append(`files[${code}]`, f, f.name);
      return form;
    },
  };
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
