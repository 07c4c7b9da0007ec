import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../src/config/app-config';
import { createLogger } from '../src/logger';
import { startRuntime, type Runtime } from '../src/runtime';
import { backupEmbeddedStore } from '../src/store/backup';
import { startEmbeddedServer } from '../src/store/embedded-server';
import { apiClient, applicationBody } from './helpers/api-client';
import { freshUscc } from './helpers/workflow';

// A small tmpfs is a real full or read-only disk; mounting one needs root, so elsewhere these tests are skipped.
function mountTmpfs(options: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'permit-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

function unmount(dir: string): void {
  execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}

describe('full disk and read-only data folders', function () {
  this.timeout(120_000);
  const mounted: string[] = [];
  const mount = (options: string, context: Mocha.Context) => {
    const dir = mountTmpfs(options);
    if (!dir) context.skip();
    mounted.push(dir!);
    return dir!;
  };
  afterEach(() => {
    for (const dir of mounted.splice(0)) unmount(dir);
  });

  it('when the data folder is read-only, then the start refuses, naming the folder and the fix', async function () {
    const dir = mount('size=8m', this);
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    const error = await startEmbeddedServer({ dataDir: join(dir, 'store'), log: () => {} }).then(() => null, (e: Error) => e);
    expect(error?.message).to.include('read-only').and.include(dir).and.include('DATA_DIR');
  });

  it('when the disk has less than 64 MiB free, then the start refuses before the store writes anything', async function () {
    const dir = mount('size=32m', this);
    const error = await startEmbeddedServer({ dataDir: join(dir, 'store'), log: () => {} }).then(() => null, (e: Error) => e);
    expect(error?.message).to.include('Not enough free disk space').and.include('MiB');
  });

  it('when the disk fills up under the running service, then writes answer 503 STORE_UNAVAILABLE, and once space is freed they succeed on an intact store', async function () {
    const dir = mount('size=96m', this);
    const config = loadConfig({}, { mongodbUri: '', dataDir: dir, port: 0, demoAccounts: 'on', logLevel: 'silent', loginRateLimit: 1000, publicRateLimit: 1000 });
    let runtime: Runtime | undefined;
    try {
      runtime = await startRuntime(config, { http: true, scheduler: false, log: createLogger('silent'), now: () => new Date('2026-03-02T02:00:00Z') });
      const api = apiClient(() => runtime!.url!);
      const token = await api.login('clerk');
      const submit = () => api.post('/api/v1/applications', applicationBody('370000-AQ-XK-004', { uscc: freshUscc(), materials: ['M01', 'M02', 'M03', 'M04', 'M05'].map((code) => ({ code, provided: true })) }), token);
      const before = await runtime.conn.collection('applications').countDocuments({});

      const filler = join(dir, 'filler');
      try {
        writeFileSync(filler, Buffer.alloc(96 * 1024 * 1024));
      } catch (e) {
        expect((e as NodeJS.ErrnoException).code).to.equal('ENOSPC');
      }
      const refused = await submit();
      expect(refused.status, JSON.stringify(refused.body)).to.equal(503);
      expect(refused.body.error.code).to.equal('STORE_UNAVAILABLE');

      rmSync(filler);
      const accepted = await submit();
      expect(accepted.status, JSON.stringify(accepted.body)).to.equal(201);
      // Whatever the refused submission managed to write before the disk was full, no application came of it.
      expect(await runtime.conn.collection('applications').countDocuments({})).to.equal(before + 1);
      // The backup runs SQLite's integrity check on a copy of every database.
      const manifest = await backupEmbeddedStore({ storeDir: join(dir, 'store'), file: join(dir, 'check.tar.gz') });
      expect(manifest.databases.find((d) => d.file === `${config.dbName}.sqlite`)?.collections.applications).to.equal(before + 1);
    } finally {
      await runtime?.stop();
    }
  });
});
