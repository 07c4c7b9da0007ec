import { Schema, type Connection } from 'mongoose';
import { AppError, isAppError } from '../errors';
import { versionedUpdate } from '../store/versioned-update';

export type CertificateStatus = 'valid' | 'expired' | 'revoked' | 'cancelled' | 'superseded';

export interface CertificateRecord {
  number: string;
  applicationId: string;
  itemCode: string;
  itemName: string;
  holder: { name: string; uscc: string; email: string };
  department: string;
  jurisdiction: string;
  issuedOn: string;
  /** First day of validity: the issue date, or the day after the old certificate's last day for a renewal. */
  validFrom?: string;
  /** Last day of validity (YYYY-MM-DD, Asia/Shanghai); null for an item without a validity period. */
  validUntil: string | null;
  status: CertificateStatus;
  /** The certificate this one renews (延续), and the one that renewed this one. */
  renewalOf?: string | null;
  supersededBy?: string | null;
  history: { at: Date; action: string; note: string }[];
  version: number;
}

/** What the reminder run reads of a certificate: no history. */
export type CertificateSummary = Omit<CertificateRecord, 'history' | 'version'>;

const certificateSchema = new Schema(
  {
    _id: { type: String, required: true },
    applicationId: { type: String, required: true, unique: true },
    itemCode: { type: String, required: true },
    itemName: { type: String, required: true },
    holder: { type: Schema.Types.Mixed, required: true },
    department: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    issuedOn: { type: String, required: true },
    validFrom: { type: String },
    validUntil: { type: String, default: null },
    status: { type: String, required: true },
    renewalOf: { type: String, default: null },
    supersededBy: { type: String, default: null },
    history: { type: Schema.Types.Mixed, default: [] },
    version: { type: Number, required: true },
  },
  { versionKey: false, autoIndex: false },
);
certificateSchema.index({ 'holder.uscc': 1 });
// The reminder and expiry runs and the "expiring within N days" list are each one range scan on this index.
certificateSchema.index({ status: 1, validUntil: 1 });
certificateSchema.index({ jurisdiction: 1, issuedOn: -1 });

const SUMMARY_PROJECTION = { history: 0, version: 0 };

export interface CertificateListFilter {
  uscc?: string;
  itemCode?: string;
  status?: CertificateStatus[];
  /** Jurisdictions the reader covers. */
  jurisdictions: string[];
}

export type CertificateStore = ReturnType<typeof createCertificateStore>;

