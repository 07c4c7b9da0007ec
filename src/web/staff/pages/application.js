import { h, replace } from '/assets/dom.js';
import { shanghaiDate, shanghaiDateTime } from '/assets/format.js';
import { pick, t } from '/assets/i18n.js';
import { actionsPanel } from '../actions.js';
import { filesPanel } from '../files-panel.js';
import { deadlineLabel, dueDateText, isOverdue, isVerificationTask, lightBadge, remainingText } from '../clock.js';
import { assistanceCard, inspectionCard } from '../assistance-panel.js';
import { noticeButtons } from '../notices.js';
import { processDiagram } from '../process-diagram.js';
import { processGraph } from '../reference.js';
import { currentSession, staffApi } from '../session.js';
import { documentsList } from '/assets/documents.js';
import { evaluationSection } from '/assets/evaluation.js';

/** One application: details, materials, timeline, joint-review branches, clock, allowed actions and the process diagram. */
export async function applicationPage(main, { arg }) {
  const app = await staffApi('GET', `/api/v1/applications/${encodeURIComponent(arg)}`);
  const graph = await processGraph(app.processId, app.machineVersion).catch(() => null);
  draw(main, app, graph);
}

/** The instruments issued so far; they are made a moment after each event, so the list is read on its own. */
function documentsCard(app) {
  const card = h('section.card', { 'aria-labelledby': 'documents-h' }, h('h2#documents-h', { text: t('documents') }), h('p.muted', { text: '…' }));
  staffApi('GET', `/api/v1/applications/${encodeURIComponent(app.id)}/documents`)
    .then((docs) => replace(card, h('h2#documents-h', { text: t('documents') }), documentsList(docs, currentSession()?.token)))
    .catch(() => replace(card, h('h2#documents-h', { text: t('documents') }), h('p.muted', { text: t('noDocuments') })));
  return card;
}

/** 好差评: each stage's rating (or its form for the window clerk, who records it for the applicant); shown once a stage is reached. */
function evaluationsCard(app) {
  const card = h('section.card', { hidden: true });
  const session = currentSession();
  const load = async () => {
    const evaluations = await staffApi('GET', `/api/v1/applications/${encodeURIComponent(app.id)}/evaluations`);
    const section = evaluationSection({ applicationId: app.id, token: session?.token, evaluations }, load, { mayRate: session?.user.role === 'clerk', heading: 'h2' });
    card.hidden = !section;
    replace(card, section);
  };
  load().catch(() => {});
  return card;
}

function draw(main, app, graph, lastAction) {
  const rerender = (updated, action) => draw(main, updated, graph, action);
  replace(main,
    h('p', {}, h('a', { href: '#/worklist', text: `← ${t('navWorklist')}` })),
    h('h1', {}, `${app.applicationNo} `, h('span.status-tag', { dataset: { status: app.status }, text: pick(app.statusLabel) }),
      isOverdue(app) ? h('span.badge.danger', { text: t('overdue') }) : null,
      isVerificationTask(app) ? h('span.badge.verify', { text: t('verificationTask') }) : null),
    lastAction ? h('p.success', { role: 'status', text: t('actionDone', { action: pick(lastAction.label), status: pick(app.statusLabel) }) }) : null,
    h('div.columns', {},
      h('div.col-main', {},
        facts(app),
        app.preReview ? preReviewCard(app.preReview) : null,
        materials(app),
        filesPanel(app, { onChange: (updated) => rerender(updated) }),
        recorded(app),
        assistanceCard(app),
        inspectionCard(app),
        app.branches ? branches(app) : null,
        app.chain ? chainCard(app) : null,
        notesCard(app),
        timeline(app)),
      h('div.col-side', {},
        clockCard(app),
        documentsCard(app),
        evaluationsCard(app),
        h('section.card', {}, h('h2', { text: t('notices') }), noticeButtons(app).length ? h('div.buttons.stack', {}, noticeButtons(app)) : h('p.muted', { text: t('noNotices') })),
        actionsPanel(app, { onDone: rerender }))),
    h('section.card', { 'aria-labelledby': 'diagram-h' },
      h('h2#diagram-h', { text: t('processDiagram') }),
      graph ? processDiagram(graph, app) : h('p.muted', { text: t('diagramUnavailable') })));
}

