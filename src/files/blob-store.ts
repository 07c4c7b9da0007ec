import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AppConfig } from '../config/app-config';
import { storeUnavailable } from '../errors';

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

// Two levels of fan-out by the hash's first characters, in a folder and in a bucket alike.
const keyOf = (sha256: string) => `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;

/** The default: a folder (under DATA_DIR), two levels of fan-out so no directory grows past a few thousand entries. */
export function createFolderBlobStore(root: string): BlobStore {
  const fileOf = (sha256: string) => path.join(root, ...keyOf(sha256).split('/'));
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

export interface S3BlobSettings {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

const isMissing = (e: unknown) => e instanceof NoSuchKey || e instanceof NotFound || (e as { name?: string }).name === 'NotFound' || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

/** S3-compatible object storage (AWS S3, MinIO, Ceph…): one object per hash, under the same fan-out keys as the folder. */
export function createS3BlobStore(settings: S3BlobSettings): BlobStore {
  const client = new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    ...(settings.accessKeyId ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey ?? '' } } : {}),
    // Checksums only where S3 requires them: many S3-compatible servers refuse the SDK's default aws-chunked CRC uploads.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = settings.bucket;
  // An object store that cannot be reached is the store being down: 503, retried by the client.
  const unavailable = (e: unknown) => storeUnavailable(e);
  return {
    kind: 's3',
    async put(bytes, contentType) {
      const sha256 = sha256Of(bytes);
      const Key = keyOf(sha256);
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key })).catch((e: unknown) => {
          if (isMissing(e)) return null;
          throw e;
        });
        if (head?.ContentLength !== bytes.length) await client.send(new PutObjectCommand({ Bucket, Key, Body: bytes, ContentType: contentType, ContentLength: bytes.length }));
      } catch (e) {
        throw unavailable(e);
      }
      return { sha256, size: bytes.length };
    },
    async get(sha256) {
      if (!isAddress(sha256)) return null;
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(sha256) }));
        return Buffer.from(await object.Body!.transformToByteArray());
      } catch (e) {
        if (isMissing(e)) return null;
        throw unavailable(e);
      }
    },
  };
}

/** The blob store the configuration names: S3 when S3_BUCKET is set, else the folder `<DATA_DIR>/files`. */
export function createBlobStore(config: AppConfig): BlobStore {
  if (!config.s3Bucket) return createFolderBlobStore(path.join(config.dataDir, 'files'));
  return createS3BlobStore({
    bucket: config.s3Bucket,
    endpoint: config.s3Endpoint || undefined,
    region: config.s3Region,
    accessKeyId: config.s3AccessKeyId || undefined,
    secretAccessKey: config.s3SecretAccessKey || undefined,
    forcePathStyle: config.s3ForcePathStyle,
  });
}
