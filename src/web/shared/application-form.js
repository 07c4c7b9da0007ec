import { h, uid } from './dom.js';
import { pick, t } from './i18n.js';
import { usccProblem } from '/assets/uscc.js';

/**
 * The materials checklist of an item: core or secondary, original or copy, and which are waived and why
 * (数据共享, 告知承诺, 部门协查). `provided` holds the ticks by code and is updated as the reader ticks; `extra`
 * ({title, cell(material)}) adds a column.
 */
export function materialsChecklist(item, provided, { defaultWaived = false, extra = null } = {}) {
  const rows = item.materials.map((m) => {
    const id = uid('mat');
    if (!(m.code in provided)) provided[m.code] = defaultWaived && Boolean(m.waivable);
    const box = h('input', { id, type: 'checkbox', checked: provided[m.code], dataset: { material: m.code }, onchange: (e) => (provided[m.code] = e.target.checked) });
    return h('tr', { class: m.core ? 'core' : 'secondary' },
      h('td', {}, box),
      h('td.code', { text: m.code }),
      h('td', {}, h('label', { for: id, text: pick({ zh: m.name, en: m.nameEn }) })),
      h('td', {}, h('span', { class: `badge ${m.core ? 'core' : 'secondary'}`, text: t(m.core ? 'core' : 'secondary') })),
      h('td', { text: t(m.original ? 'original' : 'copy') }),
      h('td', {}, m.waivable ? h('span.waiver', { title: t(`waiverWhy.${m.waivable}`) }, h('strong', { text: t(`waiver.${m.waivable}`) }), h('br'), h('small', { text: t(`waiverWhy.${m.waivable}`) })) : h('span.muted', { text: '—' })),
      // A column a page adds (the files a pre-review sends with each material).
      extra ? h('td', {}, extra.cell(m)) : null);
  });
  const table = h('table.grid.checklist', {},
    h('caption', { text: t('checklistCaption') }),
    h('thead', {}, h('tr', {}, ['provided', 'code', 'materialName', 'category', 'form', 'waived', ...(extra ? [extra.title] : [])].map((k) => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', {}, rows));
  return { el: table, value: () => item.materials.map((m) => ({ code: m.code, provided: Boolean(provided[m.code]) })) };
}

/**
 * Applicant fields with the USCC checked as it is typed (GB 32100-2015); `applicant` is updated in place.
 * problem() returns the first thing to fix, or null.
 */
export function applicantFields(applicant, places, item) {
  const field = (key, labelKey, attrs = {}, target = applicant) => {
    const id = uid(key);
    const input = h('input', { id, name: key, required: true, value: target[key] ?? '', oninput: (e) => (target[key] = e.target.value), ...attrs });
    return { input, el: h('div.field', {}, h('label', { for: id, text: `${t(labelKey)} *` }), input) };
  };
  const name = field('name', 'applicantName', { maxlength: 200, autocomplete: 'organization' });

  const usccId = uid('uscc');
  const usccHelp = h('p.field-help', { id: `${usccId}-help`, 'aria-live': 'polite' });
  const uscc = h('input', {
    id: usccId,
    name: 'uscc',
    required: true,
    maxlength: 18,
    spellcheck: false,
    autocomplete: 'off',
    class: 'mono',
    'aria-describedby': `${usccId}-help`,
    value: applicant.uscc,
    oninput: (e) => {
      applicant.uscc = e.target.value.trim();
      showUscc();
    },
  });
  const usccMessage = () => {
    const problem = usccProblem(applicant.uscc);
    return problem ? pick(problem) : null;
  };
  const showUscc = () => {
    if (!applicant.uscc) {
      usccHelp.textContent = t('usccHelp');
      usccHelp.className = 'field-help';
      uscc.removeAttribute('aria-invalid');
      return;
    }
    const message = usccMessage();
    usccHelp.textContent = message ?? t('usccValid');
    usccHelp.className = message ? 'field-help bad' : 'field-help good';
    uscc.setAttribute('aria-invalid', String(Boolean(message)));
  };
  showUscc();

  const divId = uid('division');
  const division = h('select', { id: divId, name: 'divisionCode', required: true, onchange: (e) => (applicant.divisionCode = e.target.value) },
    h('option', { value: '', text: t('chooseDivision') }),
    places.map((p) => h('option', { value: p.code, text: `${p.code} ${pick({ zh: p.name, en: p.nameEn })}`, selected: applicant.divisionCode === p.code })));

  const contactName = field('name', 'contactName', { maxlength: 100, autocomplete: 'name' }, applicant.contact);
  const phone = field('phone', 'contactPhone', { type: 'tel', pattern: '[0-9+\\- ]{5,20}', autocomplete: 'tel' }, applicant.contact);
  const email = field('email', 'contactEmail', { type: 'email', autocomplete: 'email' }, applicant.contact);
  // Optional: with it, notices also go by SMS (the server checks it too: 11 digits, 1[3-9]…).
  const mobileId = uid('mobile');
  const mobile = h('div.field', {},
    h('label', { for: mobileId, text: t('contactMobile') }),
    h('input', { id: mobileId, name: 'mobile', type: 'tel', inputmode: 'numeric', pattern: '1[3-9][0-9]{9}', maxlength: 11, autocomplete: 'tel', class: 'mono', value: applicant.contact.mobile ?? '', oninput: (e) => (applicant.contact.mobile = e.target.value), 'aria-describedby': `${mobileId}-help` }),
    h('p.field-help', { id: `${mobileId}-help`, text: t('contactMobileHelp') }));

  const el = h('div.form-grid', {},
    name.el,
    h('div.field', {}, h('label', { for: usccId, text: `${t('uscc')} *` }), uscc, usccHelp),
    h('div.field', {}, h('label', { for: divId, text: `${t('division')} *` }), division, h('p.field-help', { text: item ? t('routingHint', { level: t(`level.${item.level}`) }) : '' })),
    contactName.el, phone.el, email.el, mobile);

  return {
    el,
    value: () => ({
      name: applicant.name.trim(),
      uscc: applicant.uscc.trim(),
      divisionCode: applicant.divisionCode,
      contact: {
        name: applicant.contact.name.trim(), phone: applicant.contact.phone.trim(), email: applicant.contact.email.trim(),
        ...(applicant.contact.mobile?.trim() ? { mobile: applicant.contact.mobile.trim() } : {}),
      },
    }),
    problem: () => {
      const message = usccMessage();
      if (message) {
        uscc.focus();
        return `${t('uscc')}：${message}`;
      }
      if (!applicant.divisionCode) {
        division.focus();
        return t('fieldRequired', { field: t('division') });
      }
      return null;
    },
  };
}
