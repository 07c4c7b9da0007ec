import { h, replace, uid } from '/assets/dom.js';
import { t } from '/assets/i18n.js';

/**
 * A lookup by a number and its query code (办件查询, 预审查询): the form, then `fetch(no, code)`'s view drawn by
 * `render(view, {redraw, result})` (`redraw` draws `last.view` again, e.g. after part of it was read anew).
 * `last` ({no, queryCode, view, error}) keeps the last lookup, so a language switch redraws it without asking again.
 */
export function lookupPage(main, { params, last, title, hint, numberLabel, placeholder, button, notFound, fetch, render }) {
  if (params.get('no')) last.no = params.get('no');
  const noId = uid('no');
  const codeId = uid('code');
  const result = h('div', { 'aria-live': 'polite' });
  const drawResult = () => replace(result, last.error ? h('p.notice', { role: 'alert', text: last.error }) : last.view ? render(last.view, { redraw: drawResult, result }) : null);
  const form = h('form.card.narrow', {
    role: 'search',
    onsubmit: async (e) => {
      e.preventDefault();
      last.no = form.number.value.trim();
      last.queryCode = form.queryCode.value.trim().toUpperCase();
      last.view = null;
      last.error = null;
      try {
        last.view = await fetch(last.no, last.queryCode);
      } catch (err) {
        // A wrong code and an unknown number get the same neutral answer, as the API gives.
        last.error = err.status === 404 || err.status === 400 ? notFound : err.status === 429 ? t('tooManyTries') : err.message;
      }
      drawResult();
    },
  },
  h('h1', { text: title }),
  h('p.hint', { text: hint }),
  h('div.field', {}, h('label', { for: noId, text: numberLabel }), h('input', { id: noId, name: 'number', required: true, class: 'mono', placeholder, value: last.no, autocomplete: 'off' })),
  h('div.field', {}, h('label', { for: codeId, text: t('queryCode') }), h('input', { id: codeId, name: 'queryCode', required: true, class: 'mono', maxlength: 16, value: last.queryCode, autocomplete: 'off' })),
  h('button.primary', { type: 'submit', text: button }));
  replace(main, form, result);
  drawResult();
}
