import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './auth/demo-accounts';
import { loadConfig } from './config/app-config';
import { createLogger } from './logger';
import { startRuntime } from './runtime';

/** `npm start`: the HTTP API and the scheduler on MONGODB_URI or the embedded default store. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const runtime = await startRuntime(config, { http: true, scheduler: config.scheduler, log });
  const { services } = runtime;
  const lines = [
    '',
    `许可审批引擎已启动 / Permit engine listening on ${runtime.url}`,
    `  store: ${runtime.store.kind}${runtime.store.reused ? ' (reused, already running)' : ''}, database ${runtime.store.dbName}`,
    `  mail: ${services.mailer.describe}`,
    `  sms: ${services.sms.describe}`,
    `  calendars loaded: ${services.calendar.loadedYears().join(', ')} (other years from 2025: statutory holidays only, provisional / 其他年份暂按法定节假日计算)`,
  ];
  if (runtime.demoAccounts) {
    lines.push(`  demo staff accounts (password "${DEMO_PASSWORD}"):`);
    for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.username.padEnd(18)} ${a.role.padEnd(18)} ${a.jurisdiction}  ${a.name}`);
  }
  console.log(lines.join('\n') + '\n');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    runtime.stop().then(() => process.exit(0), (err) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: Error) => {
  console.error(`启动失败 / Start failed: ${err.message}`);
  process.exit(1);
});
