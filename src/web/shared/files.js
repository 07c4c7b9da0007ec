import { ApiError } from '/assets/api.js';
import { h, replace } from '/assets/dom.js';
import { t } from '/assets/i18n.js';

/** What a file picker offers: the types a material takes (the server reads the type from the content anyway). */
export const ACCEPTED_FILES = 'application/pdf,image/jpeg,image/png,.ofd';

/** Uploads one file to a material (multipart part `file`); resolves with the file's metadata, rejects with ApiError. */
export async function uploadFile(applicationId, code, file, token) {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await fetch(`/api/v1/applications/${encodeURIComponent(applicationId)}/materials/${encodeURIComponent(code)}/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    body: form,
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data?.error);
  return data;
}

/** A file's bytes as a Blob, fetched with the reader's token (an <img src> could not send it); `base` is where its files are served (a pre-review's have their own). */
export async function fileBlob(fileId, token, base = '/api/v1/files') {
  const res = await fetch(`${base}/${encodeURIComponent(fileId)}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new ApiError(res.status, (await res.json().catch(() => null))?.error);
  return res.blob();
}

/** Human-readable size: 12.3 KB, 4.5 MB. */
export const sizeText = (bytes) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

let pdfjs;
async function loadPdfJs() {
  if (!pdfjs) {
    pdfjs = await import('/assets/vendor/pdfjs/pdf.min.mjs');
    pdfjs.GlobalWorkerOptions.workerSrc = '/assets/vendor/pdfjs/pdf.worker.min.mjs';
  }
  return pdfjs;
}

/**
 * Shows a PDF's pages or an image in `target`: an image through a blob: URL, a PDF drawn by PDF.js on canvases
 * (no plugin, no script from the file: PDF.js runs no document JavaScript and evaluates nothing).
 */
export async function preview(target, file, token, base) {
  replace(target, h('p.muted', { text: t('loading') }));
  try {
    const blob = await fileBlob(file.fileId, token, base);
    if (file.contentType.startsWith('image/')) {
      const img = h('img.file-preview', { alt: file.name, src: URL.createObjectURL(blob) });
      replace(target, img);
      return;
    }
    if (file.contentType !== 'application/pdf') return replace(target, h('p.muted', { text: t('noPreview') }));
    const lib = await loadPdfJs();
    const doc = await lib.getDocument({ data: new Uint8Array(await blob.arrayBuffer()), isEvalSupported: false, enableScripting: false, standardFontDataUrl: '/assets/vendor/pdfjs/standard_fonts/' }).promise;
    const pages = h('div.pdf-pages', { dataset: { pages: String(doc.numPages) } });
    replace(target, pages);
    for (let n = 1; n <= Math.min(doc.numPages, 10); n++) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: 1 });
      const canvas = h('canvas.pdf-page', { width: Math.floor(viewport.width), height: Math.floor(viewport.height), 'aria-label': `${file.name} · ${n}/${doc.numPages}` });
      pages.append(canvas);
      await page.render({ canvasContext: canvas.getContext('2d'), viewport, canvas }).promise;
    }
    pages.dataset.rendered = 'true';
  } catch (e) {
    replace(target, h('p.notice', { role: 'alert', text: e.message }));
  }
}
