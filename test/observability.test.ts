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

  it('when a metrics token and a trusted proxy are configured, then /metrics wants the token and the audit log records the forwarded client address', async () => {
    const guarded = await startTestApp({ config: { metricsToken: 'scrape-token-0123456789', trustProxy: 'loopback' } });
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).to.equal(401);
      expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).to.equal(401);
      const scraped = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer scrape-token-0123456789' } });
      expect(scraped.status).to.equal(200);
      expect(await scraped.text()).to.include('permit_store_command_duration_seconds_count');

      const res = await fetch(`${guarded.url}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' },
        body: JSON.stringify({ username: 'clerk', password: 'demo' }),
      });
      expect(res.status).to.equal(200);
      await new Promise((r) => setTimeout(r, 100));
      const records = await guarded.runtime.services.audit.list({}, 20);
      expect(records.find((r) => r.path === '/api/v1/auth/token')).to.include({ ip: '203.0.113.7' });
    } finally {
      await guarded.stop();
    }
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
