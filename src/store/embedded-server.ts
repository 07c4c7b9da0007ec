import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, readFile, rename, rm, statfs, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { keepPostgresIdIndexes } from './ferretdb-postgresql-indexes';
import { keepIdIndexes } from './ferretdb-sqlite-indexes';
import { ensureFerretDbBinary, FERRETDB_VERSION, findExecutable, isProcessAlive, withFileLock } from './ferretdb-build';

/** Which server an embedded store runs on. */
export type EmbeddedKind = 'mongod' | 'ferretdb' | 'memory-server';

/** A running embedded server: started by this process, or reused from another one on the same data dir. */
export interface EmbeddedServer {
  uri: string;
  kind: EmbeddedKind;
  port: number;
  /** The server's current process; it changes when the supervisor restarts the server. */
  readonly pid: number;
  /** True when another process started the server; stop() then leaves it running. */
  reused: boolean;
  /** How many times this process restarted the server after it died (always 0 when reused). */
  readonly restarts: number;
  /** Calls `listener` after each restart; returns the function that unsubscribes. */
  onRestart(listener: (event: { pid: number; restarts: number; downMs: number }) => void): () => void;
  /** Stops the server if this process started it (SIGTERM, then SIGKILL), and removes server.json. */
  stop(): Promise<void>;
}

/** What `<dataDir>/server.json` holds while an embedded server runs. */
export interface ServerFile {
  pid: number;
  port: number;
  uri: string;
  kind: EmbeddedKind;
  /** The process that started the server and stops it; when it is gone the server is an orphan. */
  ownerPid: number;
}

const projectDir = fileURLToPath(new URL('../../', import.meta.url));

/** Where the embedded store keeps its data unless told otherwise (git-ignored). */
export const DEFAULT_DATA_DIR = join(projectDir, '.data', 'store');

/** Where built tools such as the FerretDB binary live (git-ignored). */
export const DEFAULT_TOOLS_DIR = join(projectDir, '.tools');

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const LAUNCH_LOCK_TIMEOUT_MS = 25 * 60_000;
const OUTPUT_TAIL_CHARS = 4000;
const ID_INDEX_CHECK_MS = 2000;

// Runs beside the server in its own process group: stops the server once its owner is gone, even after a SIGKILL.
const WATCHDOG = `
const [owner, server] = process.argv.slice(1).map(Number);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (error) { return error.code === 'EPERM'; } };
setInterval(() => {
  if (alive(server) && alive(owner)) return;
  try { process.kill(server, 'SIGTERM'); } catch { /* already gone */ }
  process.exit();
}, 1000);
`;

interface Started {
  pid: number;
  port: number;
  uri: string;
  kind: EmbeddedKind;
  stopProcess(): Promise<void>;
  /** Resolves when the server process exits, for whatever reason; absent when the launcher cannot watch it. */
  exited?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the same kind of server again on the same port and data, for the supervisor. */
type Restart = (port: number) => Promise<Started>;

const RESTART_BACKOFF_MS = [250, 500, 1000, 2000, 5000, 10_000];
// A server that stayed up this long counts as healthy again: the next crash restarts it at the shortest delay.
const STABLE_AFTER_MS = 30_000;
// How long a second launcher waits for a live owner to bring its crashed server back before replacing it.
const OWNER_RESTART_WAIT_MS = 20_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('could not find a free TCP port');
  return address.port;
}

async function answersPing(uri: string, timeoutMs: number): Promise<boolean> {
  const client = new mongoose.mongo.MongoClient(uri, {
    directConnection: true,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
  });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close();
  }
}

async function readServerFile(path: string): Promise<ServerFile | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ServerFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

// Guards against pid reuse: only a process whose command line names this data dir is ours to kill.
function runsOnDataDir(pid: number, dataDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir);
  } catch {
    return false;
  }
}

// The process may exit between the liveness check and the signal; that is what was wanted anyway.
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function terminate(pid: number): Promise<void> {
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) {
      signal(pid, 'SIGKILL');
      return;
    }
    await sleep(100);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

