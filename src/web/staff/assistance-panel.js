import { h } from '/assets/dom.js';
import { pick } from '/assets/i18n.js';

const L = (zh, en) => pick({ zh, en });
const STATUS = { open: ['待答复', 'Open'], answered: ['已答复', 'Answered'], withdrawn: ['已撤回', 'Withdrawn'], scheduled: ['待登记结果', 'Awaiting result'], recorded: ['已登记', 'Recorded'] };
const RESULT = { pass: ['符合', 'Pass'], fail: ['不符合', 'Fail'], not_applicable: ['不适用', 'N/A'] };
const lightOf = (app, name) => app.deadlines?.find((d) => d.name === name);
const light = (d) => (d ? h('span.light', { class: `light-${d.light}` }, h('span.dot', { 'aria-hidden': 'true' }), `${d.dueDate}${d.overdue ? L(' 已逾期', ' overdue') : ''}`) : null);

/** 部门协查: each request to another department, its light while open, and its answer. */
export function assistanceCard(app) {
  const requests = app.details?.assistance ?? [];
  if (!requests.length) return null;
  return h('section.card', { 'aria-labelledby': 'assistance-h', dataset: { panel: 'assistance' } }, h('h2#assistance-h', { text: L('部门协查', 'Inter-department verification') }),
    h('table.grid', {},
      h('thead', {}, h('tr', {}, [['编号', 'No.'], ['协查部门', 'Department'], ['协查事项', 'Questions'], ['状态', 'Status'], ['答复', 'Answer']].map(([zh, en]) => h('th', { scope: 'col', text: L(zh, en) })))),
      h('tbody', {}, requests.map((r) => h('tr', { dataset: { request: r.id } },
        h('td.code', { text: r.id }),
        h('td', { text: `${r.department}（${r.requestedOn}）` }),
        h('td', { text: r.questions }),
        h('td', {}, L(...STATUS[r.status]), ' ', r.status === 'open' ? light(lightOf(app, `assistance-${r.id}`)) : null, r.reminders?.length ? ` · ${L('催办', 'reminded')} ${r.reminders.length}` : ''),
        h('td', { text: r.answer ? `${r.answer.text}（${r.answer.by} ${r.answer.on}${r.answer.channel === 'link' ? L('，经链接答复', ', through the link') : ''}）` : r.withdrawal ? `${L('撤回', 'Withdrawn')}：${r.withdrawal.reason}` : '—' }))))));
}

/** 现场核查: each inspection, its light while it waits for a result, and the result point by point. */
export function inspectionCard(app) {
  const inspections = app.details?.inspections ?? [];
  if (!inspections.length) return null;
  return h('section.card', { 'aria-labelledby': 'inspection-h', dataset: { panel: 'inspection' } }, h('h2#inspection-h', { text: L('现场核查', 'Site inspection') }),
    inspections.map((i) => h('div.record', { dataset: { inspection: i.id } },
      h('h3', {}, `${i.id} · ${i.date} · ${i.place} · ${L(...STATUS[i.status])} `, i.status === 'scheduled' ? light(lightOf(app, 'inspection')) : null),
      h('p.muted', { text: `${L('核查人员', 'Inspectors')}：${i.inspectors.join('、')}` }),
      i.result ? [
        h('table.grid', {},
          h('thead', {}, h('tr', {}, [['要点', 'Point'], ['结果', 'Result'], ['说明', 'Note'], ['照片', 'Photos']].map(([zh, en]) => h('th', { scope: 'col', text: L(zh, en) })))),
          h('tbody', {}, i.result.points.map((p) => h('tr', { class: p.result === 'fail' ? 'row-missing' : null },
            h('td', { text: `${p.code} ${p.text}` }),
            h('td', {}, h('span', { class: p.result === 'fail' ? 'no' : 'yes', text: L(...RESULT[p.result]) })),
            h('td', { text: p.note || '—' }),
            h('td', {}, p.photos.length ? p.photos.join('、') : '—'))))),
        h('p', {}, h('strong', { text: `${L('结论', 'Conclusion')}：${i.result.conclusion === 'pass' ? L('合格', 'Passed') : L('不合格', 'Failed')}` }), ` ${i.result.note} · ${i.result.by} ${i.result.on}`),
      ] : null)));
}