function facts(app) {
  const row = (key, value) => [h('dt', { text: t(key) }), h('dd', { text: value ?? '—' })];
  return h('section.card', { 'aria-labelledby': 'facts-h' }, h('h2#facts-h', { text: t('details') }),
    h('dl.facts', {},
      row('item', `${app.itemCode} ${app.itemName}`),
      row('applicantName', app.applicant.name),
      row('uscc', app.applicant.uscc),
      row('contactName', `${app.applicant.contact?.name ?? ''} ${app.applicant.contact?.phone ?? ''} ${app.applicant.contact?.email ?? ''} ${app.applicant.contact?.mobile ?? ''}`),
      row('routedTo', `${app.routing.jurisdictionName}（${app.routing.jurisdiction}）· ${app.routing.department}`),
      row('channel', t(`channel.${app.channel}`)),
      row('submittedOn', shanghaiDateTime(app.createdAt)),
      row('certificateNo', app.certificateNo)));
}

function materials(app) {
  const outstanding = app.details?.deficiency?.outstanding ?? [];
  return h('section.card', { 'aria-labelledby': 'materials-h' }, h('h2#materials-h', { text: t('materials') }),
    h('table.grid', {},
      h('thead', {}, h('tr', {}, ['code', 'materialName', 'category', 'waived', 'provided'].map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', {}, app.materials.map((m) => h('tr', { class: outstanding.includes(m.code) ? 'row-missing' : null },
        h('td.code', { text: m.code }),
        h('td', { text: pick({ zh: m.name, en: m.nameEn }) }),
        h('td', {}, h('span', { class: `badge ${m.core ? 'core' : 'secondary'}`, text: t(m.core ? 'core' : 'secondary') })),
        h('td', { text: m.waivable ? t(`waiver.${m.waivable}`) : '—' }),
        h('td', {}, m.provided ? h('span.yes', { text: `✓ ${t('yes')}` }) : h('span.no', { text: outstanding.includes(m.code) ? `✗ ${t('deficient')}` : `✗ ${t('no')}` })))))));
}

/** What events recorded for people to read: notices, promises, pledges, decisions. */
function recorded(app) {
  const d = app.details ?? {};
  const name = (code) => {
    const m = app.materials.find((x) => x.code === code);
    return m ? `${code} ${pick({ zh: m.name, en: m.nameEn })}` : code;
  };
  const parts = [];
  if (d.correction) parts.push([t('correctionNotice'), h('ol', {}, d.correction.items.map((i) => h('li', { text: [i.material ? name(i.material) : null, i.description].filter(Boolean).join('：') })))]);
  if (d.deficiency) parts.push([t('deficiency'), h('p', { text: t('deficiencySummary', { missing: d.deficiency.missing.map(name).join('、'), outstanding: d.deficiency.outstanding.map(name).join('、') || t('none'), who: d.deficiency.promise.signedBy }) })]);
  if (d.pledge) parts.push([t('pledge'), h('p', { text: t('pledgeSummary', { version: d.pledge.textVersion, who: d.pledge.signedBy, on: shanghaiDate(d.pledge.signedAt) }) })]);
  if (d.verification) parts.push([t('verification'), h('p', { text: `${t(`verification.${d.verification.outcome}`)} ${d.verification.on} ${d.verification.note ?? d.verification.findings ?? ''}` })]);
  if (d.refusalReason) parts.push([t('refusalReason'), h('p', { text: d.refusalReason })]);
  if (d.decision) parts.push([t('decision'), h('p', { text: `${t(`decision.${d.decision.outcome}`)} ${d.decision.on} ${d.decision.note}` })]);
  if (d.suspension) parts.push([t('suspension'), h('p', { text: `${d.suspension.since} ${d.suspension.reason}（${t('workingDays', { n: d.suspension.expectedWorkingDays })}）` })]);
  if (d.extension) parts.push([t('extension'), h('p', { text: `${d.extension.on} +${t('workingDays', { n: d.extension.workingDays })} ${d.extension.reason}` })]);
  if (d.withdrawal) parts.push([t('withdrawal'), h('p', { text: `${d.withdrawal.on} ${d.withdrawal.reason}` })]);
  if (!parts.length) return null;
  return h('section.card', {}, h('h2', { text: t('records') }), parts.map(([title, body]) => h('div.record', {}, h('h3', { text: title }), body)));
}

