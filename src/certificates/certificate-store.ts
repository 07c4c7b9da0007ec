import { Schema, type Connection } from 'mongoose';
import { addCalendarDays } from '../calendar';
import { withConflictRetry } from '../conflict-retry';
import { AppError } from '../errors';
import { createKeyedLog, type LogEntry } from '../store/keyed-log';
import { ignoreDuplicateWrites, isDuplicateKey, readByIds } from '../store/store-traits';
import { versionedUpdate } from '../store/versioned-update';

export type CertificateStatus = 'valid' | 'expired' | 'revoked' | 'cancelled' | 'superseded';

/** Why a certificate was cancelled (注销, Art. 70), by whom and when. */
export interface CertificateCancellation {
  reason: 'on_request' | 'expired' | 'dissolved' | 'revoked' | 'force_majeure';
  note: string;
  at: Date;
  /** Staff username, or `system` for the reminder run's cancellation of an expired certificate. */
  by: string;
}

export interface CertificateRecord {
  number: string;
  applicationId: string;
  itemCode: string;
  itemName: string;
  /** The holder; `principal` and `address` once a change (变更) has named them; `mobile` when the application's contact gave one (SMS reminders). */
  holder: { name: string; uscc: string; email: string; mobile?: string; principal?: string; address?: string };
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
  cancellation?: CertificateCancellation | null;
  /** 变更: the certificate this one replaces with changed details (same validity); why this one was superseded. */
  changeOf?: string | null;
  supersededFor?: 'renewal' | 'change' | null;
  history: { at: Date; action: string; note: string }[];
  /** 电子证照 (GB/T 36901–36905): its identifier and what it is built from; absent on certificates made before them or by an office without a code. */
  licence?: LicenceFields | null;
  /** The PDF that was issued: its document and SHA-256, which the public check answers with. */
  pdf?: { documentId: string; sha256: string } | null;
  version: number;
}

/** The national electronic licence fields a certificate carries beside its own. */
export interface LicenceFields {
  /** 证照标识: 1.2.156.3005.2.<type code>.<issuer USCC>.<serial>.<version>.<check>. */
  id: string;
  typeCode: string;
  serial: string;
  /** 版本号: 1 when issued, one more with each change (变更), which keeps the serial. */
  version: number;
  /** The identifier of the licence this one changes or renews. */
  previousId: string | null;
  /** 颁发机构 and its code (USCC). */
  issuer: { name: string; code: string };
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
    cancellation: { type: Schema.Types.Mixed, default: null },
    changeOf: { type: String, default: null },
    supersededFor: { type: String, default: null },
    licence: { type: Schema.Types.Mixed, default: null },
    pdf: { type: Schema.Types.Mixed, default: null },
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

// Keyed logs over the certificates (see keyed-log.ts), so no list or run reads every certificate ever issued.
const logKey = {
  jurisdiction: (j: string, itemCode?: string) => `j:${j}${itemCode ? `:${itemCode}` : ''}`,
  holder: (uscc: string) => `h:${uscc}`,
  /** The certificates whose last day is `date`, everywhere or in one jurisdiction. */
  lastDay: (date: string, j?: string) => `until:${date}${j ? `:${j}` : ''}`,
};
// A list filtered by status reads at most this many of the newest certificates (narrow it by holder for more).
const STATUS_SCAN_LIMIT = 5000;

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

  const Index = conn.models.CertificateIndex ?? conn.model('CertificateIndex', new Schema({ _id: String }, { strict: false, versionKey: false }), 'certificate_index');
  const logs = createKeyedLog(Index.collection);
  const summaries = async (entries: LogEntry[]) =>
    (await readByIds(Certificates.collection, [...new Set(entries.map((e) => e.ref))], SUMMARY_PROJECTION)).map(toSummary);
  const byNewest = (a: LogEntry, b: LogEntry) => b.at.getTime() - a.at.getTime() || (b.ref < a.ref ? -1 : 1);

