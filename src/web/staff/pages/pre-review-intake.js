import { h, replace, uid } from '/assets/dom.js';
import { pick, t } from '/assets/i18n.js';
import { freshPreReviewDraft, preReviewFields } from '/assets/pre-review-form.js';
import { catalogItems, jurisdictions } from '../reference.js';
import { staffApi } from '../session.js';

// The form survives a language switch; it is cleared once the pre-review is registered.
let draft = freshPreReviewDraft();

/** 容缺预审 at the window: the clerk enters an enterprise's project, applicant and materials (with files) for it. */
export async function preReviewIntakePage(main) {
  const [all, places] = await Promise.all([catalogItems(), jurisdictions()]);
  const items = all.filter((i) => i.preReview);
  if (draft.created) return drawCreated(main);
  const body = h('div');
  const drawBody = () => {
    const item = items.find((i) => i.code === draft.itemCode);
    if (!item) return replace(body);
    const fields = preReviewFields(draft, item, places);
    const message = h('p.error', { role: 'alert' });
    replace(body, fields.el, message, h('div.buttons', {}, h('button.primary', { type: 'submit', text: t('submitPreReview') })));
    body.closest('form').onsubmit = async (e) => {
      e.preventDefault();
      message.textContent = '';
      const problem = fields.applicant.problem();
      if (problem) return void (message.textContent = problem);
      try {
        draft.created = await staffApi('POST', '/api/v1/pre-reviews', fields.formData());
        drawCreated(main);
      } catch (err) {
        message.textContent = err.message;
      }
    };
  };
  const itemId = uid('item');
  replace(main,
    h('p', {}, h('a', { href: '#/pre-reviews', text: `← ${t('navPreReviews')}` })),
    h('h1', { text: t('preReviewAtWindow') }),
    h('form', { 'aria-label': t('preReviewAtWindow') },
      h('section.card', {}, h('div.field', {}, h('label', { for: itemId, text: t('item') }),
        h('select', { id: itemId, name: 'itemCode', onchange: (e) => { draft.itemCode = e.target.value; draft.provided = {}; draft.files = {}; drawBody(); } },
          h('option', { value: '', text: t('chooseItemPreReview') }),
          items.map((i) => h('option', { value: i.code, text: `${i.code} ${pick({ zh: i.name, en: i.nameEn })}`, selected: draft.itemCode === i.code }))))),
      body));
  drawBody();
}

/** The number and query code for the enterprise (shown once), and the pre-review's page. */
function drawCreated(main) {
  const c = draft.created;
  replace(main,
    h('h1', { text: t('preReviewAtWindow') }),
    h('section.card', { role: 'status' }, h('h2', { text: t('preReviewSubmitted') }),
      h('dl.facts', {},
        h('dt', { text: t('preReviewNo') }), h('dd.big', { dataset: { field: 'preReviewNo' }, text: c.preReviewNo }),
        h('dt', { text: t('queryCode') }), h('dd.big', { dataset: { field: 'queryCode' }, text: c.queryCode }),
        h('dt', { text: t('answerDue') }), h('dd', { text: c.target?.dueDate ?? '—' })),
      h('p.hint', { text: t('keepPreReviewCode') }),
      h('div.buttons', {},
        h('a.button.secondary', { href: `#/pre-reviews/${encodeURIComponent(c.id)}`, text: t('openPreReview') }),
        h('button.secondary', { type: 'button', text: t('newPreReview'), onclick: () => { draft = freshPreReviewDraft(); preReviewIntakePage(main); } }))));
}
