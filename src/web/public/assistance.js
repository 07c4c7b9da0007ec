import { h, replace } from '/assets/dom.js';

// 部门协查: the department opens the request by the link of its mail and answers it, without an account.
const main = document.getElementById('main');
const token = new URLSearchParams(location.search).get('token') ?? '';
const call = async (method, path, body) => {
  const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error?.message ?? `HTTP ${res.status}`);
  return data;
};
const row = (zh, en, value) => [h('dt', { text: `${zh} / ${en}` }), h('dd', { text: value ?? '—' })];

async function show() {
  try {
    const r = await call('GET', `/api/v1/assistance?${new URLSearchParams({ token })}`);
    const form = h('form.card', {
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          const done = await call('POST', '/api/v1/assistance/answer', { token, answer: form.answer.value });
          replace(main, h('section.card', {}, h('p.success', { role: 'status', text: `已答复，感谢协助（${done.answeredOn}） / Answered, thank you.` })));
        } catch (err) {
          form.append(h('p.error', { role: 'alert', text: err.message }));
        }
      },
    },
    h('div.field', {}, h('label', { for: 'answer', text: '答复 / Answer' }), h('textarea', { id: 'answer', name: 'answer', required: true, rows: 6, maxlength: 4000 })),
    h('button.primary', { type: 'submit', text: '提交答复 / Send the answer' }));
    replace(main,
      h('section.card', {}, h('h1', { text: `${r.office} 协查函 / Request ${r.requestId}` }),
        h('dl.facts', {},
          row('协查部门', 'Department', r.department),
          row('申请编号', 'Application', r.applicationNo),
          row('事项', 'Item', r.itemName),
          row('申请人', 'Applicant', `${r.applicant.name}（${r.applicant.uscc}）`),
          row('答复期限', 'Answer by', r.dueDate)),
        h('h2', { text: '协查事项 / What to confirm' }), h('p.note', { text: r.questions })),
      form);
  } catch (err) {
    replace(main, h('section.card', {}, h('p.error', { role: 'alert', text: err.message })));
  }
}
show();
