import { h, replace } from '/assets/dom.js';
import { preview, sizeText } from '/assets/files.js';
import { shanghaiDateTime } from '/assets/format.js';
import { pick, t } from '/assets/i18n.js';
import { schemaForm } from '../actions.js';
import { dueDateText, lightBadge, remainingText } from '../clock.js';
import { currentSession, staffApi } from '../session.js';
import { showRegistered } from './intake.js';

/** One pre-review: the project, the applicant, the materials and their files, the findings so far, and the reader's next step. */
export async function preReviewPage(main, { arg, session, navigate }) {
  const pre = await staffApi('GET', `/api/v1/pre-reviews/${encodeURIComponent(arg)}`);
  draw(main, pre, { session, navigate });
}

function draw(main, pre, ctx, done) {
  const viewer = h('div.file-viewer', { 'aria-live': 'polite' });
  replace(main,
    h('p', {}, h('a', { href: '#/pre-reviews', text: `← ${t('navPreReviews')}` })),
    h('h1', {}, `${pre.preReviewNo} `, h('span.status-tag', { dataset: { status: pre.status }, text: pick(pre.statusLabel) })),
    done ? h('p.success', { role: 'status', text: t(done) }) : null,
    h('div.columns', {},
      h('div.col-main', {},
        facts(pre),
        materials(pre, viewer),
        viewer,
        findingsCard(pre),
        pre.answerForm ? answerCard(main, pre, ctx) : null,
        timeline(pre)),
      h('div.col-side', {},
        targetCard(pre),
        nextStep(pre, ctx))));
}

function facts(pre) {
  const row = (key, value) => [h('dt', { text: t(key) }), h('dd', { text: value || '—' })];
  const c = pre.applicant.contact ?? {};
  return h('section.card', { 'aria-labelledby': 'facts-h' }, h('h2#facts-h', { text: t('details') }),
    h('dl.facts', {},
      row('item', `${pre.itemCode} ${pre.itemName}`),
      row('projectName', pre.project.name),
      row('projectLocation', pre.project.location),
      row('projectDescription', pre.project.description),
      row('applicantName', pre.applicant.name),
      row('uscc', pre.applicant.uscc),
      row('contactName', [c.name, c.phone, c.email, c.mobile].filter(Boolean).join(' ')),
      row('routedTo', `${pre.routing.jurisdictionName}（${pre.routing.jurisdiction}）· ${pre.routing.department}`),
      row('channel', t(`channel.${pre.channel}`)),
      row('submittedOn', shanghaiDateTime(pre.createdAt))));
}

/** The materials with what the enterprise provided, its files (shown in the page) and the latest finding. */
function materials(pre, viewer) {
  const token = currentSession()?.token;
  const base = `/api/v1/pre-reviews/${encodeURIComponent(pre.id)}/files`;
  const findingOf = (code) => pre.answer?.findings.find((f) => f.material === code);
  return h('section.card', { 'aria-labelledby': 'materials-h' }, h('h2#materials-h', { text: t('materials') }),
    h('table.grid', {},
      h('thead', {}, h('tr', {}, ['code', 'materialName', 'category', 'provided', 'files', 'finding'].map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', {}, pre.materials.map((m) => {
        const f = findingOf(m.code);
        return h('tr', { dataset: { material: m.code } },
          h('td.code', { text: m.code }),
          h('td', { text: pick({ zh: m.name, en: m.nameEn }) }),
          h('td', {}, h('span', { class: `badge ${m.core ? 'core' : 'secondary'}`, text: t(m.core ? 'core' : 'secondary') })),
          h('td', {}, m.provided ? h('span.yes', { text: `✓ ${t('yes')}` }) : h('span.no', { text: `✗ ${t('no')}` })),
          h('td', {}, m.files.length ? h('ul.plain.file-list', {}, m.files.map((file) => h('li', { dataset: { fileId: file.fileId } },
            h('span', { text: `${file.name} · ${sizeText(file.size)}` }), ' ',
            file.contentType === 'application/ofd' ? null : h('button.link-button', { type: 'button', text: t('preview'), onclick: () => preview(viewer, file, token, base) })))) : h('span.muted', { text: t('noFiles') })),
          h('td', {}, f ? h('span', { class: f.finding === 'sufficient' ? 'yes' : 'no', dataset: { finding: f.finding }, text: `${pick(f.label)}${f.note ? `：${f.note}` : ''}` }) : h('span.muted', { text: '—' })));
      }))));
}

