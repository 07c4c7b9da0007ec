import { h } from '/assets/dom.js';
import { shanghaiDate } from '/assets/format.js';
import { pick, t } from '/assets/i18n.js';

/** Opens an issued PDF: fetched with the reader's token (a plain link would carry none), shown in a new tab. */
async function openPdf(url, token, button) {
  button.disabled = true;
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const blobUrl = window.URL.createObjectURL(await res.blob());
    window.open(blobUrl, '_blank', 'noopener');
    window.setTimeout(() => window.URL.revokeObjectURL(blobUrl), 60_000);
  } finally {
    button.disabled = false;
  }
}

/** The written instruments issued for an application, each with its 文号, date and a download button. */
export function documentsList(documents, token) {
  if (!documents.length) return h('p.muted', { dataset: { field: 'documents' }, text: t('noDocuments') });
  return h('ul.documents', { dataset: { field: 'documents' } }, documents.map((d) => h('li', { dataset: { kind: d.kind } },
    h('strong', { text: pick(d.title) }),
    h('span.mono', { text: ` ${d.number} ` }),
    h('time', { datetime: d.issuedAt, text: shanghaiDate(d.issuedAt) }),
    ' ',
    h('button.link', { type: 'button', title: `SHA-256 ${d.sha256}`, text: t('downloadPdf'), onclick: (e) => openPdf(d.url, token, e.currentTarget) }))));
}
