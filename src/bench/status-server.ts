/**
 * Child process of `npm run bench`: the real service (startRuntime, HTTP on, scheduler off) on the
 * bench database, so its resident size is the server's alone. Reports its URL over IPC.
 */
import { pino } from 'pino';
import { loadConfig } from '../config/app-config';
import { startRuntime } from '../runtime';
import { serveUntilParentLeaves } from './serve-child';

const config = loadConfig(process.env, { port: 0, scheduler: false });
// Logged as in production (one line per request at info), written to /dev/null so the output stays the bench's.
const log = pino({ level: config.logLevel, base: { service: 'permit-engine' } }, pino.destination({ dest: '/dev/null', sync: true }));
const runtime = await startRuntime(config, { http: true, scheduler: false, log });
serveUntilParentLeaves(runtime.url!, () => runtime.stop());
