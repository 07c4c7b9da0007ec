import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where uploaded files and issued documents keep their bytes, addressed by SHA-256 (the same bytes are kept once). */
export interface BlobStore {
  /** Stores the bytes (once: a second put of the same bytes keeps the first); returns their address. */
  put(bytes: Buffer, contentType: string): Promise<{ sha256: string; size: number }>;
  /** The bytes at an address, or null when nothing is stored there. */
  get(sha256: string): Promise<Buffer | null>;
  readonly kind: string;
}

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const isAddress = (sha256: string) => /^[0-9a-f]{64}$/.test(sha256);

/** The default: a folder (under DATA_DIR), two levels of fan-out so no directory grows past a few thousand entries. */
export function createFolderBlobStore(root: string): BlobStore {
  const fileOf = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  return {
    kind: 'folder',
    async put(bytes) {
      const sha256 = sha256Of(bytes);
      const file = fileOf(sha256);
      const exists = await stat(file).then((s) => s.size === bytes.length, () => false);
      if (!exists) {
        await mkdir(path.dirname(file), { recursive: true });
        // Written aside and renamed: a crash never leaves a partial file at the address.
        const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
        await writeFile(temp, bytes);
        await rename(temp, file);
      }
      return { sha256, size: bytes.length };
    },
    async get(sha256) {
      if (!isAddress(sha256)) return null;
      return readFile(fileOf(sha256)).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return null;
        throw e;
      });
    },
  };
}
