import * as echarts from '/assets/vendor/echarts/echarts.esm.min.mjs';
import { h, replace, uid } from '/assets/dom.js';
import { shanghaiDate } from '/assets/format.js';
import { pick, t } from '/assets/i18n.js';
import { catalogItems, jurisdictions } from '../reference.js';
import { currentSession, staffApi } from '../session.js';

// The figures shown as tiles; those counted per application open the applications behind them.
const COUNTS = ['received', 'accepted', 'notAccepted', 'approved', 'denied', 'completed', 'withdrawn', 'terminated', 'revoked', 'decided', 'timed', 'onTime', 'legalOnTime', 'immediate', 'deficient', 'commitment', 'joint', 'waivedDataSharing', 'waivedPledge', 'waivedDepartmentCheck'];
const MEASURES = ['onTimeRate', 'legalOnTimeRate', 'workingDaysMean', 'workingDaysP90', 'compression', 'itemsWithWaivers', 'remindersSent', 'smsRemindersSent'];
const NOW = ['overdueNow', 'yellowNow'];
const RATES = new Set(['onTimeRate', 'legalOnTimeRate', 'compression', 'activeRatingRate', 'satisfactionRate', 'rectificationsOnTimeRate', 'followUpRate']);

// The form keeps its values while the reader opens an application and comes back.
const today = shanghaiDate(new Date());
const state = { from: `${today.slice(0, 8)}01`, to: today, jurisdiction: '', itemCode: '' };

// 好差评 figures of the totals' `evaluations`, in the order shown.
const EVALUATION_FIGURES = ['invited', 'ratedCount', 'activeRatingRate', 'satisfactionRate', 'rectificationsOpened', 'rectificationsClosed', 'rectificationsOnTimeRate', 'followUpRate'];
const shown = (key, value) => (value === null || value === undefined ? '—' : RATES.has(key) ? `${(value * 100).toFixed(1)}%` : String(value));

/** The jurisdictions the reader may read: their own and every one beneath it. */
function readable(all, own) {
  const covers = (code) => {
    for (let j = all.find((x) => x.code === code); j; j = all.find((x) => x.code === j.parent)) if (j.code === own) return true;
    return false;
  };
  return all.filter((j) => covers(j.code));
}

