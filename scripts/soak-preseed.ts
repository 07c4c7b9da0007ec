import { loadConfig } from '../src/config/app-config';
import { createLogger } from '../src/logger';
import { discardMail } from '../src/bench/discard-mailer';
import { startRuntime } from '../src/runtime';
import { createSeeder } from '../src/bench/scale/seed';
import { buildTemplates } from '../src/bench/scale/templates';

/**
 * Fills the soak's database with `count` applications of an office's history before the flows (`--preseed`):
 * the scale bench's clones through the stores' bulk paths, `open` of them still in hand, the rest finished over
 * six years, with certificates, reminder ledger and audit entries. Returns what it wrote.
 */
export async function preseed(opts: { uri: string; dbName: string; count: number; open: number; log: (msg: string) => void }) {
  const config = loadConfig(process.env, { port: 0, scheduler: false, demoAccounts: 'off', logLevel: 'warn' });
  const runtime = await startRuntime({ ...config, dbName: opts.dbName }, {
    http: false, scheduler: false, store: { uri: opts.uri, dbName: opts.dbName }, log: createLogger('warn'), mailer: discardMail,
  });
  try {
    const templates = await buildTemplates(runtime.services);
    const seeder = createSeeder(runtime.services, templates, { open: opts.open, now: new Date(), log: opts.log });
    await seeder.growTo(opts.count, templates.length);
    return { ...seeder.totals, templates: templates.length };
  } finally {
    await runtime.stop();
  }
}
