import { callApi } from '/assets/api.js';
import { h, replace, uid } from '/assets/dom.js';
import { pick, t } from '/assets/i18n.js';
import { usccProblem } from '/assets/uscc.js';

/** 证照核验: anyone shown a certificate checks its number against the holder's USCC. */
export function certificateCheck(main) {
  const numberId = uid('number');
  const usccId = uid('uscc');
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form.card.narrow', {
    role: 'search',
    onsubmit: async (e) => {
      e.preventDefault();
      const number = form.number.value.trim();
      const uscc = form.uscc.value.trim();
      const problem = usccProblem(uscc);
      if (problem) return void replace(result, h('p.error', { role: 'alert', text: `${t('uscc')}：${pick(problem)}` }));
      try {
        const answer = await callApi('GET', `/api/v1/certificates/verify?${new URLSearchParams({ number, uscc })}`);
        replace(result, verdict(answer.status ?? answer.result ?? 'not_found', answer));
      } catch (err) {
        replace(result, err.status === 404 ? verdict('not_found', {}) : h('p.error', { role: 'alert', text: err.status === 429 ? t('tooManyTries') : err.message }));
      }
    },
  },
  h('h1', { text: t('tabCertificate') }),
  h('p.hint', { text: t('certificateCheckHint') }),
  h('div.field', {}, h('label', { for: numberId, text: t('certificateNo') }), h('input', { id: numberId, name: 'number', required: true, class: 'mono', autocomplete: 'off' })),
  h('div.field', {}, h('label', { for: usccId, text: t('uscc') }), h('input', { id: usccId, name: 'uscc', required: true, maxlength: 18, class: 'mono', autocomplete: 'off' })),
  h('button.primary', { type: 'submit', text: t('check') }));
  replace(main, form, result);
}

function verdict(status, answer) {
  const known = ['valid', 'expired', 'revoked', 'cancelled', 'not_found'].includes(status) ? status : 'not_found';
  return h(`section.card.narrow.verdict.verdict-${known}`, { role: 'status' },
    h('h2', { text: t(`verdict.${known}`) }),
    answer.validUntil ? h('p', { text: `${t('validUntil')}：${answer.validUntil}` }) : null,
    answer.itemName ? h('p', { text: answer.itemName }) : null);
}
