import { spawn } from 'node:child_process';
import type { TestApp } from './test-app';

/** Runs `npm run job -- <args>` against the test app's store and SMTP sink, as an operator would; `env` adds settings (e.g. CONFIG_DIR). */
export function runJob(app: TestApp, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'job', '--', ...args], {
      env: { ...process.env, MONGODB_URI: app.store.uri, DB_NAME: app.store.dbName, SMTP_URL: app.smtp.url, LOG_LEVEL: 'silent', DEMO_ACCOUNTS: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
