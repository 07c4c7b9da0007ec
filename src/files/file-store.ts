import { randomUUID } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import type { Actor } from '../engine/application-record';
import { AppError } from '../errors';
import { claimNext, createKeyedLog } from '../store/keyed-log';
import { readByIds } from '../store/store-traits';

/** One stored file of a material: its metadata here, its bytes in the blob store under `sha256`. */
export interface FileRecord {
  id: string;
  applicationId: string;
  material: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  /** 1 for the material's first file, then one more for each file uploaded to it again; older versions are kept. */
  version: number;
  by: Actor;
  at: Date;
}

/** Most files one application's index lists (every version counts), so reading it stays bounded. */
export const MAX_FILES_PER_APPLICATION = 500;

export const MIB = 1024 * 1024;

/** A file as it arrived: its form field, its name (UTF-8) and its bytes, held in memory up to the per-file limit. */
export interface Upload {
  field: string;
  name: string;
  bytes: Buffer;
}
const indexKey = (applicationId: string) => `files:${applicationId}`;

const fileSchema = new Schema(
  {
    _id: String,
    applicationId: String,
    material: String,
    name: String,
    contentType: String,
    size: Number,
    sha256: String,
    version: Number,
    by: Schema.Types.Mixed,
    at: Date,
  },
  { versionKey: false, autoIndex: false },
);

export type FileStore = ReturnType<typeof createFileStore>;

/**
 * File metadata, read only by `_id`: a file by its id, an application's files through its file index, a keyed log
 * (`files:<application>#1`, `#2`…). Each index entry carries the application's running byte total and each
 * material's last version, computed from the entry before it; claiming an entry is one insert of a unique `_id`, so
 * concurrent uploads to one application each get their own entry, version and total, and none is lost.
 */
export function createFileStore(conn: Connection) {
  const Files = conn.models.MaterialFile ?? conn.model('MaterialFile', fileSchema, 'material_files');
  const Index = conn.models.FileIndex ?? conn.model('FileIndex', new Schema({ _id: String }, { strict: false, versionKey: false }), 'file_index');
  const log = createKeyedLog(Index.collection);

  const toRecord = (doc: Record<string, unknown>): FileRecord => {
    const { _id, ...rest } = doc;
    return { id: String(_id), ...rest } as FileRecord;
  };

  return {
    /**
     * Records a new file of a material: claims its index entry (its version, and the application's total checked
     * against `maxApplicationBytes`: 413 past it, nothing written), then `storeBytes`, then the metadata. A crash in
     * between leaves an entry pointing at nothing, which readers skip.
     */
    async add(
      file: Omit<FileRecord, 'id' | 'version' | 'at'>,
      options: { maxApplicationBytes: number; now: Date; storeBytes: () => Promise<unknown> },
    ): Promise<FileRecord> {
      const id = randomUUID();
      const key = indexKey(file.applicationId);
      let version = 0;
      await claimNext(Index.collection, key, '#', async (n) => {
        if (n > MAX_FILES_PER_APPLICATION) throw tooLarge(`申请文件数已达上限 ${MAX_FILES_PER_APPLICATION} 个 / An application holds at most ${MAX_FILES_PER_APPLICATION} files`);
        const previous = n > 1 ? await Index.collection.findOne({ _id: `${key}#${n - 1}` as never }) : null;
        const bytes = Number(previous?.bytes ?? 0) + file.size;
        if (bytes > options.maxApplicationBytes) {
          const limit = Math.floor(options.maxApplicationBytes / MIB);
          throw tooLarge(`本申请的文件合计超过 ${limit} MiB / The files of this application would exceed ${limit} MiB in all`);
        }
        const versions = { ...((previous?.versions as Record<string, number> | undefined) ?? {}) };
        version = (versions[file.material] ?? 0) + 1;
        versions[file.material] = version;
        return { ref: id, at: options.now, bytes, versions };
      });
      await options.storeBytes();
      const record: FileRecord = { ...file, id, version, at: options.now };
      const { id: _id, ...fields } = record;
      await Files.collection.insertOne({ _id: id as never, ...fields });
      return record;
    },

    /** One file's metadata, or null. */
    async get(id: string): Promise<FileRecord | null> {
      const doc = await Files.collection.findOne({ _id: id as never });
      return doc ? toRecord(doc) : null;
    },

    /** Every file of an application, newest upload first: its index entries, then the files, all by `_id`. */
    async forApplication(applicationId: string): Promise<FileRecord[]> {
      const entries = await log.newest(indexKey(applicationId), MAX_FILES_PER_APPLICATION);
      const docs = await readByIds<Record<string, unknown>>(Files.collection, entries.map((e) => e.ref));
      return docs.map(toRecord);
    },
  };
}

const tooLarge = (message: string) => new AppError('PAYLOAD_TOO_LARGE', message);