  /** Everything that points to a certificate, written before it (see keyed-log.ts): its application's claim, its logs. */
  async function index(record: CertificateRecord): Promise<void> {
    const at = record.history[0]?.at ?? new Date();
    await logs.append(logKey.jurisdiction(record.jurisdiction), record.number, at);
    await logs.append(logKey.jurisdiction(record.jurisdiction, record.itemCode), record.number, at);
    await logs.append(logKey.holder(record.holder.uscc), record.number, at);
    if (record.validUntil) {
      await logs.append(logKey.lastDay(record.validUntil), record.number, at);
      await logs.append(logKey.lastDay(record.validUntil, record.jurisdiction), record.number, at);
    }
  }

  /** The newest entries of several logs merged, newest first, until `enough` pass `keep` or `cap` were read. */
  async function merged(keys: string[], keep: (c: CertificateSummary) => boolean, enough: number, cap: number) {
    const walkers = keys.map((k) => logs.walk(k, 50)[Symbol.asyncIterator]());
    const buffers: LogEntry[][] = await Promise.all(walkers.map(async (w) => (await w.next()).value ?? []));
    const kept: CertificateSummary[] = [];
    let read = 0;
    while (kept.length < enough && read < cap) {
      const batch: LogEntry[] = [];
      while (batch.length < 50) {
        let best = -1;
        buffers.forEach((b, i) => { if (b.length && (best < 0 || byNewest(b[0], buffers[best][0]) < 0)) best = i; });
        if (best < 0) break;
        batch.push(buffers[best].shift()!);
        if (!buffers[best].length) buffers[best] = (await walkers[best].next()).value ?? [];
      }
      if (!batch.length) break;
      read += batch.length;
      kept.push(...(await summaries(batch)).filter(keep));
    }
    return kept;
  }

