// Usage: tsx scripts/ferretdb.ts build            builds .tools/bin/ferretdb once (CI can run it before the tests)
//        tsx scripts/ferretdb.ts start [dataDir]  runs the embedded store in the foreground until Ctrl-C
import { DEFAULT_DATA_DIR, DEFAULT_TOOLS_DIR, startEmbeddedServer } from '../src/store/embedded-server';
import { ensureFerretDbBinary } from '../src/store/ferretdb-build';

const log = (msg: string) => console.error(`[store] ${msg}`);
const [command, dataDir = DEFAULT_DATA_DIR] = process.argv.slice(2);

if (command === 'build') {
  console.log(await ensureFerretDbBinary({ toolsDir: DEFAULT_TOOLS_DIR, log }));
} else if (command === 'start') {
  const server = await startEmbeddedServer({ dataDir, log });
  console.log(server.uri);
  if (server.reused) log('another process owns this server; nothing to keep running');
  else {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void server.stop().then(() => process.exit(0)));
    }
    // Keeps the process alive: the launcher does not hold the event loop open by itself.
    setInterval(() => {}, 1 << 30);
  }
} else {
  console.error('usage: tsx scripts/ferretdb.ts build | start [dataDir]');
  process.exitCode = 2;
}
