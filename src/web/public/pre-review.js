import { callApi } from '/assets/api.js';
import { h, replace } from '/assets/dom.js';
import { t } from '/assets/i18n.js';
import { freshPreReviewDraft, preReviewFields } from '/assets/pre-review-form.js';
import { itemChoice, receipt, sendButton } from './submission.js';

let reference = null;
let draft = freshPreReviewDraft();

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
    const fields = preReviewFields(draft, item, places);
    const message = h('p.error', { role: 'alert' });
    replace(body, fields.el, message, sendButton(t('submitPreReview'), fields.applicant, message, async () => {
      draft.created = await callApi('POST', '/api/v1/online-pre-reviews', { body: fields.formData() });
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

function drawCreated(main, go) {
  const c = draft.created;
  replace(main, receipt({
    title: t('preReviewSubmitted'),
    rows: [['preReviewNo', 'preReviewNo', c.preReviewNo], ['queryCode', 'queryCode', c.queryCode], ['answerDue', 'answerDue', c.target?.dueDate ?? '—', true]],
    note: t('keepPreReviewCode'),
    buttons: [
      h('button.primary', { type: 'button', text: t('lookUpFindings'), onclick: () => go(`#pre-review-status?no=${encodeURIComponent(c.preReviewNo)}`) }),
      h('button.secondary', { type: 'button', text: t('newPreReview'), onclick: () => { draft = freshPreReviewDraft(); preReviewSubmission(main, { go }); } }),
    ],
  }));
}
