import { h, replace } from '/assets/dom.js';
import { ACCEPTED_FILES, fileBlob, preview, sizeText, uploadFile } from '/assets/files.js';
import { shanghaiDateTime } from '/assets/format.js';
import { pick, t } from '/assets/i18n.js';
import { currentSession, staffApi } from './session.js';

/**
 * The files of each material beside the checklist: versions newest first, a preview in the page, an upload for the
 * clerk while the application takes materials, and the review mark (accepted, or needs correction with a reason).
 */
export function filesPanel(app, { onChange }) {
  const token = currentSession()?.token;
  const viewer = h('div.file-viewer', { 'aria-live': 'polite' });
  const status = h('p', { role: 'status' });
  const body = h('div', {}, h('p.muted', { text: t('loading') }));
  const canMark = app.allowedEvents.includes('MARK_MATERIAL');
  const reviews = app.details?.materialReviews ?? {};

  const mark = async (code, verdict, reasonInput) => {
    try {
      const reason = reasonInput.value.trim();
      const updated = await staffApi('POST', `/api/v1/applications/${encodeURIComponent(app.id)}/events`, { type: 'MARK_MATERIAL', material: code, verdict, ...(reason ? { reason } : {}), expectedVersion: app.version });
      onChange(updated);
    } catch (e) {
      replace(status, h('span.bad', { text: e.message }));
    }
  };
  const download = async (file) => {
    const link = h('a', { href: URL.createObjectURL(await fileBlob(file.fileId, token)), download: file.name });
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const draw = (materials) => replace(body, h('table.grid.files', {},
    h('thead', {}, h('tr', {}, ['code', 'files', 'materialReview'].map((k) => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', {}, materials.map(({ code, files }) => {
      const material = app.materials.find((m) => m.code === code);
      const review = reviews[code];
      const reason = h('input', { type: 'text', name: `reason-${code}`, placeholder: t('reason'), 'aria-label': `${code} ${t('reason')}`, maxlength: 500 });
      const picker = h('input', { type: 'file', accept: ACCEPTED_FILES, hidden: true, 'aria-label': `${code} ${t('uploadFile')}`, dataset: { material: code },
        onchange: async (e) => {
          const file = e.target.files[0];
          if (!file) return;
          try {
            const stored = await uploadFile(app.id, code, file, token);
            replace(status, h('span.success', { text: t('fileUploaded', { name: stored.name, version: stored.version }) }));
            await load();
          } catch (err) {
            replace(status, h('span.bad', { role: 'alert', text: err.message }));
          }
        } });
      return h('tr', { dataset: { material: code } },
        h('td.code', {}, h('strong', { text: code }), h('div.muted', { text: material ? pick({ zh: material.name, en: material.nameEn }) : '' })),
        h('td', {},
          files.length ? h('ul.plain.file-list', {}, files.map((f) => h('li', { dataset: { fileId: f.fileId } },
            h('span', { text: `v${f.version} ${f.name}` }),
            h('span.muted', { text: ` · ${sizeText(f.size)} · ${f.uploadedBy.name} · ${shanghaiDateTime(f.uploadedAt)}` }), ' ',
            f.contentType === 'application/ofd' ? null : h('button.link-button', { type: 'button', text: t('preview'), onclick: () => preview(viewer, f, token) }),
            h('button.link-button', { type: 'button', text: t('download'), onclick: () => download(f) })))) : h('span.muted', { text: t('noFiles') }),
          app.mayUpload ? h('div', {}, picker, h('button', { type: 'button', text: t('uploadFile'), onclick: () => picker.click() })) : null),
        h('td', {},
          review ? h('p', { class: review.verdict === 'accepted' ? 'yes' : 'no', dataset: { verdict: review.verdict }, text: `${t(`verdict.${review.verdict}`)}${review.reason ? `：${review.reason}` : ''} · ${review.by} ${review.on}` }) : h('span.muted', { text: t('notReviewed') }),
          canMark ? h('div.buttons', {}, reason,
            h('button', { type: 'button', text: t('verdict.accepted'), onclick: () => mark(code, 'accepted', reason) }),
            h('button.danger', { type: 'button', text: t('verdict.needs_correction'), onclick: () => mark(code, 'needs_correction', reason) })) : null));
    }))));

  const load = async () => {
    try {
      draw((await staffApi('GET', `/api/v1/applications/${encodeURIComponent(app.id)}/files`)).materials);
    } catch (e) {
      replace(body, h('p.notice', { role: 'alert', text: e.message }));
    }
  };
  load();
  return h('section.card', { 'aria-labelledby': 'files-h' }, h('h2#files-h', { text: t('materialFiles') }), status, body, viewer);
}