/** 容缺预审: the findings of the pre-review the application was made from, as they stood, for its reviewers. */
function preReviewCard(p) {
  return h('section.card', { 'aria-labelledby': 'pre-review-h' },
    h('h2#pre-review-h', {}, `${t('fromPreReview')} `, h('a', { href: `#/pre-reviews/${encodeURIComponent(p.id)}`, text: p.preReviewNo })),
    h('p', {}, h('strong', { dataset: { verdict: p.verdict }, text: pick(p.verdictLabel) }), h('span.muted', { text: ` · ${p.answeredBy} ${p.answeredOn}` })),
    p.note ? h('p', { text: p.note }) : null,
    h('table.grid', {},
      h('thead', {}, h('tr', {}, ['code', 'materialName', 'finding'].map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', {}, p.findings.map((f) => h('tr', { dataset: { material: f.material } },
        h('td.code', { text: f.material }),
        h('td', { text: pick({ zh: f.name, en: f.nameEn }) }),
        h('td', { class: f.finding === 'sufficient' ? 'yes' : 'no', text: `${pick(f.label)}${f.note ? `：${f.note}` : ''}` }))))));
}

function branches(app) {
  return h('section.card', { 'aria-labelledby': 'branches-h' }, h('h2#branches-h', { text: t('jointReview') }),
    h('div.branches', {}, ['city', 'province'].map((level) => {
      const b = app.branches[level];
      return h('div.branch', { dataset: { level } },
        h('h3', { text: t(`level.${level}`) }),
        h('p', {}, h('strong', { text: `${t('branchState')}：` }), t(`branchState.${b.state ?? 'none'}`)),
        h('p', {}, h('strong', { text: `${t('opinion')}：` }), b.opinion ? `${t(`opinion.${b.opinion.opinion}`)} · ${b.opinion.note} · ${b.opinion.by} ${b.opinion.on}` : t('none')),
        h('p', {}, h('strong', { text: `${t('clock')}：` }), lightBadge(b.clock), b.clock?.dueDate ? [` ${t('dueDate')} `, dueDateText(b.clock.dueDate, b.clock.provisional), ` · ${remainingText(b.clock)}`] : ''));
    })));
}

function clockCard(app) {
  const c = app.clock;
  const row = (key, value) => [h('dt', { text: t(key) }), h('dd', {}, value ?? '—')];
  return h('section.card', { 'aria-labelledby': 'clock-h' }, h('h2#clock-h', { text: t('clock') }),
    c && !c.unavailable
      ? h('dl.facts.compact', {},
        row('clockLight', lightBadge(c)),
        row('dueDate', h('strong', {}, dueDateText(c.dueDate, c.provisional))),
        row('remaining', remainingText(c)),
        row('limit', t('workingDays', { n: c.limitWorkingDays })),
        row('startedOn', c.startedOn))
      : c?.unavailable ? h('p.notice', { text: c.unavailable }) : h('p.muted', { text: t('noClock') }),
    c?.provisional ? h('p.notice', { text: t('provisionalNote', { year: c.dueDate.slice(0, 4) }) }) : null,
    app.deadlines?.length ? h('div', {}, h('h3', { text: t('deadlines') }), h('ul.plain', {}, app.deadlines.map((d) => h('li', { class: d.overdue ? 'bad' : null }, `${deadlineLabel(d.name)}：`, dueDateText(d.dueDate, d.provisional), d.overdue ? ` · ${t('overdue')}` : null)))) : null);
}

