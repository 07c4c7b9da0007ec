import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'chai';
import { apiClient } from './helpers/api-client';
import { startTestApp, type TestApp } from './helpers/test-app';

type Schema = Record<string, any>;
interface Operation { security?: unknown[]; 'x-roles'?: string[]; parameters?: Schema[]; requestBody?: { content: Record<string, { schema: Schema; example?: unknown; examples?: Record<string, { value: unknown }> }> } }

/** A value the schema accepts, built from the schema alone: its example, const, default or enum first, else from type and bounds. */
function exampleOf(schema: Schema, resolve: (s: Schema) => Schema, where: string): unknown {
  schema = resolve(schema);
  if (schema.examples?.length) return structuredClone(schema.examples[0]);
  if (schema.example !== undefined) return structuredClone(schema.example);
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return exampleOf(alternatives.find((s: Schema) => s.type !== 'null'), resolve, where);
  const type = [schema.type].flat().find((t) => t !== 'null');
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, s]) => [key, exampleOf(s as Schema, resolve, `${where}.${key}`)]));
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 0) }, () => exampleOf(schema.items ?? {}, resolve, `${where}[]`));
    case 'integer':
    case 'number':
      return Math.min(Math.max(schema.minimum ?? 1, 1), schema.maximum ?? Infinity);
    case 'boolean':
      return true;
    case 'string':
      return stringFor(schema, where);
    default:
      return 'example';
  }
}

const FORMATS: Record<string, string> = { 'date-time': '2026-03-02T02:00:00.000Z', date: '2026-03-02', email: 'someone@example.com', uuid: '00000000-0000-4000-8000-000000000000' };
// Strings tried against a pattern without an example; a pattern none of them matches needs an example in its joi schema.
const CANDIDATES = ['example', 'M01', '370602', '2026-03-02', 'ABCDEFGH', '91370602MA3C4R1N3E', 'LU-WHSY-2026-000001'];

function stringFor(schema: Schema, where: string): string {
  if (schema.format && FORMATS[schema.format]) return FORMATS[schema.format];
  const fits = (s: string) => s.length >= (schema.minLength ?? 1) && s.length <= (schema.maxLength ?? Infinity) && (!schema.pattern || new RegExp(schema.pattern, 'u').test(s));
  const found = CANDIDATES.find(fits);
  if (!found) throw new Error(`${where}: no example for ${JSON.stringify(schema)}; attach .example() to its joi schema`);
  return found;
}

/** Every required property of the value, as a path, recursing into objects and array items the value holds. */
function requiredPaths(schema: Schema, value: unknown, resolve: (s: Schema) => Schema, prefix: (string | number)[] = []): (string | number)[][] {
  schema = resolve(schema);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const matching = alternatives.map(resolve).find((s: Schema) => s.properties?.type?.const === (value as Schema)?.type) ?? alternatives.find((s: Schema) => s.type !== 'null');
    return requiredPaths(matching, value, resolve, prefix);
  }
  if (Array.isArray(value)) return value.length && schema.items ? requiredPaths(schema.items, value[0], resolve, [...prefix, 0]) : [];
  if (!value || typeof value !== 'object' || !schema.properties) return [];
  return Object.entries(schema.properties).flatMap(([key, s]) => [
    ...((schema.required ?? []).includes(key) ? [[...prefix, key]] : []),
    ...(key in (value as Schema) ? requiredPaths(s as Schema, (value as Schema)[key], resolve, [...prefix, key]) : []),
  ]);
}

function without(value: unknown, path: (string | number)[]): unknown {
  const copy = structuredClone(value) as Schema;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key];
  delete target[path.at(-1)!];
  return copy;
}

