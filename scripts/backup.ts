/**
 * `npm run backup -- <file>`: a consistent copy of the embedded FerretDB store of DATA_DIR, taken while
 * the service runs (SQLite's online backup API, one snapshot per database), as one .tar.gz with a manifest.
 * `npm run restore -- <file>` puts it back (service stopped).
 */
import path from 'node:path';
import { loadConfig } from '../src/config/app-config';
import { backupEmbeddedStore } from '../src/store/backup';

const USAGE = 'Usage: npm run backup -- <file.tar.gz>   (embedded FerretDB store of DATA_DIR; the service may keep running)';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file || file.startsWith('-')) throw new Error(USAGE);
  const config = loadConfig();
  const started = Date.now();
  const manifest = await backupEmbeddedStore({ storeDir: path.join(config.dataDir, 'store'), file, mongodbUri: config.mongodbUri || undefined });
  for (const db of manifest.databases) {
    const docs = Object.values(db.collections).reduce((sum, n) => sum + n, 0);
    console.log(`  ${db.file}  ${(db.bytes / 1024).toFixed(0)} KiB  ${Object.keys(db.collections).length} collections  ${docs} documents  sha256 ${db.sha256.slice(0, 12)}…`);
  }
  console.log(`已备份 ${manifest.databases.length} 个数据库 / Backed up ${manifest.databases.length} database(s) from ${manifest.source} to ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: Error) => {
  console.error(`备份失败 / Backup failed: ${err.message}`);
  process.exit(1);
});
