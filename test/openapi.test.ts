import { expect } from 'chai';
import { createHttpApp } from '../src/http/app';
import { apiDocument } from '../src/http/api-routes';
import { apiClient } from './helpers/api-client';
import { servedRoutes, toOpenApiPath } from './helpers/express-routes';
import { startTestApp, type TestApp } from './helpers/test-app';

// The document is generated from the route table (src/http/api-routes.ts).
const openApiDocument = apiDocument();

describe('the OpenAPI document', function () {
  let app: TestApp;
  const api = apiClient(() => app.url);

  before(async function () {
    app = await startTestApp();
  });
  after(async () => app?.stop());

  it('when the app\'s router stack is walked, then every route it serves is described with its method', () => {
    const express = createHttpApp(app.runtime.services, app.runtime.conn);
    const routes = servedRoutes(express);
    expect(routes.length).to.be.greaterThan(10);
    const paths = openApiDocument.paths as Record<string, Record<string, unknown>>;
    const missing = routes
      .filter((r) => !paths[toOpenApiPath(r.path)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${toOpenApiPath(r.path)}`);
    expect(missing, `define these routes with defineRoute in src/http/routes: ${missing.join(', ')}`).to.deep.equal([]);
  });

  it('when a path is described, then the app serves it (no stale entries)', () => {
    const served = new Set(servedRoutes(createHttpApp(app.runtime.services, app.runtime.conn)).map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
    const described = Object.entries(openApiDocument.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(described.filter((d) => !served.has(d))).to.deep.equal([]);
  });

  it('when the document is read, then every $ref resolves and every operation has responses', () => {
    const doc = openApiDocument as unknown as { paths: Record<string, Record<string, { responses?: object }>>; components: { schemas: Record<string, unknown> } };
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    for (const ref of refs) expect(doc.components.schemas, ref).to.have.property(ref.slice(22, -1));
    for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) expect(Object.keys(op.responses ?? {}), `${method} ${path}`).to.have.length.greaterThan(0);
  });

  it('when /api/v1/openapi.json is fetched, then it is the OpenAPI 3 document, and /api/docs renders it for people', async () => {
    const res = await api.get('/api/v1/openapi.json');
    expect(res.status).to.equal(200);
    expect(res.body.openapi).to.match(/^3\./);
    expect(res.body.paths).to.have.property('/api/v1/applications/{id}/events');
    const page = await fetch(`${app.url}/api/docs/`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include('docs.js');
  });
});
