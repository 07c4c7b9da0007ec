import { h, uid } from '/assets/dom.js';
import { pick, t } from '/assets/i18n.js';

// What the two online submissions (不见面审批 and 容缺预审) share: the item choice, the send button and the receipt.

/** The card choosing the item: `onChange(code)` when another is picked. */
export function itemChoice(items, selected, emptyText, onChange) {
  const id = uid('item');
  return h('section.card', {}, h('div.field', {}, h('label', { for: id, text: t('item') }),
    h('select', { id, name: 'itemCode', onchange: (e) => onChange(e.target.value) },
      h('option', { value: '', text: emptyText }),
      items.map((i) => h('option', { value: i.code, text: `${i.code} ${pick({ zh: i.name, en: i.nameEn })}`, selected: selected === i.code })))));
}

/** The send button: the form's own checks, then the applicant's, then `send()`; a refusal is shown in `message`. */
export function sendButton(text, applicant, message, send) {
  return h('button.primary', {
    type: 'submit',
    text,
    onclick: async (e) => {
      e.preventDefault();
      if (!e.target.form.reportValidity()) return;
      message.textContent = '';
      const problem = applicant.problem();
      if (problem) return void (message.textContent = problem);
      try {
        await send();
      } catch (err) {
        message.textContent = err.message;
      }
    },
  });
}

/** The receipt after sending: `rows` of [label, field, value, small?], the number and query code large, shown only this once. */
export function receipt({ title, status, rows, note, buttons }) {
  return h('section.card.narrow', { role: 'status' },
    h('h1', { text: title }),
    status ? h('p', { text: status }) : null,
    h('dl.facts', {}, rows.map(([label, field, value, small]) => [h('dt', { text: t(label) }), h(small ? 'dd' : 'dd.big', { dataset: { field }, text: value })])),
    h('p.notice', { text: note }),
    h('div.buttons', {}, buttons));
}
