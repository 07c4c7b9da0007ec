// The PDF renderer's thread: laying out a page and subsetting the CJK font takes tens of milliseconds of CPU,
// which on the service's own thread would hold up every request behind it.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { missingGlyphs, renderInstrument, type PrintedInstrument } from './render-pdf';

// A document may wait; a request may not: this thread (only this one, nice is per thread on Linux) yields the CPU to the service and the store.
try {
  setPriority(19);
} catch {
  // Not permitted on this system: rendering then competes at normal priority.
}

parentPort!.on('message', ({ id, printed }: { id: number; printed: PrintedInstrument }) => {
  renderInstrument(printed).then(
    (bytes) => parentPort!.postMessage({ id, bytes, missing: missingGlyphs(JSON.stringify(printed)) }),
    (err: unknown) => parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) }),
  );
});
