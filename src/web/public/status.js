import { callApi } from '/assets/api.js';
import { h, replace, uid } from '/assets/dom.js';
import { ACCEPTED_FILES, uploadFile } from '/assets/files.js';
import { pick, t } from '/assets/i18n.js';
import { documentsList } from '/assets/documents.js';
import { evaluationSection } from '/assets/evaluation.js';

// The last lookup is kept so a language switch redraws it without asking again.
const last = { applicationNo: '', queryCode: '', view: null, error: null };

/** 办件查询: the plain-language status, what the applicant must do now and by when, and the timeline. */
export function statusLookup(main, { params }) {
  if (params.get('no')) last.applicationNo = params.get('no');
  const noId = uid('no');
  const codeId = uid('code');
  const result = h('div', { 'aria-live': 'polite' });
  // After a rating only the evaluations are read again, with the same token.
  const rated = async () => {
    last.view = { ...last.view, evaluations: await callApi('GET', `/api/v1/applications/${encodeURIComponent(last.view.applicationId)}/evaluations`, { token: last.view.token }) };
    drawResult();
    result.querySelector('[data-field="evaluation"]')?.insertAdjacentElement('beforeend', h('p.success', { role: 'status', text: t('eval.thanks') }));
  };
  const drawResult = () => replace(result, last.error ? h('p.notice', { role: 'alert', text: last.error }) : last.view ? statusView(last.view, rated) : null);
  const form = h('form.card.narrow', {
    role: 'search',
    onsubmit: async (e) => {
      e.preventDefault();
      last.applicationNo = form.applicationNo.value.trim();
      last.queryCode = form.queryCode.value.trim().toUpperCase();
      last.view = null;
      last.error = null;
      try {
        last.view = await callApi('GET', `/api/v1/status?${new URLSearchParams({ applicationNo: last.applicationNo, queryCode: last.queryCode })}`);
        // The same number and code sign the enterprise in to its own application, to read the instruments addressed to it.
        const { token, applicationId } = await callApi('POST', '/api/v1/auth/enterprise-token', { body: { applicationNo: last.applicationNo, queryCode: last.queryCode } });
        const [documents, evaluations] = await Promise.all([
          callApi('GET', `/api/v1/applications/${encodeURIComponent(applicationId)}/documents`, { token }),
          callApi('GET', `/api/v1/applications/${encodeURIComponent(applicationId)}/evaluations`, { token }),
        ]);
        last.view = { ...last.view, token, applicationId, documents, evaluations };
      } catch (err) {
        // A wrong code and an unknown number get the same neutral answer, as the API gives.
        last.error = err.status === 404 || err.status === 400 ? t('statusNotFound') : err.status === 429 ? t('tooManyTries') : err.message;
      }
      drawResult();
    },
  },
  h('h1', { text: t('tabStatus') }),
  h('p.hint', { text: t('statusHint') }),
  h('div.field', {}, h('label', { for: noId, text: t('applicationNo') }), h('input', { id: noId, name: 'applicationNo', required: true, class: 'mono', placeholder: '370602-20260302-00001', value: last.applicationNo, autocomplete: 'off' })),
  h('div.field', {}, h('label', { for: codeId, text: t('queryCode') }), h('input', { id: codeId, name: 'queryCode', required: true, class: 'mono', maxlength: 16, value: last.queryCode, autocomplete: 'off' })),
  h('button.primary', { type: 'submit', text: t('lookUp') }));
  replace(main, form, result);
  drawResult();
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
        const login = await callApi('POST', '/api/v1/auth/enterprise-token', { body: { applicationNo: last.applicationNo, queryCode: last.queryCode } });
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
