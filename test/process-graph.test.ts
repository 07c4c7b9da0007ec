import { expect } from 'chai';
import { processDefinitions } from '../machines';
import { processGraph } from '../src/processes/process-graph';
import { apiClient } from './helpers/api-client';
import { startTestApp, type TestApp } from './helpers/test-app';

describe('process diagrams from the machine definitions', function () {
  let app: TestApp;
  const api = apiClient(() => app.url);
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app?.stop());

  it('when a registered machine is read, then every state is a node and every transition target is a node', () => {
    for (const definition of processDefinitions) {
      const graph = processGraph(definition);
      const ids = new Set(graph.nodes.map((n) => n.id));
      expect(ids.has(graph.initial), graph.initial).to.equal(true);
      for (const e of graph.edges) {
        expect(ids.has(e.from), e.from).to.equal(true);
        if (e.to !== null) expect(ids.has(e.to), `${e.from} ${e.event} → ${e.to}`).to.equal(true);
      }
      for (const n of graph.nodes) if (n.parent) expect(ids.has(n.parent)).to.equal(true);
    }
  });

  it('when staff ask for the standard licence graph, then it has the intake choices and the joint-review branches; others get 401', async () => {
    const token = await api.login('reviewer');
    const res = await api.get('/api/v1/processes/standard-licence/1/graph', token);
    expect(res.status).to.equal(200);
    expect(res.body.initial).to.equal('intake');
    const fromIntake = res.body.edges.filter((e: { from: string }) => e.from === 'intake').map((e: { event: string }) => e.event);
    expect(fromIntake).to.include.members(['ACCEPT', 'ACCEPT_WITH_DEFICIENCY', 'ACCEPT_ON_COMMITMENT', 'REQUEST_CORRECTION', 'REJECT']);
    expect(res.body.nodes.map((n: { id: string }) => n.id)).to.include.members(['jointReview.city.reviewing', 'jointReview.province.returned', 'review.suspended']);
    expect(res.body.nodes.find((n: { id: string }) => n.id === 'intake').label.zh).to.equal('受理审查');
    expect((await api.get('/api/v1/processes/standard-licence/1/graph')).status).to.equal(401);
    expect((await api.get('/api/v1/processes/standard-licence/99/graph', token)).status).to.equal(404);
  });

  it('when the pledge texts are asked for, then each version has its text', async () => {
    const res = await api.get('/api/v1/catalog/pledges');
    expect(res.status).to.equal(200);
    expect(res.body.items[0]).to.have.keys('version', 'text');
  });
});