/** The latest findings and every earlier answer, with who gave them. */
function findingsCard(pre) {
  const one = (a) => h('div.record', {},
    h('h3', {}, h('span', { dataset: { verdict: a.verdict }, text: pick(a.verdictLabel) }), h('span.muted', { text: ` · ${a.by} ${a.on}` })),
    a.note ? h('p', { text: a.note }) : null,
    h('ul.plain', {}, a.findings.filter((f) => f.finding !== 'sufficient').map((f) => h('li', { text: `${f.material} ${pick({ zh: f.name, en: f.nameEn })}：${pick(f.label)}${f.note ? ` · ${f.note}` : ''}` }))));
  return h('section.card', { 'aria-labelledby': 'findings-h' }, h('h2#findings-h', { text: t('preReviewHistory') }),
    pre.history.length ? pre.history.map(one) : h('p.muted', { text: t('noPreReviewAnswer') }));
}

/** The reviewer's answer, a form built from the answer's own JSON Schema as the server serves it. */
function answerCard(main, pre, ctx) {
  const form = schemaForm(pre.answerForm);
  const message = h('p.error', { role: 'alert' });
  const submit = h('button.primary', { type: 'submit', text: t('preReviewAnswer') });
  return h('form.card', {
    'aria-label': t('preReviewAnswer'),
    onsubmit: async (e) => {
      e.preventDefault();
      message.textContent = '';
      let payload;
      try {
        payload = form.value();
      } catch (err) {
        message.textContent = err.message;
        return;
      }
      submit.disabled = true;
      try {
        const updated = await staffApi('POST', `/api/v1/pre-reviews/${encodeURIComponent(pre.id)}/answer`, { ...payload, expectedVersion: pre.version });
        draw(main, updated, ctx, 'preReviewAnswered');
      } catch (err) {
        message.textContent = err.message;
        submit.disabled = false;
      }
    },
  }, h('h2', { text: t('preReviewAnswer') }), h('p.hint', { text: t('preReviewAnswerHint') }), form.el, message, h('div.buttons', {}, submit));
}

function targetCard(pre) {
  const c = pre.target;
  const row = (key, value) => [h('dt', { text: t(key) }), h('dd', {}, value ?? '—')];
  return h('section.card', { 'aria-labelledby': 'target-h' }, h('h2#target-h', { text: t('serviceTarget') }),
    c ? h('dl.facts.compact', {},
      row('clockLight', lightBadge(c)),
      row('dueDate', h('strong', {}, dueDateText(c.dueDate, c.provisional))),
      row('remaining', remainingText(c)),
      row('limit', t('workingDays', { n: c.limitWorkingDays }))) : h('p.muted', { text: t('noClock') }));
}

/** What comes after the findings: the application made from it, or for a clerk the formal application to register. */
function nextStep(pre, { session, navigate }) {
  if (pre.application) {
    return h('section.card', {}, h('h2', { text: t('preReviewBecame') }), h('p', {}, h('a', { href: `#/applications/${encodeURIComponent(pre.application.id)}`, text: pre.application.applicationNo })));
  }
  if (session.user.role !== 'clerk' || !pre.answer) return null;
  const message = h('p.error', { role: 'alert' });
  return h('section.card', {}, h('h2', { text: t('startApplication') }), h('p.hint', { text: t('startApplicationHint') }), message,
    h('button.primary', { type: 'button', text: t('startApplication'), onclick: async (e) => {
      e.target.disabled = true;
      try {
        // The server takes the applicant, the materials and the files over from the pre-review.
        const created = await staffApi('POST', '/api/v1/applications', { itemCode: pre.itemCode, applicant: pre.applicant, materials: [], channel: 'window', fromPreReview: pre.id });
        showRegistered(created);
        navigate('#/intake');
      } catch (err) {
        message.textContent = err.message;
        e.target.disabled = false;
      }
    } }));
}

function timeline(pre) {
  return h('section.card', { 'aria-labelledby': 'timeline-h' }, h('h2#timeline-h', { text: t('timeline') }),
    h('ol.timeline', {}, pre.timeline.map((e) => h('li', {}, h('time', { datetime: e.at, text: shanghaiDateTime(e.at) }), h('strong', { text: pick(e.label) }), h('span.muted', { text: ` · ${e.by.name}` })))));
}
