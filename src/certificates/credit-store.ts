import { Schema, type Connection } from 'mongoose';
import { createKeyedLog } from '../store/keyed-log';
import { isDuplicateKey, readByIds } from '../store/store-traits';

/** 信用记录: a broken 容缺 promise or a false 告知承诺 pledge, which bars the applicant from those routes. */
export type CreditKind = 'broken_promise' | 'false_commitment';

export interface CreditRecord {
  uscc: string;
  kind: CreditKind;
  applicationId: string;
  createdAt: Date;
  note: string;
}

const creditSchema = new Schema(
  {
    _id: { type: String, required: true },
    uscc: { type: String, required: true, index: true },
    kind: { type: String, required: true },
    applicationId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    note: { type: String, default: '' },
  },
  { versionKey: false, autoIndex: false },
);

export type CreditStore = ReturnType<typeof createCreditStore>;

export function createCreditStore(conn: Connection) {
  const Credits = conn.models.CreditRecord ?? conn.model('CreditRecord', creditSchema, 'credit_records');
  const Index = conn.models.CreditIndex ?? conn.model('CreditIndex', new Schema({ _id: String }, { strict: false, versionKey: false }), 'credit_index');
  // An applicant's records by `_id` through its log (see keyed-log.ts), read at every 容缺 or 告知承诺 acceptance.
  const logs = createKeyedLog(Index.collection);
  const recordsOf = async (uscc: string) => {
    const ids = [...new Set((await logs.newest(`uscc:${uscc}`, 1000)).map((e) => e.ref))];
    return (await readByIds<CreditRecord & { _id: string }>(Credits.collection, ids)).map(({ _id: _ignored, ...rest }) => rest as CreditRecord);
  };
  return {
    async ensureIndexes(): Promise<void> {
      await Promise.all([Credits.createIndexes(), Index.createIndexes()]);
    },
    /** Records once per (applicant, kind, application): a retried effect adds nothing to the records. */
    async record(entry: CreditRecord): Promise<void> {
      const id = `${entry.uscc}:${entry.kind}:${entry.applicationId}`;
      if (await Credits.collection.findOne({ _id: id as never }, { projection: { _id: 1 } })) return;
      await logs.append(`uscc:${entry.uscc}`, id, entry.createdAt);
      try {
        await Credits.collection.insertOne({ _id: id, ...entry } as never);
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
    },
    async kindsFor(uscc: string): Promise<CreditKind[]> {
      return [...new Set((await recordsOf(uscc)).map((d) => d.kind))];
    },
    async listFor(uscc: string): Promise<CreditRecord[]> {
      return (await recordsOf(uscc)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    },
  };
}