// Fails with the tail of the server's output, which is where its reason to refuse starting is.
async function spawnServer(name: string, command: string, args: string[], port: number, kind: EmbeddedKind, log: (msg: string) => void): Promise<Started> {
  const started = Date.now();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  // Reading the pipes keeps the server from blocking on a full pipe; unref lets the owner exit on its own terms.
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', keepTail);
    (stream as Socket | null)?.unref();
  }
  child.unref();
  if (child.pid !== undefined) {
    spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(child.pid)], { detached: true, stdio: 'ignore' }).unref();
  }
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  const uri = `mongodb://127.0.0.1:${port}/`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const exited = spawnError !== undefined || child.exitCode !== null || child.signalCode !== null;
    if (exited || Date.now() > deadline) {
      if (!exited) await stopChild(child);
      const why = spawnError ? `could not be spawned (${spawnError.message})` : exited ? `exited (${child.exitCode ?? child.signalCode})` : `did not answer ping within ${READY_TIMEOUT_MS / 1000} s`;
      throw new Error(`${name} on 127.0.0.1:${port} ${why}; last output:\n${output.trim() || '(none)'}`);
    }
    if (child.pid !== undefined && (await answersPing(uri, 500))) break;
    await sleep(100);
  }
  log(`${name} ready on 127.0.0.1:${port} (pid ${child.pid}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, sig) => resolve({ code, signal: sig }));
  });
  return { pid: child.pid as number, port, uri, kind, stopProcess: () => stopChild(child), exited };
}

async function startMongod(dataDir: string, log: (msg: string) => void, fixedPort?: number): Promise<Started> {
  const mongod = await findExecutable('mongod');
  if (!mongod) throw new Error('no `mongod` on PATH');
  const dbPath = join(dataDir, 'mongod');
  await mkdir(dbPath, { recursive: true });
  const port = fixedPort ?? (await freePort());
  log(`starting ${mongod} on 127.0.0.1:${port} (data in ${dbPath})`);
  return spawnServer('mongod', mongod, ['--dbpath', dbPath, '--bind_ip', '127.0.0.1', '--port', String(port)], port, 'mongod', log);
}

async function startFerretDb(dataDir: string, toolsDir: string, log: (msg: string) => void, fixedPort?: number): Promise<Started> {
  const binary = await ensureFerretDbBinary({ toolsDir, log });
  const dir = join(dataDir, 'ferretdb');
  await mkdir(dir, { recursive: true });
  const port = fixedPort ?? (await freePort());
  log(`starting FerretDB ${FERRETDB_VERSION} (SQLite) on 127.0.0.1:${port} (data in ${dir})`);
  const args = [
    '--handler=sqlite',
    // WAL with synchronous=NORMAL: a crash of any process loses nothing; only a power cut may lose the last commits.
    `--sqlite-url=file:${dir}/?_pragma=synchronous(normal)`,
    `--state-dir=${dir}`,
    `--listen-addr=127.0.0.1:${port}`,
    // No debug HTTP port, so several servers can run at once; no telemetry, the machines are offline.
    '--debug-addr=-',
    '--telemetry=disable',
  ];
  const started = await spawnServer('FerretDB', binary, args, port, 'ferretdb', log);
  // The owner keeps the _id indexes FerretDB's queries can use (see ferretdb-sqlite-indexes.ts).
  const stopKeeping = keepIdIndexes(dir, ID_INDEX_CHECK_MS, log);
  // A server that dies stops its keeper too; the supervisor's restart starts a new one.
  void started.exited?.then(stopKeeping);
  return { ...started, stopProcess: async () => { stopKeeping(); await started.stopProcess(); } };
}

/** FerretDB on a PostgreSQL database (`FERRETDB_POSTGRESQL_URL`), with the `_id` indexes its queries can use (ferretdb-postgresql-indexes.ts). */
async function startFerretDbOnPostgres(dataDir: string, toolsDir: string, url: string, log: (msg: string) => void, fixedPort?: number): Promise<Started> {
  const binary = await ensureFerretDbBinary({ toolsDir, log });
  const dir = join(dataDir, 'ferretdb-postgresql');
  await mkdir(dir, { recursive: true });
  const port = fixedPort ?? (await freePort());
  log(`starting FerretDB ${FERRETDB_VERSION} (PostgreSQL ${new URL(url).host}${new URL(url).pathname}) on 127.0.0.1:${port} (state in ${dir})`);
  // FerretDB's statements put the field name in a parameter (`_jsonb->$1 @> $2`): a generic plan, which PostgreSQL
  // keeps once it was cheaper on a small table, can use no index; custom plans see `_jsonb->'_id'` and use the GIN index.
  // And a document's _jsonb lives out of line (TOAST), which the planner does not cost: on a table whose statistics
  // lag a bulk load it picks a scan that detoasts every row (400 ms at 10,000 applications) over the index (0.5 ms).
  // With seq scans off it takes an index where one serves the filter, and still scans where none does.
  const server = new URL(url);
  for (const [name, value] of [['plan_cache_mode', 'force_custom_plan'], ['enable_seqscan', 'off']]) {
    if (!server.searchParams.has(name)) server.searchParams.set(name, value);
  }
  const args = [`--handler=postgresql`, `--postgresql-url=${server.toString()}`, `--state-dir=${dir}`, `--listen-addr=127.0.0.1:${port}`, '--debug-addr=-', '--telemetry=disable'];
  const started = await spawnServer('FerretDB', binary, args, port, 'ferretdb', log);
  const stopKeeping = keepPostgresIdIndexes(url, ID_INDEX_CHECK_MS, log);
  void started.exited?.then(stopKeeping);
  return { ...started, stopProcess: async () => { stopKeeping(); await started.stopProcess(); } };
}

async function startMemoryServer(dataDir: string, log: (msg: string) => void): Promise<Started> {
  let memoryServer: typeof import('mongodb-memory-server-core');
  try {
    memoryServer = await import('mongodb-memory-server-core');
  } catch (error) {
    throw new Error('the optional package mongodb-memory-server-core is not installed', { cause: error });
  }
  const dbPath = join(dataDir, 'memory-server');
  await mkdir(dbPath, { recursive: true });
  log(`starting mongod through mongodb-memory-server (may download mongod; data in ${dbPath})`);
  let server: InstanceType<typeof memoryServer.MongoMemoryServer>;
  try {
    server = await memoryServer.MongoMemoryServer.create({ instance: { ip: '127.0.0.1', dbPath, storageEngine: 'wiredTiger' } });
  } catch (error) {
    throw new Error(`could not download or start mongod: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const pid = server.instanceInfo?.instance.mongodProcess?.pid;
  if (pid === undefined) {
    await server.stop({ doCleanup: false });
    throw new Error('mongodb-memory-server started without a mongod process');
  }
  const uri = server.getUri();
  return {
    pid,
    port: Number(new URL(uri).port),
    uri,
    kind: 'memory-server',
    stopProcess: async () => {
      // Keep the data: dbPath is the project's store, not a throwaway folder.
      await server.stop({ doCleanup: false });
    },
  };
}