describe('the API document generated from the route table', function () {
  let app: TestApp;
  let doc: Schema;
  let applicationId: string;
  const api = apiClient(() => app.url);
  const tokens: Record<string, string> = {};
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);

  const resolve = (s: Schema): Schema => (s?.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()!]) : s);
  const accepts = (schema: Schema, value: unknown) => {
    // $refs point into #/components, so the schema is compiled beside the document's components.
    const check = ajv.compile({ ...schema, components: doc.components });
    return check(value) ? null : JSON.stringify(check.errors);
  };
  const operations = () => Object.entries(doc.paths as Record<string, Record<string, Operation>>)
    .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
  const tokenFor = async (op: Operation) => {
    if (op.security?.length === 0) return undefined;
    // The demo accounts are named after their roles; an operation open to any signed-in caller gets the clerk.
    const user = op['x-roles']?.[0] ?? 'clerk';
    return (tokens[user] ??= await api.login(user));
  };
  // Path parameters: a real application for {id}, else a value built from the parameter's schema.
  const urlOf = (path: string, op: Operation, query: Record<string, unknown> = {}) => {
    const filled = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      if (name === 'id') return applicationId;
      const param = op.parameters!.find((p) => p.in === 'path' && p.name === name)!;
      return encodeURIComponent(String(exampleOf(param.schema, resolve, name)));
    });
    const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return search ? `${filled}?${search}` : filled;
  };

  before(async function () {
    app = await startTestApp();
    doc = (await api.get('/api/v1/openapi.json')).body;
    const created = await api.post('/api/v1/applications', doc.paths['/api/v1/applications'].post.requestBody.content['application/json'].example, await api.login('clerk'));
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    applicationId = created.body.id;
  });
  after(async () => app?.stop());

  it('when an independent OpenAPI validator reads the served document, then it is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(validator.version).to.equal('3.1');
  });

  it('when the window intake is described, then channel is required, as the server requires it', () => {
    expect(resolve(doc.components.schemas.ApplicationInput).required).to.include('channel');
    expect(doc.components.schemas.OnlineApplicationInput.required).not.to.include('channel');
  });

  it('when the events body is described, then it is one variant per event type the server takes, told apart by type', () => {
    const body = doc.paths['/api/v1/applications/{id}/events'].post.requestBody.content['application/json'].schema;
    expect(body.discriminator.propertyName).to.equal('type');
    const types = body.oneOf.map((s: Schema) => resolve(s).properties.type.const);
    expect(types).to.include.members(['ACCEPT', 'REQUEST_CORRECTION', 'REVIEW_OPINION']);
    for (const variant of body.oneOf.map(resolve)) {
      expect(variant.required).to.include('type');
      expect(variant.properties.expectedVersion).to.deep.include({ type: 'integer', minimum: 1 });
    }
  });

  it('when every body the document describes is sent complete, then the server does not refuse it as invalid; with a required field left out, it answers 400 naming that field', async function () {
    this.timeout(180_000);
    const checked: string[] = [];
    for (const { path, method, op } of operations()) {
      const content = op.requestBody?.content['application/json'];
      if (!content) continue;
      const token = await tokenFor(op);
      const variants = content.schema.oneOf
        ? content.schema.oneOf.map((s: Schema) => ({ schema: s, body: content.examples?.[resolve(s).properties.type.const]?.value ?? exampleOf(s, resolve, `${method} ${path}`) }))
        : [{ schema: content.schema, body: content.example ?? exampleOf(content.schema, resolve, `${method} ${path}`) }];
      for (const { schema, body } of variants) {
        const name = `${method.toUpperCase()} ${path} ${JSON.stringify(body).slice(0, 60)}`;
        expect(accepts(schema, body), `${name}: the document refuses its own example`).to.equal(null);
        const complete = await api.call(method.toUpperCase(), urlOf(path, op), { token, body });
        expect(complete.status, `${name} → ${JSON.stringify(complete.body).slice(0, 300)}`).to.be.oneOf([200, 201, 204, 403, 404, 409, 422]);
        for (const field of requiredPaths(schema, body, resolve)) {
          const partial = without(body, field);
          expect(accepts(schema, partial), `${name} without ${field.join('.')}: the document should refuse it`).not.to.equal(null);
          const res = await api.call(method.toUpperCase(), urlOf(path, op), { token, body: partial });
          expect(res.status, `${name} without ${field.join('.')} → ${JSON.stringify(res.body).slice(0, 300)}`).to.equal(400);
          expect(res.body.error.code).to.equal('VALIDATION_FAILED');
          expect(res.body.error.details.map((d: { field: string }) => d.field), `${name} without ${field.join('.')}`).to.include(field.join('.'));
          checked.push(`${path} ${field.join('.')}`);
        }
      }
    }
    // Intake, online submission, sign-in, staff accounts and the events all have required fields.
    expect(checked.length).to.be.greaterThan(40);
  });

  it('when an operation has required query parameters, then the server answers 400 naming each one left out, and not 400 with all of them', async () => {
    const checked: string[] = [];
    for (const { path, method, op } of operations()) {
      const required = (op.parameters ?? []).filter((p) => p.in === 'query' && p.required);
      if (!required.length) continue;
      const token = await tokenFor(op);
      const query = Object.fromEntries(required.map((p) => [p.name, exampleOf(p.schema, resolve, p.name)]));
      for (const p of required) expect(accepts(p.schema, query[p.name]), `${path} ${p.name}`).to.equal(null);
      const complete = await api.call(method.toUpperCase(), urlOf(path, op, query), { token });
      expect(complete.status, `${path} → ${JSON.stringify(complete.body).slice(0, 300)}`).to.be.oneOf([200, 404, 409, 422]);
      for (const p of required) {
        const { [p.name]: _left, ...rest } = query;
        const res = await api.call(method.toUpperCase(), urlOf(path, op, rest), { token });
        expect(res.status, `${path} without ${p.name} → ${JSON.stringify(res.body).slice(0, 300)}`).to.equal(400);
        expect(res.body.error.code).to.equal('VALIDATION_FAILED');
        expect(res.body.error.details.map((d: { field: string }) => d.field)).to.include(p.name);
        checked.push(`${path} ${p.name}`);
      }
    }
    expect(checked).to.include.members(['/api/v1/calendar/due-date from', '/api/v1/status queryCode']);
  });
});
