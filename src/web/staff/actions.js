import { h, replace, uid } from '/assets/dom.js';
import { lang, pick, t } from '/assets/i18n.js';
import { staffApi } from './session.js';

/**
 * The events the signed-in person may send now, as the server lists them in the application's `actions`
 * (in the order, words and styles of the event definitions), each a button that opens a form built from its JSON Schema.
 * onDone(updatedApplication, action) runs after the server accepted the event.
 */
export function actionsPanel(app, { onDone }) {
  const formArea = h('div.action-form');
  const actions = app.actions ?? [];
  if (actions.length === 0) return h('section.actions', { 'aria-labelledby': 'actions-h' }, h('h2#actions-h', { text: t('actions') }), h('p.muted', { text: t('noActions') }));
  const buttons = actions.map((action) => h(`button.${action.style}`, {
    type: 'button',
    'aria-expanded': 'false',
    dataset: { event: action.type },
    text: pick(action.label),
    onclick: (e) => {
      for (const b of buttons) b.setAttribute('aria-expanded', String(b === e.currentTarget));
      openForm(action);
    },
  }));

  function openForm(action) {
    const form = objectFields(action.schema, '');
    const message = h('p.error', { role: 'alert' });
    const submit = h(`button.${action.style === 'secondary' ? 'primary' : action.style}`, { type: 'submit', text: t('confirmAction', { action: pick(action.label) }) });
    const el = h('form.card', {
      'aria-label': pick(action.label),
      onsubmit: async (e) => {
        e.preventDefault();
        message.textContent = '';
        let payload;
        try {
          payload = form.value() ?? {};
        } catch (err) {
          message.textContent = err.message;
          return;
        }
        submit.disabled = true;
        try {
          const updated = await staffApi('POST', `/api/v1/applications/${app.id}/events`, { type: action.type, expectedVersion: app.version, ...payload });
          onDone(updated, action);
        } catch (err) {
          message.textContent = err.message;
          submit.disabled = false;
        }
      },
    },
    h('h3', { text: pick(action.label) }),
    action.hint ? h('p.hint', { text: pick(action.hint) }) : null,
    action.warning ? h('p.notice', { role: 'alert', text: pick(action.warning) }) : null,
    form.el, message,
    h('div.buttons', {}, submit, h('button.secondary', { type: 'button', text: t('cancel'), onclick: () => replace(formArea) })));
    replace(formArea, el);
    el.querySelector('input:not([type=hidden]), select, textarea, button')?.focus();
  }

  return h('section.actions', { 'aria-labelledby': 'actions-h' }, h('h2#actions-h', { text: t('actions') }), h('div.buttons', {}, buttons), formArea);
}

/** A form for any payload's JSON Schema, as the event forms are built: `el` to show and `value()` that reads it (throwing a message when incomplete). */
export const schemaForm = (schema) => objectFields(schema, '');

// A {zh, en} pair is a value given in both languages (a suggested text); anything else is the value itself.
const localized = (value) => (value && typeof value === 'object' && !Array.isArray(value) && 'zh' in value && 'en' in value ? value[lang()] : value);
const labelOf = (schema, name) => pick(schema['x-label']) || name;
const optionLabel = (schema, value) => pick(schema['x-enumLabels']?.[value]) || value;

/** A field for one JSON Schema node: `el` to show (or null) and `value()` that reads it, throwing a message when it is incomplete. */
function fieldFor(schema, name, required) {
  if (schema.type === 'object') return objectFields(schema, name);
  if (schema.type === 'array') return schema.items?.type === 'object' ? rowsField(schema, name, required) : checkboxField(schema, name, required);
  if (schema['x-auto'] === 'now') return { el: null, value: () => new Date().toISOString() };
  // A field a row is about (the material a finding is for): shown, not chosen.
  if (schema['x-fixed']) return { el: h('p.fixed', { dataset: { value: schema['x-default'] }, text: optionLabel(schema, schema['x-default']) }), value: () => schema['x-default'] };
  if (schema.enum) return schema['x-widget'] === 'radio' ? radioField(schema, name) : selectField(schema, name, required);
  // A yes/no answer (the chief's agreement) is a pair of radios, named by its `x-enumLabels`.
  if (schema.type === 'boolean') return radioField({ ...schema, enum: [true, false] }, name);
  return inputField(schema, name, required);
}

function objectFields(schema, name) {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([key, prop]) => [key, fieldFor(prop, key, required.has(key))]);
  return {
    el: fields.length ? h('div.fields', {}, fields.map(([, f]) => f.el)) : null,
    value: () => {
      const entries = fields.map(([key, f]) => [key, f.value()]).filter(([, v]) => v !== undefined && v !== '');
      return entries.length || !name ? Object.fromEntries(entries) : undefined;
    },
  };
}

