import { callApi } from '/assets/api.js';
import { h, replace } from '/assets/dom.js';
import { applyStatic, langSwitch, onLangChange, t } from '/assets/i18n.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
let doc = null;

/** Renders /api/v1/openapi.json for people: operations by tag, then every schema they refer to. */
async function draw() {
  applyStatic();
  doc ??= await callApi('GET', '/api/v1/openapi.json');
  const operations = Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })));
  const tags = doc.tags.filter((tag) => operations.some((o) => (o.op.tags ?? [])[0] === tag.name));
  replace(document.getElementById('toc'), tags.map((tag) => h('a', { href: `#tag-${tag.name}`, text: tag.name })), h('a', { href: '#schemas', text: t('schemas') }));
  replace(document.getElementById('main'),
    h('h1', { text: doc.info.title }),
    h('p', { text: `OpenAPI ${doc.openapi} · ${t('version')} ${doc.info.version}` }),
    h('p.description', { text: doc.info.description }),
    tags.map((tag) => h('section.card', { id: `tag-${tag.name}`, 'aria-labelledby': `h-${tag.name}` },
      h('h2', { id: `h-${tag.name}`, text: `${tag.name} — ${tag.description ?? ''}` }),
      operations.filter((o) => (o.op.tags ?? [])[0] === tag.name).map(operation))),
    h('section.card', { id: 'schemas', 'aria-labelledby': 'schemas-h' },
      h('h2#schemas-h', { text: t('schemas') }),
      Object.entries(doc.components.schemas).map(([name, schema]) => h('div.schema', { id: `schema-${name}` }, h('h3', { text: name }), schema.description ? h('p', { text: schema.description }) : null, schemaView(schema)))));
}

function operation({ path, method, op }) {
  const isPublic = Array.isArray(op.security) && op.security.length === 0;
  return h('article.operation', { id: `${method}-${path}` },
    h('h3', {}, h(`span.method.method-${method}`, { text: method.toUpperCase() }), ' ', h('code', { text: path }), ' ', h('span', { class: `badge ${isPublic ? 'secondary' : 'core'}`, text: isPublic ? t('public') : t('needsToken') })),
    h('p', { text: op.summary }),
    op.description ? h('p.muted', { text: op.description }) : null,
    op.parameters?.length
      ? h('table.grid.compact', {},
        h('thead', {}, h('tr', {}, ['parameter', 'in', 'type', 'required', 'description'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, op.parameters.map((p) => h('tr', {}, h('td', {}, h('code', { text: p.name })), h('td', { text: p.in }), h('td', {}, typeOf(p.schema)), h('td', { text: p.required ? '✓' : '' }), h('td', { text: p.description ?? '' })))))
      : null,
    op.requestBody ? h('div', {}, h('h4', { text: t('requestBody') }), schemaView(firstSchema(op.requestBody.content))) : null,
    h('h4', { text: t('responses') }),
    h('ul.plain', {}, Object.entries(op.responses).map(([code, r]) => h('li', {}, h('code', { text: code }), ` ${r.description} `, r.content ? [h('small.muted', { text: `${Object.keys(r.content)[0]} ` }), typeOf(firstSchema(r.content))] : null))));
}

const firstSchema = (content) => Object.values(content ?? {})[0]?.schema;
const refName = (ref) => ref.split('/').pop();
const refLink = (ref) => h('a', { href: `#schema-${refName(ref)}`, text: refName(ref) });

function typeOf(schema) {
  if (!schema) return '';
  if (schema.$ref) return refLink(schema.$ref);
  if (schema.oneOf) return h('span', {}, `${t('oneOf')} `, schema.oneOf.map((s, i) => [i ? ' | ' : '', typeOf(s)]));
  // OpenAPI 3.1 (JSON Schema 2020-12): "or null" is a second type, or anyOf with {type: 'null'}.
  if (schema.anyOf) return h('span', {}, schema.anyOf.map((s, i) => [i ? ' | ' : '', s.type === 'null' ? 'null' : typeOf(s)]));
  if (schema.const !== undefined) return h('code', { text: JSON.stringify(schema.const) });
  if (schema.allOf) return h('span', {}, schema.allOf.map((s, i) => [i ? ' + ' : '', typeOf(s)]));
  if (schema.type === 'array') return h('span', {}, typeOf(schema.items), '[]');
  const extra = [schema.format, schema.enum ? schema.enum.join(' | ') : null, schema.pattern ? `/${schema.pattern}/` : null].filter(Boolean).join(', ');
  const types = [schema.type ?? 'any'].flat();
  return h('span', {}, h('code', { text: types.filter((x) => x !== 'null').join(' | ') }), extra ? h('small.muted', { text: ` (${extra})` }) : null, types.includes('null') ? h('small.muted', { text: ' | null' }) : null);
}

function schemaView(schema) {
  if (schema.$ref || schema.oneOf || schema.allOf || schema.type !== 'object' || !schema.properties) return h('p', {}, typeOf(schema));
  const required = new Set(schema.required ?? []);
  return h('ul.schema-tree', {}, Object.entries(schema.properties).map(([name, prop]) => h('li', {},
    h('code', { text: name }), required.has(name) ? h('strong', { text: ' *' }) : null, ' ', typeOf(prop), prop.description ? h('span.muted', { text: ` — ${prop.description}` }) : null,
    prop.type === 'object' && prop.properties ? schemaView(prop) : null,
    prop.type === 'array' && prop.items?.type === 'object' && prop.items.properties ? schemaView(prop.items) : null)));
}

langSwitch(document.getElementById('lang'));
onLangChange(draw);
draw().catch((e) => replace(document.getElementById('main'), h('p.error', { role: 'alert', text: e.message })));
