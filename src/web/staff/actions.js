import { h, replace, uid } from '/assets/dom.js';
import { pick, t } from '/assets/i18n.js';
import { pledgeTexts } from './reference.js';
import { staffApi } from './session.js';

// Buttons appear in this order; any event the server allows that is not listed still gets a button at the end.
const ORDER = [
  'ACCEPT', 'ACCEPT_WITH_DEFICIENCY', 'ACCEPT_ON_COMMITMENT', 'REQUEST_CORRECTION', 'REJECT', 'SUPPLEMENT', 'SUBMIT_CORRECTION', 'SUBMIT_REWORK',
  'APPROVE', 'REVIEW_OPINION', 'DENY', 'SUSPEND', 'RESUME', 'EXTEND', 'VERIFY_PASSED', 'VERIFY_FAILED', 'WITHDRAW',
];
const STYLE = { ACCEPT: 'primary', APPROVE: 'primary', VERIFY_PASSED: 'primary', REJECT: 'danger', DENY: 'danger', VERIFY_FAILED: 'danger', WITHDRAW: 'danger' };

const materialName = (m) => `${m.code} ${pick({ zh: m.name, en: m.nameEn })}`;

/**
 * The events the signed-in person may send now (the application's `allowedEvents`), each a button that opens its form.
 * onDone(updatedApplication, eventType) runs after the server accepted the event.
 */
export function actionsPanel(app, { session, onDone }) {
  const formArea = h('div.action-form');
  const events = [...app.allowedEvents].sort((a, b) => rank(a) - rank(b));
  if (events.length === 0) return h('section.actions', { 'aria-labelledby': 'actions-h' }, h('h2#actions-h', { text: t('actions') }), h('p.muted', { text: t('noActions') }));
  const buttons = events.map((type) => h(`button.${STYLE[type] ?? 'secondary'}`, {
    type: 'button',
    'aria-expanded': 'false',
    dataset: { event: type },
    text: t(`action.${type}`),
    onclick: (e) => {
      for (const b of buttons) b.setAttribute('aria-expanded', String(b === e.currentTarget));
      openForm(type);
    },
  }));

  async function openForm(type) {
    const form = await eventForm(type, app, session);
    const message = h('p.error', { role: 'alert' });
    const submit = h(`button.${STYLE[type] ?? 'primary'}`, { type: 'submit', text: t('confirmAction', { action: t(`action.${type}`) }) });
    const el = h('form.card', {
      'aria-label': t(`action.${type}`),
      onsubmit: async (e) => {
        e.preventDefault();
        message.textContent = '';
        let payload;
        try {
          payload = form.payload();
        } catch (err) {
          message.textContent = err.message;
          return;
        }
        submit.disabled = true;
        try {
          const updated = await staffApi('POST', `/api/v1/applications/${app.id}/events`, { type, expectedVersion: app.version, ...payload });
          onDone(updated, type);
        } catch (err) {
          message.textContent = err.message;
          submit.disabled = false;
        }
      },
    }, h('h3', { text: t(`action.${type}`) }), form.fields, message, h('div.buttons', {}, submit, h('button.secondary', { type: 'button', text: t('cancel'), onclick: () => replace(formArea) })));
    replace(formArea, el);
    el.querySelector('input, select, textarea, button')?.focus();
  }

  return h('section.actions', { 'aria-labelledby': 'actions-h' }, h('h2#actions-h', { text: t('actions') }), h('div.buttons', {}, buttons), formArea);
}

const rank = (type) => (ORDER.includes(type) ? ORDER.indexOf(type) : ORDER.length);

function textField(name, labelKey, { required = false, multiline = true, value = '' } = {}) {
  const id = uid(name);
  const input = multiline ? h('textarea', { id, name, rows: 3, required, maxlength: 2000 }) : h('input', { id, name, required, maxlength: 200, value });
  if (multiline) input.value = value;
  return { el: h('div.field', {}, h('label', { for: id, text: t(labelKey) + (required ? ' *' : '') }), input), value: () => input.value.trim() };
}

