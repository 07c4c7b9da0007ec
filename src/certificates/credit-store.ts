import { Schema, type Connection } from 'mongoose';

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
  return {
    async ensureIndexes(): Promise<void> {
      await Credits.createIndexes();
    },
    /** Records once per (applicant, kind, application): a retried effect adds nothing. */
    async record(entry: CreditRecord): Promise<void> {
      try {
        await Credits.collection.insertOne({ _id: `${entry.uscc}:${entry.kind}:${entry.applicationId}`, ...entry } as never);
      } catch (e) {
        if ((e as { code?: number }).code !== 11000) throw e;
      }
    },
    async kindsFor(uscc: string): Promise<CreditKind[]> {
      const docs = await Credits.find({ uscc }).select({ kind: 1 }).lean<{ kind: CreditKind }[]>();
      return [...new Set(docs.map((d) => d.kind))];
    },
    async listFor(uscc: string): Promise<CreditRecord[]> {
      const docs = await Credits.find({ uscc }).sort({ createdAt: -1 }).lean<(CreditRecord & { _id: string })[]>();
      return docs.map(({ _id: _ignored, ...rest }) => rest);
    },
  };
}
