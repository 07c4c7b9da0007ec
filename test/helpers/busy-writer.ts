// A writer process for the crash tests: submits and steps applications as fast as it can until it is killed.
import { loadConfig } from '../../src/config/app-config';
import { createLogger } from '../../src/logger';
import { startRuntime } from '../../src/runtime';
import { submitApplication, type SubmitApplicationInput } from '../../src/use-cases/submit-application';
import type { Actor } from '../../src/engine/application-record';
import { isAppError } from '../../src/errors';
import { applicationBody } from './api-client';
import { freshUscc } from './workflow';

const clerk: Actor = { kind: 'staff', id: 'crash-clerk', name: '窗口', role: 'clerk', jurisdiction: '370600' };
const reviewer: Actor = { kind: 'staff', id: 'crash-reviewer', name: '审查', role: 'reviewer', jurisdiction: '370600' };

const config = loadConfig({ MONGODB_URI: process.env.MONGODB_URI!, DB_NAME: process.env.DB_NAME!, LOG_LEVEL: 'silent', DEMO_ACCOUNTS: 'off' });
const runtime = await startRuntime(config, { http: false, scheduler: false, store: { uri: process.env.MONGODB_URI!, dbName: process.env.DB_NAME! }, log: createLogger('silent') });
const { services } = runtime;
const submit = async () => {
  const { application } = await submitApplication(services, applicationBody('370000-AQ-XK-004', { uscc: freshUscc('370602') }) as SubmitApplicationInput, clerk);
  return (await services.engine.apply(application, { type: 'ACCEPT' }, clerk)).id;
};
const ids = [await submit(), await submit(), await submit()];
process.send?.('ready');
// Mostly changes of applications in hand, the window the crash tests aim at (claim, entry, document, logged change):
// events with effects, changes without any, and now and then a new application (its entry, then its document).
for (let i = 0; ; i++) {
  if (i % 20 === 19) ids.push(await submit());
  const app = (await services.store.get(ids[i % ids.length]))!;
  try {
    if (i % 3 === 2) await services.store.compareAndSet(app.id, app.version, { set: { updatedAt: new Date() }, timeline: [], outbox: [] }, app);
    else await services.engine.apply(app, { type: app.state === 'review.active' ? 'SUSPEND' : 'RESUME' }, reviewer);
  } catch (e) {
    // This process's own documents, issued in the background, record facts on the same applications: read again and go on.
    if (!isAppError(e) || e.code !== 'VERSION_CONFLICT') throw e;
  }
}
