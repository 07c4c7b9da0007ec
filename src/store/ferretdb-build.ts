import { execFile as execFileCallback } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { access, chmod, cp, mkdir, mkdtemp, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const execFile = promisify(execFileCallback);

/** The FerretDB release the embedded store runs; the store rules in ENGINEERING.md are written against it. */
export const FERRETDB_VERSION = 'v1.24.2';

const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
const BUILD_LOCK_TIMEOUT_MS = 20 * 60_000;
const LOCK_POLL_MS = 250;
const EMPTY_LOCK_GRACE_MS = 5000;

/** Tells whether a process with this id exists (EPERM still means it exists, owned by someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Finds an executable by name on PATH, then in the given fallback paths; undefined when there is none. */
export async function findExecutable(name: string, fallbacks: string[] = []): Promise<string | undefined> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const candidate of [...dirs.map((dir) => join(dir, name)), ...fallbacks]) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}

async function tryCreateLock(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

// A lock file still empty after a while belongs to a process that died between creating and writing it.
async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return false;
  }
}

/**
 * Runs `fn` while holding an exclusive lock file (created with O_EXCL, holding the owner's pid),
 * so that several processes on one machine take turns. A lock left by a dead process is taken over.
 */
export async function withFileLock<T>(lockPath: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!(await tryCreateLock(lockPath))) {
    const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (holder > 0 ? !isProcessAlive(holder) : await olderThan(lockPath, EMPTY_LOCK_GRACE_MS)) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${lockPath} (held by pid ${holder || 'unknown'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function reportsVersion(binary: string): Promise<boolean> {
  try {
    const { stdout } = await execFile(binary, ['--version'], { timeout: 10_000 });
    return stdout.includes(`version: ${FERRETDB_VERSION}`);
  } catch {
    return false;
  }
}

async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makeWritable(path);
    else if (entry.isFile()) await chmod(path, 0o644);
  }
}

async function run(go: string, args: string[], cwd: string, goflags: string): Promise<string> {
  try {
    const { stdout } = await execFile(go, args, {
      cwd,
      env: { ...process.env, GOFLAGS: goflags },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`\`go ${args.join(' ')}\` failed: ${(stderr || stdout || String(error)).trim().slice(-2000)}`, { cause: error });
  }
}

async function build(go: string, toolsDir: string, binary: string, log: (msg: string) => void): Promise<void> {
  const started = Date.now();
  log(`building FerretDB ${FERRETDB_VERSION.slice(1)} with Go (first run only, ~1-3 min)…`);
  // `go mod download` outside any module, so the project's own go.mod (if one appears) is not touched.
  const scratch = await mkdtemp(join(tmpdir(), 'ferretdb-download-'));
  let moduleDir: string;
  try {
    const info = JSON.parse(await run(go, ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], scratch, '-mod=mod')) as { Dir?: string; Error?: string };
    if (!info.Dir) throw new Error(`go mod download gave no source directory: ${info.Error ?? 'no error reported'}`);
    moduleDir = info.Dir;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  log('FerretDB sources downloaded; compiling (this is the slow part)…');
  const sourceDir = join(toolsDir, 'src', 'ferretdb');
  await rm(sourceDir, { recursive: true, force: true });
  await cp(moduleDir, sourceDir, { recursive: true });
  // The module cache is read-only, and the release archive lacks version.txt, without which the binary panics at start.
  await makeWritable(sourceDir);
  await writeFile(join(sourceDir, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);

  const partial = `${binary}.partial-${process.pid}`;
  // -buildvcs=false: the copy sits inside this project's git repository, whose commit would clash with FerretDB's.
  await run(go, ['build', '-o', partial, './cmd/ferretdb'], sourceDir, '-buildvcs=false');
  await rename(partial, binary);
  if (!(await reportsVersion(binary))) throw new Error(`The FerretDB binary built at ${binary} does not report ${FERRETDB_VERSION}`);
  log(`FerretDB ${FERRETDB_VERSION.slice(1)} built in ${Math.round((Date.now() - started) / 1000)} s: ${binary}`);
}

/**
 * Returns the path of a FerretDB 1.24.2 binary in `<toolsDir>/bin`, building it with Go the first time.
 * Concurrent callers wait for one build. Throws when the binary is missing and Go is not installed.
 */
export async function ensureFerretDbBinary(opts: { toolsDir: string; log: (msg: string) => void }): Promise<string> {
  const binary = join(opts.toolsDir, 'bin', 'ferretdb');
  if (await reportsVersion(binary)) return binary;
  const go = await findExecutable('go', ['/usr/local/go/bin/go']);
  if (!go) throw new Error(`no FerretDB binary at ${binary} and Go is not installed to build it (no \`go\` on PATH or in /usr/local/go/bin)`);

  await mkdir(join(opts.toolsDir, 'bin'), { recursive: true });
  const lockPath = join(opts.toolsDir, 'ferretdb-build.lock');
  if (existsSync(lockPath)) opts.log('another process is building FerretDB; waiting for it…');
  await withFileLock(lockPath, BUILD_LOCK_TIMEOUT_MS, async () => {
    // Another process may have finished the build while this one waited for the lock.
    if (!(await reportsVersion(binary))) await build(go, opts.toolsDir, binary, opts.log);
  });
  return binary;
}