/** 监管统计: figures of a range for the reader's jurisdiction and those beneath it, with charts, exports and the applications behind each count. */
export async function statisticsPage(main) {
  const session = currentSession();
  const [items, places] = await Promise.all([catalogItems(), jurisdictions()]);
  const query = () => new URLSearchParams(Object.entries(state).filter(([, v]) => v));
  const results = h('div', { 'aria-live': 'polite' });
  const drill = h('div#stat-drill');
  const charts = [];

  const field = (name, label, control) => h('div.field.inline', {}, h('label', { for: control.id, text: label }), control);
  const dateInput = (name) => h('input', { id: uid(name), name, type: 'date', value: state[name], required: true, oninput: (e) => (state[name] = e.target.value) });
  const select = (name, options) => h('select', { id: uid(name), name, onchange: (e) => (state[name] = e.target.value) },
    h('option', { value: '', text: t('all') }), options.map(([value, text]) => h('option', { value, text, selected: state[name] === value })));

  const download = async (format) => {
    const res = await fetch(`/api/v1/statistics?${query()}&format=${format}`, { headers: { Authorization: `Bearer ${session.token}` } });
    if (!res.ok) return void results.prepend(h('p.error', { role: 'alert', text: (await res.json()).error?.message ?? res.statusText }));
    const link = h('a', { href: URL.createObjectURL(await res.blob()), download: `statistics-${state.from}-${state.to}.${format}` });
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const openFigure = async (metric, extra = {}) => {
    replace(drill, h('p.muted', { text: t('loading') }));
    try {
      const params = query();
      for (const [k, v] of Object.entries(extra)) params.set(k, v);
      params.set('metric', metric);
      params.set('limit', '100');
      const page = await staffApi('GET', `/api/v1/statistics/applications?${params}`);
      replace(drill, h('h2', { text: t('stat.drill', { figure: t(`stat.${metric}`), n: page.total }) }),
        page.items.length
          ? h('table.grid', {},
            h('thead', {}, h('tr', {}, ['applicationNo', 'item', 'applicant', 'status'].map((k) => h('th', { scope: 'col', text: t(k) })))),
            h('tbody', {}, page.items.map((a) => h('tr', { dataset: { applicationId: a.id } },
              // The application page is casework's; an administrator reads the number only.
              h('td', {}, session.user.role === 'admin' ? h('span.mono', { text: a.applicationNo }) : h('a', { href: `#/applications/${encodeURIComponent(a.id)}`, text: a.applicationNo, class: 'mono' })),
              h('td', { text: a.itemName }), h('td', { text: a.applicantName }), h('td', { text: pick(a.statusLabel) || a.status })))))
          : h('p.muted', { text: t('stat.none') }));
      drill.scrollIntoView({ block: 'nearest' });
    } catch (err) {
      replace(drill, h('p.error', { role: 'alert', text: err.message }));
    }
  };

  const tile = (key, value, onOpen) => h('div.stat-tile', { dataset: { figure: key } },
    onOpen && value ? h('button.link-button.stat-value', { type: 'button', text: shown(key, value), onclick: onOpen }) : h('span.stat-value', { text: shown(key, value) }),
    h('span.stat-label', { text: t(`stat.${key}`) }));

  const chart = (title, option) => {
    const box = h('div.stat-chart', { role: 'img', 'aria-label': title });
    charts.push({ box, option });
    return h('section.card', {}, h('h2', { text: title }), box);
  };

  const show = async () => {
    replace(results, h('p.muted', { text: t('loading') }));
    replace(drill);
    try {
      const view = await staffApi('GET', `/api/v1/statistics?${query()}`);
      charts.splice(0).forEach((c) => echarts.getInstanceByDom(c.box)?.dispose());
      const itemRows = view.byItem;
      const e = view.totals.evaluations;
      replace(results,
        h('section.card', {}, h('h2', { text: t('stat.totals', { from: view.from, to: view.to }) }), h('p.muted', { text: t('stat.drillHint') }),
          h('div#stat-counts.stat-tiles', {}, COUNTS.map((k) => tile(k, view.totals[k], () => openFigure(k)))),
          h('div#stat-measures.stat-tiles', {}, MEASURES.map((k) => tile(k, view.totals[k])))),
        h('section.card', {}, h('h2', { text: t('stat.now', { asOf: view.asOf }) }), h('div.stat-tiles', {}, NOW.map((k) => tile(k, view.totals[k])))),
        h('section.card', {}, h('h2', { text: t('stat.evaluations') }), h('div.stat-tiles', {},
          EVALUATION_FIGURES.map((k) => tile(k, e[k]))),
          h('div#stat-levels.stat-tiles', {}, [5, 4, 3, 2, 1].map((level) => h('div.stat-tile', { dataset: { figure: `level${level}` } }, h('span.stat-value', { text: String(e.byLevel[level]) }), h('span.stat-label', { text: pick(view.levels[level]) }))))),
        chart(t('stat.byDay'), {
          tooltip: { trigger: 'axis' }, legend: {}, xAxis: { type: 'category', data: view.byDay.map((d) => d.day) }, yAxis: { type: 'value', minInterval: 1 },
          series: ['received', 'decided'].map((k) => ({ name: t(`stat.${k}`), type: 'bar', data: view.byDay.map((d) => d[k]) })),
        }),
        chart(t('stat.byItem'), {
          tooltip: { trigger: 'axis' }, legend: {}, grid: { left: 220 }, yAxis: { type: 'category', data: itemRows.map((r) => r.itemName) }, xAxis: { type: 'value', minInterval: 1 },
          series: ['received', 'approved', 'denied'].map((k) => ({ name: t(`stat.${k}`), type: 'bar', data: itemRows.map((r) => r[k]) })),
        }),
        h('section.card', {}, h('h2', { text: t('stat.byJurisdiction') }), h('table#stat-by-jurisdiction.grid', {},
          h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('stat.jurisdiction') }), ['received', 'accepted', 'approved', 'denied', 'onTimeRate', 'overdueNow', 'yellowNow'].map((k) => h('th', { scope: 'col', text: t(`stat.${k}`) })))),
          h('tbody', {}, view.byJurisdiction.map((r) => h('tr', { dataset: { jurisdiction: r.jurisdiction } }, h('td', { text: `${r.name} ${r.jurisdiction}` }),
            ['received', 'accepted', 'approved', 'denied', 'onTimeRate', 'overdueNow', 'yellowNow'].map((k) => h('td', { text: shown(k, r[k]) }))))))));
      // Drawn once their boxes are in the page, so echarts reads their size.
      for (const c of charts) echarts.init(c.box, null, { renderer: 'svg' }).setOption({ animation: false, ...c.option });
    } catch (err) {
      replace(results, h('p.error', { role: 'alert', text: err.message }));
    }
  };

  replace(main,
    h('h1', { text: t('stat.title') }),
    h('form#stat-form.card.filters', { onsubmit: (e) => { e.preventDefault(); show(); } },
      field('from', t('stat.from'), dateInput('from')),
      field('to', t('stat.to'), dateInput('to')),
      field('jurisdiction', t('stat.jurisdiction'), select('jurisdiction', readable(places, session.user.jurisdiction).map((j) => [j.code, `${j.name} ${j.code}`]))),
      field('itemCode', t('stat.item'), select('itemCode', items.map((i) => [i.code, `${i.code} ${i.name}`]))),
      h('button.primary', { type: 'submit', text: t('stat.show') }),
      h('button.secondary', { type: 'button', text: t('stat.csv'), onclick: () => download('csv') }),
      h('button.secondary', { type: 'button', text: t('stat.xlsx'), onclick: () => download('xlsx') })),
    results,
    drill);
  await show();
}
