// The PDF renderer's thread: laying out a page and subsetting the CJK font takes tens of milliseconds of CPU,
// which on the service's own thread would hold up every request behind it.
import { parentPort } from 'node:worker_threads';
import { missingGlyphs, renderInstrument, type PrintedInstrument } from './render-pdf';

parentPort!.on('message', ({ id, printed }: { id: number; printed: PrintedInstrument }) => {
  renderInstrument(printed).then(
    (bytes) => parentPort!.postMessage({ id, bytes, missing: missingGlyphs(JSON.stringify(printed)) }),
    (err: unknown) => parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) }),
  );
});
