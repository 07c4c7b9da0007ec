import { callApi } from '/assets/api.js';
import { h, replace, uid } from '/assets/dom.js';
import { pick, t } from '/assets/i18n.js';

const LOW = 2;

/**
 * 好差评, on the status page (the enterprise's token) and on the staff application page (the window records it): a form
 * for each stage open to rating when `mayRate`, the rating once given, or that the period ended unrated.
 * `v` is {applicationId, token, evaluations} (the answer of GET …/evaluations).
 */
export function evaluationSection(v, onRated, { mayRate = true, heading = 'h3' } = {}) {
  const stages = (v.evaluations?.stages ?? []).filter((s) => s.state !== 'not_reached');
  if (!stages.length) return null;
  const open = (s) => (mayRate ? ratingForm(v, s, onRated) : h('p.muted', { text: `${pick(s.stageLabel)} · ${t('eval.hint', { date: s.expiresOn })}` }));
  return h('section.evaluation', { 'aria-labelledby': 'eval-h', dataset: { field: 'evaluation' } },
    h(`${heading}#eval-h`, { text: t('eval.title') }),
    stages.map((s) => (s.state === 'open' ? open(s) : s.state === 'rated' ? givenRating(s) : h('p.muted', { text: t('eval.notRated', { date: s.expiresOn }) }))));
}

function givenRating(s) {
  const e = s.evaluation;
  const task = e.rectification;
  return h('div.rating-given', { dataset: { stage: s.stage } },
    h('p', {}, h('strong', { text: t('eval.given', { level: pick(e.levelLabel), date: e.on }) }), ` · ${pick(s.stageLabel)}`),
    e.reasons.length ? h('p.muted', { text: e.reasons.map(pick).join('；') }) : null,
    e.comment ? h('p', { text: e.comment }) : null,
    task && task.reply ? h('p.notice', { text: t('eval.rectified', { text: task.reply.text }) }) : task ? h('p.notice', { text: t('eval.rectifying', { date: task.dueDate }) }) : null);
}

function ratingForm(v, s, onRated) {
  const commentId = uid('comment');
  const result = h('p', { role: 'status' });
  const reasons = h('fieldset.reasons', { hidden: true },
    h('legend', { text: t('eval.reasons') }),
    v.evaluations.reasons.map((r) => {
      const id = uid('reason');
      return h('div.check', {}, h('input', { id, type: 'checkbox', name: 'reason', value: r.code }), h('label', { for: id, text: pick(r) }));
    }));
  const form = h('form.rating', {
    dataset: { stage: s.stage },
    onchange: () => {
      // The reasons are asked for only with 不满意 and 非常不满意, as the server requires them only then.
      reasons.hidden = !(Number(form.level.value) <= LOW);
    },
    onsubmit: async (e) => {
      e.preventDefault();
      const level = Number(form.level.value);
      const chosen = [...form.querySelectorAll('input[name="reason"]:checked')].map((i) => i.value);
      try {
        await callApi('POST', `/api/v1/applications/${encodeURIComponent(v.applicationId)}/evaluations`, {
          token: v.token,
          body: { stage: s.stage, level, comment: form.comment.value.trim(), reasons: level <= LOW ? chosen : [] },
        });
        await onRated();
      } catch (err) {
        replace(result, h('span.bad', { role: 'alert', text: err.message }));
      }
    },
  },
  h('p.hint', { text: `${pick(s.stageLabel)} · ${t('eval.hint', { date: s.expiresOn })}` }),
  h('fieldset', {}, h('legend', { text: t('eval.level') }),
    v.evaluations.levels.map((l) => {
      const id = uid('level');
      return h('div.check', {}, h('input', { id, type: 'radio', name: 'level', value: String(l.level), required: true }), h('label', { for: id, text: pick(l) }));
    })),
  reasons,
  h('div.field', {}, h('label', { for: commentId, text: t('eval.comment') }), h('textarea', { id: commentId, name: 'comment', rows: 3, maxlength: 500 })),
  h('button.primary', { type: 'submit', text: t('eval.submit') }),
  result);
  return form;
}