function checkboxGroup(legendKey, options, checked) {
  const boxes = options.map((m) => {
    const id = uid('m');
    return { code: m.code, input: h('input', { id, type: 'checkbox', value: m.code, checked: checked(m) }), label: h('label', { for: id, text: materialName(m) }) };
  });
  return {
    el: h('fieldset', {}, h('legend', { text: t(legendKey) }), boxes.map((b) => h('div.check', {}, b.input, b.label))),
    values: () => boxes.filter((b) => b.input.checked).map((b) => b.code),
  };
}

const optional = (value, key) => (value ? { [key]: value } : {});
const need = (value, key) => {
  if (!value) throw new Error(t('fieldRequired', { field: t(key) }));
  return value;
};

/** The fields of one event's form and how to read its payload. */
async function eventForm(type, app, session) {
  switch (type) {
    case 'ACCEPT_WITH_DEFICIENCY': {
      const secondaryMissing = app.materials.filter((m) => !m.core && !m.provided);
      const coreMissing = app.materials.filter((m) => m.core && !m.provided);
      const group = checkboxGroup('deficientMaterials', secondaryMissing, () => true);
      const signer = textField('signedBy', 'promiseSignedBy', { required: true, multiline: false, value: app.applicant.contact?.name ?? '' });
      return {
        fields: [
          h('p.hint', { text: t('deficiencyHint') }),
          coreMissing.length ? h('p.notice', { role: 'alert', text: t('coreMissing', { list: coreMissing.map(materialName).join('、') }) }) : null,
          secondaryMissing.length ? group.el : h('p.muted', { text: t('noSecondaryMissing') }),
          signer.el,
        ],
        payload: () => {
          const missing = group.values();
          if (!missing.length) throw new Error(t('pickAtLeastOne'));
          return { missing, promise: { signedBy: need(signer.value(), 'promiseSignedBy'), signedAt: new Date().toISOString() } };
        },
      };
    }
    case 'ACCEPT_ON_COMMITMENT': {
      const pledges = await pledgeTexts();
      const id = uid('pledge');
      const text = h('blockquote.pledge');
      const select = h('select', { id, name: 'textVersion', onchange: () => (text.textContent = pledges.find((p) => p.version === select.value)?.text ?? '') },
        pledges.map((p) => h('option', { value: p.version, text: p.version })));
      text.textContent = pledges[0]?.text ?? '';
      const signer = textField('signedBy', 'pledgeSignedBy', { required: true, multiline: false, value: app.applicant.contact?.name ?? '' });
      return {
        fields: [h('p.hint', { text: t('commitmentHint') }), h('div.field', {}, h('label', { for: id, text: t('pledgeVersion') }), select), text, signer.el],
        payload: () => ({ pledge: { textVersion: select.value, signedBy: need(signer.value(), 'pledgeSignedBy'), signedAt: new Date().toISOString() } }),
      };
    }
    case 'REQUEST_CORRECTION':
      return correctionForm(app);
    case 'SUPPLEMENT': {
      const outstanding = app.details?.deficiency?.outstanding ?? [];
      const group = checkboxGroup('suppliedMaterials', app.materials.filter((m) => outstanding.includes(m.code)), () => true);
      return {
        fields: [group.el],
        payload: () => {
          const materials = group.values();
          if (!materials.length) throw new Error(t('pickAtLeastOne'));
          return { materials };
        },
      };
    }
    case 'REJECT':
    case 'DENY':
    case 'WITHDRAW': {
      const reason = textField('reason', type === 'REJECT' ? 'refusalReason' : 'reason', { required: true });
      return { fields: [type === 'REJECT' ? h('p.hint', { text: t('refusalHint') }) : null, reason.el], payload: () => ({ reason: need(reason.value(), 'reason') }) };
    }
    case 'EXTEND': {
      const reason = textField('reason', 'reason', { required: true });
      return { fields: [reason.el], payload: () => ({ reason: need(reason.value(), 'reason') }) };
    }
    case 'VERIFY_FAILED': {
      const findings = textField('findings', 'findings', { required: true });
      return { fields: [h('p.notice', { text: t('verifyFailedHint') }), findings.el], payload: () => ({ findings: need(findings.value(), 'findings') }) };
    }
    case 'VERIFY_PASSED': {
      const id = uid('method');
      const method = h('select', { id, name: 'method' }, ['written', 'online', 'site_visit', 'public_notice'].map((m) => h('option', { value: m, text: t(`method.${m}`) })));
      const note = textField('note', 'note');
      return { fields: [h('div.field', {}, h('label', { for: id, text: t('verifyMethod') }), method), note.el], payload: () => ({ method: method.value, ...optional(note.value(), 'note') }) };
    }
    case 'SUSPEND': {
      const reason = textField('reason', 'suspendReason', { required: true });
      const id = uid('days');
      const days = h('input', { id, name: 'expectedWorkingDays', type: 'number', min: 1, max: 365, value: '10', required: true });
      return {
        fields: [reason.el, h('div.field', {}, h('label', { for: id, text: t('expectedWorkingDays') }), days)],
        payload: () => ({ reason: need(reason.value(), 'suspendReason'), expectedWorkingDays: Number(days.value) }),
      };
    }
    case 'REVIEW_OPINION': {
      const level = session.user.role === 'province-reviewer' ? 'province' : 'city';
      const name = uid('opinion');
      const radios = ['approve', 'return', 'reject'].map((o, i) => {
        const id = uid('op');
        return { o, input: h('input', { id, type: 'radio', name, value: o, checked: i === 0 }), label: h('label', { for: id, text: t(`opinion.${o}`) }) };
      });
      const note = textField('note', 'opinionNote', { required: true });
      return {
        fields: [h('p.hint', { text: t('opinionFor', { level: t(`level.${level}`) }) }), h('fieldset', {}, h('legend', { text: t('opinion') }), radios.map((r) => h('div.check', {}, r.input, r.label))), note.el],
        payload: () => ({ level, opinion: radios.find((r) => r.input.checked).o, note: need(note.value(), 'opinionNote') }),
      };
    }
    case 'SUBMIT_REWORK': {
      const returned = ['city', 'province'].filter((l) => app.branches?.[l]?.state === 'returned');
      const id = uid('level');
      const select = h('select', { id, name: 'level' }, (returned.length ? returned : ['city', 'province']).map((l) => h('option', { value: l, text: t(`level.${l}`) })));
      const note = textField('note', 'note');
      return { fields: [h('div.field', {}, h('label', { for: id, text: t('branch') }), select), note.el], payload: () => ({ level: select.value, ...optional(note.value(), 'note') }) };
    }
    default: {
      // ACCEPT, APPROVE, RESUME, SUBMIT_CORRECTION: an optional note at most.
      const note = type === 'ACCEPT' ? null : textField('note', 'note');
      return { fields: [h('p.hint', { text: t(`confirm.${type}`) }), note?.el], payload: () => (note ? optional(note.value(), 'note') : {}) };
    }
  }
}

