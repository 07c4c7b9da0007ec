import type { Connection, mongo } from 'mongoose';
import { claimNext } from '../store/keyed-log';
import { isDuplicateKey } from '../store/store-traits';
import type { InstrumentKind } from './instruments';

/** One issued instrument: what it is, its 文号 and where its bytes are (immutable once inserted). */
export interface DocumentRecord {
  id: string;
  applicationId: string;
  kind: InstrumentKind;
  number: string;
  title: string;
  issuedAt: Date;
  sha256: string;
  size: number;
}

export type DocumentStore = ReturnType<typeof createDocumentStore>;

/**
 * Issued documents (`documents`, read by `_id` only) and their number sequences (`document_numbers`): one
 * sequence per office, kind and year, each number an inserted `<key>:<n>` stamped with the document it is for.
 */
export function createDocumentStore(conn: Connection) {
  const documents = conn.db!.collection('documents');
  const numbers = conn.db!.collection('document_numbers');
  const toRecord = (doc: mongo.Document | null): DocumentRecord | null => {
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return { id: String(_id), ...rest } as DocumentRecord;
  };

  // This process's last serial per sequence: tried first, so a claim usually reads no hint (a stale guess only costs a retry).
  const lastSerial = new Map<string, number>();

  return {
    async get(id: string): Promise<DocumentRecord | null> {
      return toRecord(await documents.findOne({ _id: id as never }));
    },

    /**
     * The serial of document `owner` in sequence `key`: the next free one, or the one it claimed before when it is
     * issued again (a retried effect). The owner's intent is written before each insert, so a crash between the two
     * leaves the claim findable by `_id`: a number is never claimed twice and never left behind.
     */
    async claimSerial(owner: string, key: string, at: Date): Promise<number> {
      const intentId = `owner:${owner}`;
      const intent = await numbers.findOne({ _id: intentId as never });
      const intend = async (n: number) => {
        await numbers.updateOne({ _id: intentId as never }, { $set: { key, candidate: n } }, { upsert: true }).catch((e) => {
          if (!isDuplicateKey(e)) throw e;
        });
      };
      const before = intent?.key === key && typeof intent.candidate === 'number' ? intent.candidate - 1 : undefined;
      const n = await claimNext(numbers, key, ':', (k) => ({ key, n: k, at }), before ?? lastSerial.get(key), { id: owner, intend });
      lastSerial.set(key, Math.max(n, lastSerial.get(key) ?? 0));
      return n;
    },

    /** Inserts the record; an issue that ran before returns the one stored first. */
    async insertOnce(record: DocumentRecord): Promise<DocumentRecord> {
      const { id, ...rest } = record;
      try {
        await documents.insertOne({ _id: id as never, ...rest });
        return record;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        return (await this.get(id))!;
      }
    },
  };
}
