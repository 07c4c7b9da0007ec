import { Worker } from 'node:worker_threads';
import type { PrintedInstrument } from './render-pdf';

type Rendered = { bytes: Buffer; missing: string[] };
type Reply = { id: number; bytes?: Uint8Array; missing?: string[]; error?: string };

const BOOTSTRAP = `const { workerData } = require('node:worker_threads');
import('tsx/esm/api').then(({ register }) => { register(); return import(workerData.entry); });`;

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve: (r: Rendered) => void; reject: (e: Error) => void }>();

// One renderer thread per process, started on first use; it keeps the process alive only while it has work, and a crash only fails what it held.
function renderer(): Worker {
  if (worker) return worker;
  // The service runs its TypeScript through tsx, whose loader a worker thread does not inherit: the thread registers it first.
  const started = new Worker(BOOTSTRAP, { eval: true, workerData: { entry: new URL('./render-worker.ts', import.meta.url).href } });
  started.on('message', (reply: Reply) => {
    const job = waiting.get(reply.id);
    if (!job) return;
    waiting.delete(reply.id);
    if (!waiting.size) started.unref();
    if (reply.error !== undefined) job.reject(new Error(`PDF rendering failed: ${reply.error}`));
    else job.resolve({ bytes: Buffer.from(reply.bytes!), missing: reply.missing ?? [] });
  });
  const fail = (err: Error) => {
    if (worker === started) worker = null;
    for (const job of waiting.values()) job.reject(err);
    waiting.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`PDF renderer thread exited (${code})`)));
  started.unref();
  worker = started;
  return started;
}

/** Renders one instrument on the renderer thread: its PDF bytes, and the characters the font has no glyph for. */
export function renderOffThread(printed: PrintedInstrument): Promise<Rendered> {
  const id = nextId++;
  return new Promise<Rendered>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    const thread = renderer();
    thread.ref();
    thread.postMessage({ id, printed });
  });
}