/** Below this much free space the embedded store refuses to start: SQLite needs room for its WAL and checkpoints. */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;

function dataDirError(dataDir: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
    ? `数据目录只读或无写权限 / The data folder is read-only or not writable (${code})`
    : code === 'ENOSPC' || code === 'EDQUOT'
      ? `磁盘已满 / The disk is full (${code})`
      : `数据目录不可用 / The data folder cannot be used (${code ?? (error as Error).message})`;
  return new Error(`${why}: ${dataDir}. Free space or fix the permissions, or set DATA_DIR to a writable folder.`, { cause: error });
}

// A recursive mkdir on a read-only file system reports ENOENT; a plain mkdir under the nearest existing folder tells the real reason.
async function realMkdirError(dataDir: string, error: unknown): Promise<unknown> {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return error;
  let dir = dataDir;
  while (!existsSync(dirname(dir)) && dirname(dir) !== dir) dir = dirname(dir);
  return mkdir(dir).then(() => rm(dir, { recursive: true, force: true }).then(() => error), (real: unknown) => real);
}

// Fails the start with a clear reason instead of letting the store fail its first write (or corrupt a half-written page).
async function assertWritableDataDir(dataDir: string): Promise<void> {
  const probe = join(dataDir, `.write-probe-${process.pid}`);
  try {
    await writeFile(probe, 'ok', { flush: true });
    await rm(probe, { force: true });
  } catch (error) {
    throw dataDirError(dataDir, error);
  }
  const { bavail, bsize } = await statfs(dataDir);
  const free = bavail * bsize;
  if (free < MIN_FREE_BYTES) {
    throw new Error(`磁盘空间不足 / Not enough free disk space for the store: ${Math.round(free / 1048576)} MiB free in ${dataDir}, at least ${MIN_FREE_BYTES / 1048576} MiB needed. Free space or set DATA_DIR to another disk.`);
  }
}

function reusedServer(file: ServerFile): EmbeddedServer {
  // The owner supervises the server; this process's driver reconnects when it comes back on the same port.
  return { uri: file.uri, kind: file.kind, port: file.port, pid: file.pid, reused: true, restarts: 0, onRestart: () => () => {}, stop: async () => {} };
}

async function writeServerFile(serverFilePath: string, file: ServerFile): Promise<void> {
  const partial = `${serverFilePath}.${process.pid}`;
  await writeFile(partial, `${JSON.stringify(file, null, 2)}\n`);
  await rename(partial, serverFilePath);
}