  return {
    async ensureIndexes(): Promise<void> {
      await Promise.all([Certificates.createIndexes(), Index.createIndexes()]);
    },
    /** The certificate of an application: its number was claimed for the application before it was inserted. */
    async findByApplication(applicationId: string): Promise<CertificateRecord | null> {
      const claim = await Index.collection.findOne({ _id: `app:${applicationId}` as never });
      const cert = claim ? await this.find(claim.number) : null;
      return cert?.applicationId === applicationId ? cert : null;
    },
    async find(number: string): Promise<CertificateRecord | null> {
      return toRecord(await Certificates.collection.findOne({ _id: number as never }));
    },
    /** Certificates in the reader's jurisdictions, newest first; by holder, every one; by status, among the newest 5,000. */
    async list(filter: CertificateListFilter, page: { offset: number; limit: number }): Promise<{ items: CertificateSummary[]; total: number }> {
      const matches = (c: CertificateSummary) =>
        filter.jurisdictions.includes(c.jurisdiction) && (!filter.itemCode || c.itemCode === filter.itemCode) && (!filter.status?.length || filter.status.includes(c.status));
      if (filter.uscc) {
        const all = (await summaries(await logs.newest(logKey.holder(filter.uscc), 1000))).filter(matches);
        return { items: all.slice(page.offset, page.offset + page.limit), total: all.length };
      }
      const keys = filter.jurisdictions.map((j) => logKey.jurisdiction(j, filter.itemCode));
      if (!filter.status?.length) {
        const kept = await merged(keys, matches, page.offset + page.limit, page.offset + page.limit + 200);
        const total = (await Promise.all(keys.map((k) => logs.count(k)))).reduce((a, b) => a + b, 0);
        return { items: kept.slice(page.offset, page.offset + page.limit), total };
      }
      const kept = await merged(keys, matches, Infinity, STATUS_SCAN_LIMIT);
      return { items: kept.slice(page.offset, page.offset + page.limit), total: kept.length };
    },
    /** Valid certificates whose last day falls in [from, to], soonest first: the day logs of those days only. */
    async expiringBetween(from: string, to: string, jurisdictions: string[], page: { offset: number; limit: number }): Promise<{ items: CertificateSummary[]; total: number }> {
      const found: CertificateSummary[] = [];
      for (const date of daysBetween(from, to)) {
        const entries = (await Promise.all(jurisdictions.map((j) => logs.newest(logKey.lastDay(date, j), 10_000)))).flat();
        found.push(...(await summaries(entries)).filter((c) => c.status === 'valid' && c.validUntil === date && jurisdictions.includes(c.jurisdiction)));
      }
      found.sort((a, b) => a.validUntil!.localeCompare(b.validUntil!) || (a.number < b.number ? -1 : 1));
      return { items: found.slice(page.offset, page.offset + page.limit), total: found.length };
    },
    /**
     * Every valid certificate whose last day falls in [from, to], in pages: the day logs of those days, then
     * the certificates by `_id`. Reads what falls in the range, never the certificates outside it.
     */
    scanValidUntil(from: string, to: string, pageSize = 500): AsyncGenerator<CertificateSummary[]> {
      return this.scanLastDays(from, to, ['valid'], pageSize);
    },
    /** Like `scanValidUntil`, for certificates in any of `statuses`. */
    async *scanLastDays(from: string, to: string, statuses: CertificateStatus[], pageSize = 500): AsyncGenerator<CertificateSummary[]> {
      let page: CertificateSummary[] = [];
      for (const date of daysBetween(from, to)) {
        for await (const entries of logs.walk(logKey.lastDay(date), pageSize)) {
          page.push(...(await summaries(entries)).filter((c) => statuses.includes(c.status) && c.validUntil === date));
          if (page.length >= pageSize) {
            yield page;
            page = [];
          }
        }
      }
      if (page.length) yield page;
    },
    /** The last day up to which the reminder run has expired every lapsed certificate, if it ever ran. */
    async expiredThrough(): Promise<string | null> {
      return ((await Index.collection.findOne({ _id: 'expired-through' as never }))?.date as string | undefined) ?? null;
    },
    async setExpiredThrough(date: string, lower = false): Promise<void> {
      await Index.collection.updateOne({ _id: 'expired-through' as never }, { [lower ? '$min' : '$max']: { date } }, { upsert: true }).catch((e) => {
        if (!isDuplicateKey(e)) throw e;
      });
    },
    /** By item, the last day of validity up to which the reminder run has cancelled certificates expired without renewal. */
    async cancelledThrough(): Promise<Record<string, string>> {
      const { _id: _ignored, ...byItem } = (await Index.collection.findOne({ _id: 'cancelled-through' as never })) ?? {};
      return byItem as Record<string, string>;
    },
    async setCancelledThrough(itemCode: string, date: string, lower = false): Promise<void> {
      await Index.collection.updateOne({ _id: 'cancelled-through' as never }, { [lower ? '$min' : '$max']: { [itemCode]: date } }, { upsert: true }).catch((e) => {
        if (!isDuplicateKey(e)) throw e;
      });
    },
    /** Stores many certificates at once with their claims and logs (seeding and imports). */
    async insertMany(records: CertificateRecord[]): Promise<void> {
      if (!records.length) return;
      const unordered = { ordered: false } as const;
      await Index.collection.insertMany(records.map((r) => ({ _id: `app:${r.applicationId}`, number: r.number })) as never[], unordered).catch(ignoreDuplicateWrites);
      await logs.appendMany(records.flatMap((r) => {
        const at = r.history[0]?.at ?? new Date();
        return [
          { key: logKey.jurisdiction(r.jurisdiction), ref: r.number, at },
          { key: logKey.jurisdiction(r.jurisdiction, r.itemCode), ref: r.number, at },
          { key: logKey.holder(r.holder.uscc), ref: r.number, at },
          ...(r.validUntil ? [{ key: logKey.lastDay(r.validUntil), ref: r.number, at }, { key: logKey.lastDay(r.validUntil, r.jurisdiction), ref: r.number, at }] : []),
        ];
      }));
      await Certificates.collection.insertMany(records.map(({ number, ...rest }) => ({ _id: number, ...rest })) as never[], unordered).catch(ignoreDuplicateWrites);
    },
    /** Claims a certificate number for an application: the first claim wins and every later one gets its number. */
    async claimNumber(applicationId: string, number: string): Promise<string> {
      try {
        await Index.collection.insertOne({ _id: `app:${applicationId}`, number } as never);
        return number;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        return (await Index.collection.findOne({ _id: `app:${applicationId}` as never }))!.number as string;
      }
    },
    /** Rebuilds the certificate logs from the certificates themselves (a maintenance command, never run at start). */
    async rebuildViews(): Promise<number> {
      await Index.collection.deleteMany({ _id: { $not: /^(app:|expired-through$|cancelled-through$)/ } } as never);
      let done = 0;
      for await (const doc of Certificates.collection.find({}).sort({ issuedOn: 1 })) {
        const record = toRecord(doc)!;
        await this.claimNumber(record.applicationId, record.number);
        await index(record);
        done++;
      }
      return done;
    },
    /** Inserts a certificate; a second insert for the same application returns the first one instead. */
    async insertOnce(record: CertificateRecord): Promise<CertificateRecord> {
      const { number, ...rest } = record;
      await index(record);
      // A certificate ending on a day the reminder run has already passed (only when time is moved by hand) moves the mark back.
      const through = record.validUntil ? await this.expiredThrough() : null;
      if (through && record.validUntil! <= through) await this.setExpiredThrough(addCalendarDays(record.validUntil!, -1), true);
      const cancelledThrough = record.validUntil ? (await this.cancelledThrough())[record.itemCode] : undefined;
      if (cancelledThrough && record.validUntil! <= cancelledThrough) await this.setCancelledThrough(record.itemCode, addCalendarDays(record.validUntil!, -1), true);
      try {
        await Certificates.collection.insertOne({ _id: number, ...rest } as never);
        return record;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        const existing = await this.findByApplication(record.applicationId);
        if (!existing) throw new AppError('DUPLICATE', `证照编号重复 / Certificate number ${number} is already taken`);
        return existing;
      }
    },
    /** Records the issued PDF once (a retry finds it recorded). */
    async recordPdf(number: string, pdf: { documentId: string; sha256: string }, at: Date): Promise<void> {
      await withConflictRetry(async () => {
        const current = await this.find(number);
        if (!current) throw new AppError('NOT_FOUND', `证照不存在 / Certificate ${number} not found`);
        if (current.pdf) return;
        await versionedUpdate(Certificates.collection, Journal.collection, number, current.version, { set: { pdf } }, {}, at);
      }, { attempts: 10, exhausted: () => { throw new AppError('VERSION_CONFLICT', `证照 ${number} 更新冲突 / Certificate ${number} keeps changing; retry`); } });
    },
    /**
     * Changes the status (and any `set` fields) through a versioned write, retrying on a concurrent
     * change; false when `from` no longer holds.
     */
    async setStatus(
      number: string, status: CertificateStatus, action: string, note: string, at: Date,
      from?: CertificateStatus[], set: Partial<Pick<CertificateRecord, 'supersededBy' | 'supersededFor' | 'cancellation'>> = {},
    ): Promise<boolean> {
      return withConflictRetry(async () => {
        const current = await this.find(number);
        if (!current) throw new AppError('NOT_FOUND', `证照不存在 / Certificate ${number} not found`);
        if (from && !from.includes(current.status)) return false;
        await versionedUpdate(Certificates.collection, Journal.collection, number, current.version, { set: { ...set, status }, push: { history: [{ at, action, note }] } }, {}, at);
        return true;
      }, {
        attempts: 10,
        // The other writer may still be between its claim and its write: give it time before reading again.
        pause: (attempt) => new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random()))),
        exhausted: () => { throw new AppError('VERSION_CONFLICT', `证照 ${number} 更新冲突 / Certificate ${number} keeps changing; retry`); },
      });
    },
  };
}

/** Every date from `from` to `to`, both included (YYYY-MM-DD). */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) days.push(d);
  return days;
}
