/** `npm run restore -- <file>`: puts a backup of `npm run backup` back as the embedded store of DATA_DIR (service stopped). */
import path from 'node:path';
import { loadConfig } from '../src/config/app-config';
import { restoreEmbeddedStore } from '../src/store/backup';

const USAGE = 'Usage: npm run restore -- <file.tar.gz>   (stop the service first; the current store is kept beside the restored one)';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file || file.startsWith('-')) throw new Error(USAGE);
  const config = loadConfig();
  if (config.mongodbUri) throw new Error('MONGODB_URI 已设置 / MONGODB_URI is set: restore a MongoDB deployment with mongorestore (see the README).');
  const { manifest, keptPrevious } = await restoreEmbeddedStore({ storeDir: path.join(config.dataDir, 'store'), file });
  console.log(`已恢复 ${manifest.databases.length} 个数据库（备份于 ${manifest.createdAt}）/ Restored ${manifest.databases.length} database(s) backed up at ${manifest.createdAt} into ${config.dataDir}`);
  if (keptPrevious) console.log(`  the store it replaced is kept in ${keptPrevious} (delete it when no longer needed)`);
}

main().catch((err: Error) => {
  console.error(`恢复失败 / Restore failed: ${err.message}`);
  process.exit(1);
});