/** Certificates (证照): one per approved application, guaranteed by a unique index on the application. */
export function createCertificateStore(conn: Connection) {
  const Certificates = conn.models.Certificate ?? conn.model('Certificate', certificateSchema, 'certificates');
  const Journal = conn.models.CertificateJournal ?? conn.model('CertificateJournal', new Schema({ _id: String }, { strict: false, versionKey: false }), 'certificate_journal');
  const toRecord = (doc: Record<string, unknown> | null): CertificateRecord | null => {
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return { number: String(_id), ...rest } as CertificateRecord;
  };
  const toSummary = (doc: Record<string, unknown>) => toRecord(doc) as CertificateSummary;

  return {
    async ensureIndexes(): Promise<void> {
      await Certificates.createIndexes();
    },
    async findByApplication(applicationId: string): Promise<CertificateRecord | null> {
      return toRecord(await Certificates.findOne({ applicationId }).lean<Record<string, unknown>>());
    },
    async find(number: string): Promise<CertificateRecord | null> {
      return toRecord(await Certificates.findById(number).lean<Record<string, unknown>>());
    },
    async listByHolder(uscc: string): Promise<CertificateRecord[]> {
      const docs = await Certificates.find({ 'holder.uscc': uscc }).sort({ issuedOn: -1 }).lean<Record<string, unknown>[]>();
      return docs.map((d) => toRecord(d)!);
    },
    /** Certificates in the reader's jurisdictions, newest first. */
    async list(filter: CertificateListFilter, page: { offset: number; limit: number }): Promise<{ items: CertificateSummary[]; total: number }> {
      const query: Record<string, unknown> = { jurisdiction: { $in: filter.jurisdictions } };
      if (filter.uscc) query['holder.uscc'] = filter.uscc;
      if (filter.itemCode) query.itemCode = filter.itemCode;
      if (filter.status?.length) query.status = { $in: filter.status };
      const [docs, total] = await Promise.all([
        Certificates.find(query, SUMMARY_PROJECTION).sort({ issuedOn: -1, _id: -1 }).skip(page.offset).limit(page.limit).lean<Record<string, unknown>[]>(),
        Certificates.countDocuments(query),
      ]);
      return { items: docs.map(toSummary), total };
    },
    /** Valid certificates whose last day falls in [from, to], soonest first. */
    async expiringBetween(from: string, to: string, jurisdictions: string[], page: { offset: number; limit: number }): Promise<{ items: CertificateSummary[]; total: number }> {
      const query = { status: 'valid', validUntil: { $gte: from, $lte: to }, jurisdiction: { $in: jurisdictions } };
      const [docs, total] = await Promise.all([
        Certificates.find(query, SUMMARY_PROJECTION).sort({ validUntil: 1, _id: 1 }).skip(page.offset).limit(page.limit).lean<Record<string, unknown>[]>(),
        Certificates.countDocuments(query),
      ]);
      return { items: docs.map(toSummary), total };
    },
    /**
     * Every valid certificate whose last day falls in [from, to], in pages: one range scan on
     * {status, validUntil}, read through a single cursor. No sort is asked for: the job needs none, and a
     * store that cannot sort from the index (FerretDB 1.x) would hold every match in memory to sort it.
     */
    async *scanValidUntil(from: string, to: string, pageSize = 500): AsyncGenerator<CertificateSummary[]> {
      const cursor = Certificates.collection
        .find({ status: 'valid', validUntil: { $gte: from, $lte: to } }, { projection: SUMMARY_PROJECTION })
        .batchSize(pageSize);
      let page: CertificateSummary[] = [];
      try {
        for await (const doc of cursor) {
          page.push(toSummary(doc));
          if (page.length >= pageSize) {
            yield page;
            page = [];
          }
        }
        if (page.length) yield page;
      } finally {
        await cursor.close();
      }
    },
    /** Inserts a certificate; a second insert for the same application returns the first one instead. */
    async insertOnce(record: CertificateRecord): Promise<CertificateRecord> {
      const { number, ...rest } = record;
      try {
        await Certificates.collection.insertOne({ _id: number, ...rest } as never);
        return record;
      } catch (e) {
        if ((e as { code?: number }).code !== 11000) throw e;
        const existing = await this.findByApplication(record.applicationId);
        if (!existing) throw new AppError('DUPLICATE', `证照编号重复 / Certificate number ${number} is already taken`);
        return existing;
      }
    },
    /**
     * Changes the status (and any `set` fields) through a versioned write, retrying on a concurrent
     * change; false when `from` no longer holds.
     */
    async setStatus(
      number: string, status: CertificateStatus, action: string, note: string, at: Date,
      from?: CertificateStatus[], set: Partial<Pick<CertificateRecord, 'supersededBy'>> = {},
    ): Promise<boolean> {
      for (let attempt = 0; attempt < 10; attempt++) {
        const current = await this.find(number);
        if (!current) throw new AppError('NOT_FOUND', `证照不存在 / Certificate ${number} not found`);
        if (from && !from.includes(current.status)) return false;
        try {
          await versionedUpdate(Certificates.collection, Journal.collection, number, current.version, { set: { ...set, status }, push: { history: [{ at, action, note }] } }, {}, at);
          return true;
        } catch (e) {
          if (!(isAppError(e) && e.code === 'VERSION_CONFLICT')) throw e;
          // The other writer may still be between its claim and its write: give it time before reading again.
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random())));
        }
      }
      throw new AppError('VERSION_CONFLICT', `证照 ${number} 更新冲突 / Certificate ${number} keeps changing; retry`);
    },
  };
}
