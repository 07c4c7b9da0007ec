import { callApi } from '/assets/api.js';
import { h, replace, uid } from '/assets/dom.js';
import { ACCEPTED_FILES, uploadFile } from '/assets/files.js';
import { pick, t } from '/assets/i18n.js';
import { lookupPage } from './lookup.js';
import { documentsList } from '/assets/documents.js';
import { evaluationSection } from '/assets/evaluation.js';

// The last lookup is kept so a language switch redraws it without asking again.
const last = { no: '', queryCode: '', view: null, error: null };

/** 办件查询: the plain-language status, what the applicant must do now and by when, and the timeline. */
export function statusLookup(main, { params }) {
  lookupPage(main, {
    params, last, title: t('tabStatus'), hint: t('statusHint'), numberLabel: t('applicationNo'), placeholder: '370602-20260302-00001', button: t('lookUp'), notFound: t('statusNotFound'),
    fetch: async (applicationNo, queryCode) => {
      const view = await callApi('GET', `/api/v1/status?${new URLSearchParams({ applicationNo, queryCode })}`);
      // The same number and code sign the enterprise in to its own application, to read the instruments addressed to it and rate it.
      const { token, applicationId } = await callApi('POST', '/api/v1/auth/enterprise-token', { body: { applicationNo, queryCode } });
      const [documents, evaluations] = await Promise.all([
        callApi('GET', `/api/v1/applications/${encodeURIComponent(applicationId)}/documents`, { token }),
        callApi('GET', `/api/v1/applications/${encodeURIComponent(applicationId)}/evaluations`, { token }),
      ]);
      return { ...view, token, applicationId, documents, evaluations };
    },
    // After a rating only the evaluations are read again, with the same token.
    render: (v, { redraw, result }) => statusView(v, async () => {
      last.view = { ...last.view, evaluations: await callApi('GET', `/api/v1/applications/${encodeURIComponent(last.view.applicationId)}/evaluations`, { token: last.view.token }) };
      redraw();
      result.querySelector('[data-field="evaluation"]')?.insertAdjacentElement('beforeend', h('p.success', { role: 'status', text: t('eval.thanks') }));
    }),
  });
}

function statusView(v, onRated) {
  return h('section.card.status-result', { 'aria-labelledby': 'status-h' },
    h('h2#status-h', {}, `${v.applicationNo} `, h('span.status-tag', { dataset: { status: v.status }, text: pick(v.statusLabel) })),
    h('dl.facts', {},
      h('dt', { text: t('item') }), h('dd', { text: pick({ zh: v.itemName, en: v.itemNameEn }) }),
      h('dt', { text: t('applicantName') }), h('dd', { text: v.applicantName }),
      h('dt', { text: t('submittedOn') }), h('dd', { text: v.submittedOn }),
      h('dt', { text: t('decisionDue') }), h('dd', { dataset: { field: 'dueDate' } }, v.dueDate ?? t('noDueDate'), v.provisional ? ` （${t('provisional')}）` : null),
      v.certificateNo ? [h('dt', { text: t('certificateNo') }), h('dd', { text: v.certificateNo })] : null),
    v.provisional ? h('p.notice', { dataset: { field: 'provisional' }, text: t('provisionalNote', { year: v.dueDate.slice(0, 4) }) }) : null,
    v.expected
      ? h('div.expected', { role: 'note', 'aria-label': t('expectedNow') },
        h('h3', { text: t('expectedNow') }),
        h('p', { dataset: { field: 'expected' }, text: pick(v.expected) }),
        v.expected.deadline ? h('p', {}, h('strong', { text: `${t('deadline')}：${v.expected.deadline}${v.expected.provisional ? ` （${t('provisional')}）` : ''}` })) : null,
        v.expected.provisional ? h('p.notice', { text: t('provisionalNote', { year: v.expected.deadline.slice(0, 4) }) }) : null)
      : h('p.muted', { text: t('nothingExpected') }),
    v.takesMaterials ? uploadForm(v) : null,
    v.documents ? [h('h3', { text: t('documents') }), documentsList(v.documents, v.token)] : null,
    evaluationSection(v, onRated),
    h('h3', { text: t('progress') }),
    h('ol.timeline.public', {}, v.timeline.map((e) => h('li', {}, h('time', { text: e.date }), h('span', { text: pick(e) }), e.detail ? h('p.muted', { text: pick(e.detail) }) : null))));
}

/** 不见面审批: the applicant uploads a material's file with the token its number and query code give. */
function uploadForm(v) {
  const materialId = uid('material');
  const fileId = uid('file');
  const result = h('p', { role: 'status' });
  const form = h('form.upload', {
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        const login = await callApi('POST', '/api/v1/auth/enterprise-token', { body: { applicationNo: last.no, queryCode: last.queryCode } });
        const stored = await uploadFile(login.applicationId, form.material.value, form.file.files[0], login.token);
        replace(result, h('span.success', { text: t('fileUploaded', { name: stored.name, version: stored.version }) }));
        form.reset();
      } catch (err) {
        replace(result, h('span.bad', { role: 'alert', text: err.message }));
      }
    },
  },
  h('h3', { text: t('uploadFile') }),
  h('p.hint', { text: t('uploadHint') }),
  h('div.field', {}, h('label', { for: materialId, text: t('materials') }),
    h('select', { id: materialId, name: 'material', required: true }, v.materials.map((m) => h('option', { value: m.code, text: `${m.code} ${pick({ zh: m.name, en: m.nameEn })}` })))),
  h('div.field', {}, h('label', { for: fileId, text: t('file') }), h('input', { id: fileId, name: 'file', type: 'file', required: true, accept: ACCEPTED_FILES })),
  h('button.primary', { type: 'submit', text: t('uploadFile') }),
  result);
  return form;
}