// Synchronous so the exit hook can use it; a file naming another server belongs to a later launcher.
function removeServerFileOf(serverFilePath: string, pid: number): void {
  try {
    if ((JSON.parse(readFileSync(serverFilePath, 'utf8')) as ServerFile).pid === pid) rmSync(serverFilePath, { force: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
}

/**
 * The server this process started, supervised: when its process dies while not being stopped, it is started
 * again on the same port and data dir (with exponential backoff), so server.json and every client's URI stay
 * valid and the MongoDB drivers reconnect by themselves.
 */
function ownedServer(first: Started, serverFilePath: string, restart: Restart | undefined, log: (msg: string) => void): EmbeddedServer {
  let current = first;
  let stopping = false;
  let restarts = 0;
  let restarting: Promise<void> | undefined;
  const listeners = new Set<(event: { pid: number; restarts: number; downMs: number }) => void>();
  // A process that exits without stop() still takes its server along, so no orphan keeps the data dir.
  const onExit = () => {
    removeServerFileOf(serverFilePath, current.pid);
    signal(current.pid, 'SIGTERM');
  };
  process.once('exit', onExit);

  const stillOurs = async (pid: number) => {
    const file = await readServerFile(serverFilePath);
    return file !== undefined && file.pid === pid && file.ownerPid === process.pid;
  };
  const supervise = (server: Started, attempt: number) => {
    if (!restart || !server.exited) return;
    const upSince = Date.now();
    void server.exited.then(({ code, signal: sig }) => {
      if (stopping || server !== current) return;
      const downSince = Date.now();
      restarting = (async () => {
        let tries = Date.now() - upSince > STABLE_AFTER_MS ? 0 : attempt;
        for (;;) {
          const delay = RESTART_BACKOFF_MS[Math.min(tries, RESTART_BACKOFF_MS.length - 1)];
          log(`store server pid ${server.pid} exited (${code ?? sig}); restarting it on port ${server.port} in ${delay} ms (attempt ${tries + 1})`);
          await sleep(delay);
          if (stopping) return;
          // A later launcher replaced the server after giving up on us: supervising ours would put two servers on one data dir.
          if (!(await stillOurs(server.pid))) {
            log(`store server on port ${server.port} was replaced by another launcher; not restarting it`);
            return;
          }
          let next: Started;
          try {
            next = await restart(server.port);
          } catch (error) {
            log(`store server restart failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
            tries++;
            continue;
          }
          // Checked again after the start: a launcher may have given up waiting and replaced the server meanwhile.
          if (stopping || !(await stillOurs(server.pid))) {
            await next.stopProcess();
            return;
          }
          current = next;
          restarts++;
          await writeServerFile(serverFilePath, { pid: next.pid, port: next.port, uri: next.uri, kind: next.kind, ownerPid: process.pid });
          const downMs = Date.now() - downSince;
          log(`store server restarted (pid ${next.pid}, restart ${restarts}, down ${downMs} ms)`);
          for (const listener of listeners) listener({ pid: next.pid, restarts, downMs });
          supervise(next, tries + 1);
          return;
        }
      })().finally(() => {
        restarting = undefined;
      });
    });
  };
  supervise(first, 0);

  let stoppingDone: Promise<void> | undefined;
  return {
    uri: first.uri,
    kind: first.kind,
    port: first.port,
    get pid() {
      return current.pid;
    },
    reused: false,
    get restarts() {
      return restarts;
    },
    onRestart(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => {
      stoppingDone ??= (async () => {
        stopping = true;
        await restarting;
        process.off('exit', onExit);
        removeServerFileOf(serverFilePath, current.pid);
        await current.stopProcess();
      })();
      return stoppingDone;
    },
  };
}

/** The PostgreSQL database the embedded FerretDB runs on, when one is asked for (else SQLite). */
export const embeddedPostgresqlUrl = (given?: string): string | undefined => given ?? process.env.FERRETDB_POSTGRESQL_URL;

/**
 * Starts an embedded MongoDB-compatible server on `dataDir`, or reuses the one another process
 * already runs there (recorded in `<dataDir>/server.json`). Tries, in order: `mongod` on PATH,
 * FerretDB 1.24.2 with SQLite (built with Go into `toolsDir` on first use), mongodb-memory-server;
 * with `FERRETDB_POSTGRESQL_URL`, FerretDB on that PostgreSQL database only.
 * Throws, naming every way to fix it, when none of them can start.
 */
export async function startEmbeddedServer(opts: { dataDir: string; toolsDir?: string; log: (msg: string) => void; /** FerretDB on this PostgreSQL database instead (default: FERRETDB_POSTGRESQL_URL). */ postgresqlUrl?: string }): Promise<EmbeddedServer> {
  const { dataDir, log } = opts;
  const toolsDir = opts.toolsDir ?? DEFAULT_TOOLS_DIR;
  await mkdir(dataDir, { recursive: true }).catch(async (error: unknown) => {
    throw dataDirError(dataDir, await realMkdirError(dataDir, error));
  });
  await assertWritableDataDir(dataDir);
  const serverFilePath = join(dataDir, 'server.json');

  // The lock keeps two launchers on one data dir from starting two servers over the same files.
  return withFileLock(join(dataDir, 'server.lock'), LAUNCH_LOCK_TIMEOUT_MS, async () => {
    let existing = await readServerFile(serverFilePath);
    // A server killed a moment ago still looks alive until its owner reaps it, while the owner's restart may already answer
    // on its port: the server the file names is running only if it is still alive once the port answered.
    const answersAlive = async (file: ServerFile, timeoutMs: number) => isProcessAlive(file.pid) && (await answersPing(file.uri, timeoutMs)) && isProcessAlive(file.pid);
    let running = false;
    // A live owner restarts its crashed server on the same port; wait for that rather than start a second one.
    for (const until = Date.now() + OWNER_RESTART_WAIT_MS; existing && isProcessAlive(existing.ownerPid) && Date.now() < until;) {
      if ((running = await answersAlive(existing, 1000))) break;
      log(`the ${existing.kind} server of pid ${existing.ownerPid} does not answer; waiting for its owner to restart it`);
      await sleep(1000);
      existing = await readServerFile(serverFilePath);
    }
    if (existing) {
      if (running || (isProcessAlive(existing.ownerPid) && (await answersAlive(existing, 2000)))) {
        log(`reusing the ${existing.kind} server already running on ${existing.uri} (pid ${existing.pid})`);
        return reusedServer(existing);
      }
      log(`replacing a stale ${serverFilePath} (server pid ${existing.pid}, owner pid ${existing.ownerPid})`);
      // An owner that crashed leaves its server running without anyone to stop it.
      if (isProcessAlive(existing.pid) && runsOnDataDir(existing.pid, dataDir)) await terminate(existing.pid);
      await rm(serverFilePath, { force: true });
    }

    // mongodb-memory-server manages its own mongod, so only the servers spawned here are supervised.
    // Asked for PostgreSQL, the store runs there or not at all (falling back would put the data elsewhere).
    const postgresqlUrl = embeddedPostgresqlUrl(opts.postgresqlUrl);
    const attempts: [string, () => Promise<Started>, Restart | undefined][] = postgresqlUrl
      ? [['FerretDB (PostgreSQL)', () => startFerretDbOnPostgres(dataDir, toolsDir, postgresqlUrl, log), (port) => startFerretDbOnPostgres(dataDir, toolsDir, postgresqlUrl, log, port)]]
      : [
        ['mongod', () => startMongod(dataDir, log), (port) => startMongod(dataDir, log, port)],
        ['FerretDB', () => startFerretDb(dataDir, toolsDir, log), (port) => startFerretDb(dataDir, toolsDir, log, port)],
        ['mongodb-memory-server', () => startMemoryServer(dataDir, log), undefined],
      ];
    const failures: string[] = [];
    for (const [name, start, restart] of attempts) {
      let started: Started;
      try {
        started = await start();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        failures.push(`- ${name}: ${reason}`);
        log(`${name} unavailable: ${reason.split('\n')[0]}`);
        continue;
      }
      await writeServerFile(serverFilePath, { pid: started.pid, port: started.port, uri: started.uri, kind: started.kind, ownerPid: process.pid });
      return ownedServer(started, serverFilePath, restart, log);
    }
    throw new Error(
      [
        'No MongoDB server could be started for the embedded store:',
        ...failures,
        'Fix it one of these ways:',
        '1. set MONGODB_URI to a running MongoDB server (e.g. mongodb://127.0.0.1:27017);',
        '2. install MongoDB so that `mongod` is on PATH;',
        '3. install Go (on PATH or in /usr/local/go/bin) so FerretDB 1.24.2 can be built into .tools/,',
        '   or allow mongodb-memory-server to download mongod (network access to the MongoDB download site).',
      ].join('\n'),
    );
  });
}