/** 一次性告知: every item to correct at once, each optionally tied to a material; missing core materials are listed first. */
function correctionForm(app) {
  const rows = h('div.rows');
  const entries = [];
  const addRow = (material = '', description = '') => {
    const selId = uid('mat');
    const descId = uid('desc');
    const select = h('select', { id: selId }, h('option', { value: '', text: t('otherItem') }), app.materials.map((m) => h('option', { value: m.code, text: materialName(m), selected: m.code === material })));
    const desc = h('input', { id: descId, required: true, maxlength: 500, value: description });
    const entry = { select, desc };
    const row = h('div.row', {},
      h('div.field', {}, h('label', { for: selId, text: t('material') }), select),
      h('div.field.grow', {}, h('label', { for: descId, text: t('whatToCorrect') + ' *' }), desc),
      h('button.secondary.small', { type: 'button', text: t('remove'), onclick: () => { entries.splice(entries.indexOf(entry), 1); row.remove(); } }));
    entries.push(entry);
    rows.append(row);
  };
  const missingCore = app.materials.filter((m) => m.core && !m.provided);
  if (missingCore.length) for (const m of missingCore) addRow(m.code, t('pleaseProvide', { name: pick({ zh: m.name, en: m.nameEn }) }));
  else addRow();
  return {
    fields: [h('p.hint', { text: t('correctionHint') }), rows, h('button.secondary.small', { type: 'button', text: t('addItem'), onclick: () => addRow() })],
    payload: () => {
      const items = entries.map((e) => ({ ...optional(e.select.value, 'material'), description: e.desc.value.trim() }));
      if (!items.length || items.some((i) => !i.description)) throw new Error(t('fieldRequired', { field: t('whatToCorrect') }));
      return { items };
    },
  };
}
