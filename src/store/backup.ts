import { execFile as execFileCallback } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { ServerFile } from './embedded-server';
import { FERRETDB_VERSION, isProcessAlive, withFileLock } from './ferretdb-build';

const execFile = promisify(execFileCallback);

const FORMAT = 'permit-engine-ferretdb-backup';
const MANIFEST = 'manifest.json';
const LOCK_TIMEOUT_MS = 60_000;

/** One FerretDB database (one SQLite file) in a backup. */
export interface BackedUpDatabase {
  file: string;
  bytes: number;
  sha256: string;
  /** Documents per collection, as counted in the copy. */
  collections: Record<string, number>;
}

/** What `manifest.json` inside a backup archive says. */
export interface BackupManifest {
  format: typeof FORMAT;
  version: 1;
  createdAt: string;
  ferretdb: string;
  source: string;
  databases: BackedUpDatabase[];
}

/** Where the embedded FerretDB keeps its SQLite files, under the launcher's folder (`<DATA_DIR>/store`). */
export const ferretDbDir = (storeDir: string) => join(storeDir, 'ferretdb');

const mongodumpHint = (uri: string) =>
  `请用 mongodump 备份 / Back up MongoDB with mongodump: mongodump --uri '${uri}' --archive=<file> --gzip (restore: mongorestore --uri ... --archive=<file> --gzip --drop); see the README.`;

// Streamed: an office's database file passes 2 GiB, more than one Buffer holds.
async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

// A copy that SQLite itself calls sound, with its documents counted per collection from FerretDB's own catalogue.
function inspect(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`SQLite integrity check of ${basename(path)} failed: ${String(check)}`);
    const tables = db.prepare('SELECT name, table_name FROM _ferretdb_collections ORDER BY name').all() as { name: string; table_name: string }[];
    const counts: Record<string, number> = {};
    for (const t of tables) counts[t.name] = (db.prepare(`SELECT count(*) AS n FROM "${t.table_name.replaceAll('"', '""')}"`).get() as { n: number }).n;
    return counts;
  } finally {
    db.close();
  }
}

// The copy keeps the source's WAL flag; a checkpoint and close leave one self-contained file with no -wal beside it.
function settle(path: string): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

async function readServerFile(storeDir: string): Promise<ServerFile | undefined> {
  try {
    return JSON.parse(await readFile(join(storeDir, 'server.json'), 'utf8')) as ServerFile;
  } catch {
    return undefined;
  }
}

/**
 * Writes a consistent copy of the embedded FerretDB store in `storeDir` (the launcher's folder, `<DATA_DIR>/store`) to `file` (a .tar.gz with one
 * SQLite file per database and a manifest), while the service may be running: each database is copied
 * with SQLite's online backup API in one step, which reads one snapshot of it. Refuses, pointing to mongodump, for
 * MONGODB_URI and for an embedded mongod.
 */
export async function backupEmbeddedStore(opts: { storeDir: string; file: string; mongodbUri?: string; now?: Date }): Promise<BackupManifest> {
  if (opts.mongodbUri) throw new Error(`MONGODB_URI 已设置，不是内置存储 / MONGODB_URI is set, so the store is not the embedded one. ${mongodumpHint(opts.mongodbUri)}`);
  const server = await readServerFile(opts.storeDir);
  if (server && server.kind !== 'ferretdb') throw new Error(`内置存储运行的是 ${server.kind} / The embedded store runs ${server.kind}, not FerretDB. ${mongodumpHint(server.uri)}`);
  const source = ferretDbDir(opts.storeDir);
  const files = existsSync(source) ? (await readdir(source)).filter((f) => f.endsWith('.sqlite')).sort() : [];
  if (!files.length) throw new Error(`没有可备份的 FerretDB 数据 / No FerretDB database (*.sqlite) in ${source}; is DATA_DIR right?`);

  const target = resolve(opts.file);
  await mkdir(dirname(target), { recursive: true });
  const work = await mkdtemp(join(dirname(target), '.backup-'));
  try {
    const databases: BackedUpDatabase[] = [];
    for (const file of files) {
      const copy = join(work, file);
      const db = new Database(join(source, file), { fileMustExist: true });
      try {
        // FerretDB may hold the write lock for a moment; the copy then waits instead of failing.
        db.pragma('busy_timeout = 30000');
        // SQLite's online backup, all remaining pages in one step: one read snapshot, so a write meanwhile cannot tear it.
        // (VACUUM INTO re-parses FerretDB's index DDL, whose double-quoted "_id" this build of SQLite refuses.)
        await db.backup(copy, { progress: ({ totalPages }) => totalPages + 1 });
      } finally {
        db.close();
      }
      settle(copy);
      databases.push({ file, bytes: (await stat(copy)).size, sha256: await sha256(copy), collections: inspect(copy) });
    }
    const manifest: BackupManifest = { format: FORMAT, version: 1, createdAt: (opts.now ?? new Date()).toISOString(), ferretdb: FERRETDB_VERSION, source, databases };
    await writeFile(join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    const partial = `${target}.partial`;
    await execFile('tar', ['-czf', partial, '-C', work, MANIFEST, ...files]);
    await rename(partial, target);
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Puts a backup written by backupEmbeddedStore back as the embedded store in `storeDir` (`<DATA_DIR>/store`). The service must
 * be stopped; the current FerretDB folder is kept beside it (`ferretdb.before-restore-<time>`), never
 * overwritten, and every file is checked (SHA-256, SQLite integrity) before it replaces anything.
 */
export async function restoreEmbeddedStore(opts: { storeDir: string; file: string; now?: Date }): Promise<{ manifest: BackupManifest; keptPrevious: string | null }> {
  const { storeDir } = opts;
  await mkdir(storeDir, { recursive: true });
  // The launcher takes this lock to start a server, so none can start on the folder while it is being replaced.
  return withFileLock(join(storeDir, 'server.lock'), LOCK_TIMEOUT_MS, async () => {
    const server = await readServerFile(storeDir);
    if (server && (isProcessAlive(server.pid) || isProcessAlive(server.ownerPid))) {
      throw new Error(`服务仍在运行，请先停止 / The service is still running on this store (server pid ${server.pid}, owner pid ${server.ownerPid}); stop it first, then restore.`);
    }
    const work = await mkdtemp(join(storeDir, '.restore-'));
    try {
      await execFile('tar', ['-xzf', resolve(opts.file), '-C', work]);
      const manifest = JSON.parse(await readFile(join(work, MANIFEST), 'utf8')) as BackupManifest;
      if (manifest.format !== FORMAT || manifest.version !== 1) throw new Error(`${opts.file} 不是本系统的备份 / is not a permit-engine FerretDB backup`);
      for (const db of manifest.databases) {
        const path = join(work, basename(db.file));
        if ((await sha256(path)) !== db.sha256) throw new Error(`备份文件已损坏 / ${db.file} in the backup does not match its checksum`);
        inspect(path);
      }
      await rm(join(work, MANIFEST));
      const target = ferretDbDir(storeDir);
      let keptPrevious: string | null = null;
      if (existsSync(target)) {
        keptPrevious = `${target}.before-restore-${(opts.now ?? new Date()).toISOString().replaceAll(':', '-')}`;
        await rename(target, keptPrevious);
      }
      // A fresh folder: no WAL or shared-memory file of the old databases can be replayed over the restored ones.
      await rename(work, target);
      await rm(join(storeDir, 'server.json'), { force: true });
      return { manifest, keptPrevious };
    } catch (error) {
      await rm(work, { recursive: true, force: true });
      throw error;
    }
  });
}