function inputField(schema, name, required) {
  const id = uid(name);
  const numeric = schema.type === 'integer' || schema.type === 'number';
  const start = localized(schema['x-default']) ?? '';
  const attrs = { id, name, required, maxlength: schema.maxLength, min: schema.minimum, max: schema.maximum };
  const input = numeric ? h('input', { ...attrs, type: 'number', value: String(start) })
    : (schema.maxLength ?? 0) > 500 ? h('textarea', { ...attrs, rows: 3 }) : h('input', { ...attrs, value: String(start) });
  if (input.tagName === 'TEXTAREA') input.value = String(start);
  const label = labelOf(schema, name);
  return {
    el: h('div.field', {}, h('label', { for: id, text: label + (required ? ' *' : '') }), input),
    value: () => {
      const text = input.value.trim();
      if (required && !text) throw new Error(t('fieldRequired', { field: label }));
      if (!text) return undefined;
      return numeric ? Number(text) : text;
    },
  };
}

function selectField(schema, name, required) {
  const id = uid(name);
  const descriptions = schema['x-enumDescriptions'];
  const text = descriptions ? h('blockquote.pledge') : null;
  const show = () => text && (text.textContent = descriptions[select.value] ?? '');
  const start = localized(schema['x-default']);
  const select = h('select', { id, name, onchange: show },
    required ? null : h('option', { value: '', text: pick(schema['x-emptyLabel']) || '—' }),
    schema.enum.map((v) => h('option', { value: v, text: optionLabel(schema, v), selected: v === start })));
  show();
  return {
    el: h('div.field', {}, h('label', { for: id, text: labelOf(schema, name) }), select, text),
    value: () => select.value || undefined,
  };
}

function radioField(schema, name) {
  const group = uid(name);
  const start = schema.enum.includes(localized(schema['x-default'])) ? localized(schema['x-default']) : schema.enum[0];
  const radios = schema.enum.map((v) => {
    const id = uid(name);
    return { v, input: h('input', { id, type: 'radio', name: group, value: v, checked: v === start }), label: h('label', { for: id, text: optionLabel(schema, v) }) };
  });
  return {
    el: h('fieldset', {}, h('legend', { text: labelOf(schema, name) }), radios.map((r) => h('div.check', {}, r.input, r.label))),
    value: () => radios.find((r) => r.input.checked)?.v,
  };
}

/** A list of codes to pick (materials): one checkbox each, the suggested ones ticked. */
function checkboxField(schema, name, required) {
  const items = schema.items ?? {};
  const ticked = new Set(localized(schema['x-default']) ?? []);
  const boxes = (items.enum ?? []).map((v) => {
    const id = uid(name);
    return { v, input: h('input', { id, type: 'checkbox', value: v, checked: ticked.has(v) }), label: h('label', { for: id, text: optionLabel(items, v) }) };
  });
  return {
    el: boxes.length ? h('fieldset', {}, h('legend', { text: labelOf(schema, name) }), boxes.map((b) => h('div.check', {}, b.input, b.label))) : null,
    value: () => {
      const values = boxes.filter((b) => b.input.checked).map((b) => b.v);
      if ((required || schema.minItems) && values.length < (schema.minItems ?? 1)) throw new Error(t('pickAtLeastOne'));
      return values;
    },
  };
}

/**
 * A list of records (the items of a correction notice): rows to add and remove, starting from the suggested ones;
 * with `x-fixedRows`, exactly the suggested rows (a finding per material), each marked with its fixed field's value.
 */
function rowsField(schema, name, required) {
  const fixed = Boolean(schema['x-fixedRows']);
  const rows = h('div.rows');
  const entries = [];
  const addRow = (start = {}) => {
    const itemSchema = { ...schema.items, properties: Object.fromEntries(Object.entries(schema.items.properties ?? {}).map(([k, p]) => [k, { ...p, 'x-default': start[k] ?? p['x-default'] }])) };
    const fields = objectFields(itemSchema, `${name}-row`);
    const entry = { fields };
    const key = Object.entries(itemSchema.properties).find(([, p]) => p['x-fixed'])?.[0];
    const row = h('div.row', { dataset: key ? { row: String(start[key]) } : {} }, fields.el,
      fixed ? null : h('button.secondary.small', { type: 'button', text: t('remove'), onclick: () => { entries.splice(entries.indexOf(entry), 1); row.remove(); } }));
    entries.push(entry);
    rows.append(row);
  };
  const start = localized(schema['x-default']);
  if (start?.length) for (const row of start) addRow(row);
  else addRow();
  return {
    el: h('div.field', {}, h('span.legend', { text: labelOf(schema, name) }), rows,
      fixed ? null : h('button.secondary.small', { type: 'button', text: pick(schema['x-addLabel']) || '+', onclick: () => addRow() })),
    value: () => {
      const values = entries.map((e) => e.fields.value());
      if ((required || schema.minItems) && values.length < (schema.minItems ?? 1)) throw new Error(t('pickAtLeastOne'));
      return values;
    },
  };
}
