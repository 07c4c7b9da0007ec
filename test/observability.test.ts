import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'chai';
import { apiClient, applicationBody } from './helpers/api-client';
import { startTestApp, type TestApp } from './helpers/test-app';
import { startTestStore } from './helpers/test-store';

describe('observability and shutdown', function () {
  this.timeout(120_000);
  let app: TestApp;
  const api = apiClient(() => app.url);
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app?.stop());

  it('when events are applied, then /metrics counts requests and events by type', async () => {
    const clerk = await api.login('clerk');
    const created = (await api.post('/api/v1/applications', applicationBody('370000-AQ-XK-004'), clerk)).body;
    await api.post(`/api/v1/applications/${created.id}/events`, { type: 'ACCEPT' }, clerk);
    await api.post(`/api/v1/applications/${created.id}/events`, { type: 'ACCEPT', expectedVersion: 1 }, clerk);
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).to.match(/permit_events_applied_total\{type="ACCEPT"\} 1\b/);
    expect(text).to.match(/permit_http_requests_total\{method="POST",route="\/api\/v1\/applications\/:id\/events",status="200"\} 1\b/);
    expect(text).to.match(/permit_http_requests_total\{method="POST",route="\/api\/v1\/applications\/:id\/events",status="409"\} 1\b/);
    expect(text).to.include('process_resident_memory_bytes');
  });

  it('when the service gets SIGTERM, then it stops taking requests, finishes and exits 0', async () => {
    const store = await startTestStore();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, MONGODB_URI: store.uri, DB_NAME: store.dbName, PORT: '0', SCHEDULER: 'off', LOG_LEVEL: 'info', DEMO_ACCOUNTS: 'on' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while (!/listening on (http:\/\/\S+)/.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`service did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const url = /listening on (http:\/\/\S+)/.exec(output)![1];
      expect((await fetch(`${url}/health`)).status).to.equal(200);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).to.equal(0);
      expect(output).to.include('shutting down');
      const refused = await fetch(`${url}/health`).then(() => false, () => true);
      expect(refused).to.equal(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await store.stop();
    }
  });
});