function timeline(app) {
  return h('section.card', { 'aria-labelledby': 'timeline-h' }, h('h2#timeline-h', { text: t('timeline') }),
    h('ol.timeline', {}, app.timeline.map((e) => h('li', {},
      h('time', { datetime: e.at, text: shanghaiDateTime(e.at) }),
      h('strong', { text: pick(e.label) }),
      h('span.muted', { text: ` · ${e.actor.name}${e.actor.role ? `（${t(`role.${e.actor.role}`)}）` : ''}` }),
      e.note ? h('div.note', { text: e.note }) : null))));
}

/** 承办 → 审核 → 签发: each step with its share, its own light and who acted; the assignment and what the steps said. */
function chainCard(app) {
  const c = app.chain;
  const said = [
    c.assignment ? [t('chain.assignment'), `${c.assignment.handlerName}（${c.assignment.handler}）· ${c.assignment.by} ${c.assignment.on}${c.assignment.reason ? ` · ${c.assignment.reason}` : ''}`] : null,
    c.proposal ? [t('chain.proposal'), `${t(`chain.decision.${c.proposal.decision}`)} · ${c.proposal.opinion} · ${c.proposal.by} ${c.proposal.on}`] : null,
    c.check ? [t('chain.check'), `${t(c.check.agree ? 'chain.agree' : 'chain.disagree')} · ${c.check.note} · ${c.check.by} ${c.check.on}`] : null,
    c.returned ? [t('chain.returned'), `${c.returned.reason} · ${c.returned.by} ${c.returned.on}`] : null,
  ].filter(Boolean);
  return h('section.card', { 'aria-labelledby': 'chain-h' }, h('h2#chain-h', { text: t('chain.title', { n: c.reviewSteps }) }),
    h('ol.chain-steps', {}, c.steps.map((s) => h('li', { class: s.step === c.step ? 'current' : null, dataset: { step: s.step } },
      h('strong', { text: pick(s.label) }),
      ` · ${s.share ?? '—'}% `,
      s.clock ? [lightBadge(s.clock), ` ${t('dueDate')} ${s.clock.dueDate} · ${remainingText(s.clock)}`] : h('span.muted', { text: t('chain.notStarted') }),
      s.by.length ? h('span.muted', { text: ` · ${s.by.join('、')}` }) : null))),
    said.length ? h('dl.facts.compact', {}, said.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])) : null);
}

/** 内部意见: notes only staff of the jurisdiction read; read and added on their own, beside the application. */
function notesCard(app) {
  const list = h('ol.notes', {}, h('li.muted', { text: '…' }));
  const show = (notes) => replace(list, notes.length ? notes.map((n) => h('li', {}, h('time', { datetime: n.at, text: shanghaiDateTime(n.at) }), h('strong', { text: ` ${n.by.name}` }), h('div.note', { text: n.text }))) : h('li.muted', { text: t('notes.none') }));
  const path = `/api/v1/applications/${encodeURIComponent(app.id)}/notes`;
  staffApi('GET', path).then(show).catch(() => show([]));
  const text = h('textarea#note-text', { rows: 2, maxlength: 2000, required: true });
  const form = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    if (!text.value.trim()) return;
    await staffApi('POST', path, { text: text.value.trim() });
    text.value = '';
    show(await staffApi('GET', path));
  } }, h('div.field', {}, h('label', { for: 'note-text', text: t('notes.add') }), text), h('button', { type: 'submit', text: t('notes.save') }));
  return h('section.card', { 'aria-labelledby': 'notes-h' }, h('h2#notes-h', { text: t('notes.title') }), h('p.muted', { text: t('notes.hint') }), list, form);
}
